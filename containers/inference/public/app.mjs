// The clinician page: plain JavaScript, no build step, same origin as the API (CSP: script-src 'self').
'use strict';

const TEXT = {
  es: {
    subtitle: 'Apoyo al diagnóstico diferencial: enfermedades comunes y raras',
    disclaimer: 'Herramienta de apoyo a la decisión clínica; no sustituye el juicio del médico ni es un diagnóstico.',
    findings: 'Hallazgos del paciente',
    searchLabel: 'Buscar fenotipo (HPO): término, sinónimo o palabra común',
    noFindings: 'Añada al menos un hallazgo.',
    age: 'Edad (años)',
    sex: 'Sexo',
    sexUnknown: 'Desconocido',
    sexFemale: 'Femenino',
    sexMale: 'Masculino',
    diagnose: 'Obtener diagnóstico diferencial',
    results: 'Diagnóstico diferencial',
    noResults: 'Los resultados aparecerán aquí.',
    present: 'Presente',
    excluded: 'Descartado',
    remove: 'Quitar',
    orphan: 'Enfermedad rara',
    common: 'Común',
    supporting: 'A favor',
    contradicting: 'En contra',
    none: 'ninguno',
    confirm: 'Confirmar diagnóstico',
    confirmed: 'Diagnóstico confirmado ✓',
    correctLabel: '¿Es otro diagnóstico? Buscar la enfermedad (nombre, OMIM/ORPHA o gen)',
    corrected: (name) => `Corrección registrada: ${name} ✓`,
    review: (p) => `Revisión por especialista recomendada: la probabilidad más alta es ${p}, inferior al 70 %.`,
    reviewRare: (p) =>
      `La primera opción es una enfermedad rara (${p}): confírmela con un especialista. En casos publicados, una ` +
      'primera probabilidad del 70\u00a0% o más acertó más o menos la mitad de las veces.',
    summary: (v, s, supportedOnly) =>
      `Modelo ${v} · sospecha de enfermedad rara: ${s}${supportedOnly ? ' · solo candidatos con algún hallazgo a favor' : ''}`,
    failed: (m) => `No se pudo completar la solicitud: ${m}`,
    noMatches: 'Sin coincidencias',
    genes: (n) => (n === 1 ? 'Gen' : 'Genes'),
    sourceName: (name) => `Nombre original: ${name} (traducción de DxOps)`,
    profileFrom: (ids) =>
      `Sin fenotipos anotados propios: se ordena por los de ${ids.length === 1 ? 'la enfermedad' : 'las enfermedades'} ` +
      `con su mismo gen (${shortList(ids)}).`,
    nextTitle: 'Hallazgos a explorar',
    nextHelp:
      'Su presencia o ausencia distinguiría mejor entre los primeros candidatos. Marque lo que encuentre y el diferencial se recalcula.',
    nextFoundIn: (n, total) => `en ${n} de los ${total} primeros`,
    nextNone: 'Ningún hallazgo más distinguiría bien entre los primeros candidatos.',
    exportSummary: 'Resumen para la historia clínica',
    exportPhenopacket: 'Descargar phenopacket (GA4GH)',
    copied: 'Resumen copiado al portapapeles.',
    summaryHead: 'DxOps: apoyo a la decisión clínica; no es un diagnóstico.',
    summaryMeta: (date, model, id) => `Fecha: ${date} · Modelo: ${model} · Solicitud: ${id}`,
    summaryPatient: (age, sex) => `Paciente: ${age === '' ? 'edad no indicada' : `${age} años`}, sexo ${sex}`,
    summaryPresent: 'Hallazgos presentes',
    summaryExcluded: 'Hallazgos descartados',
    summaryDifferential: (s) => `Diagnóstico diferencial (sospecha de enfermedad rara: ${s}):`,
    summaryDiagnosis: (name, id) => `Diagnóstico registrado por el clínico: ${name} (${id})`,
    summaryProfileFrom: (ids) => `sin fenotipos anotados propios, ordenada por los de ${shortList(ids)}`,
    warnings: {
      UNKNOWN_PHENOTYPE: (id) => `${id} no está en el vocabulario del modelo; se ignoró.`,
      REDIRECTED_PHENOTYPE: (id) => `${id} es un identificador obsoleto o alternativo; se usó el término vigente.`,
      DUPLICATE_PHENOTYPE: (id) => `${id} está repetido; se contó una vez.`,
      CONFLICTING_PHENOTYPE: (id) => `${id} figura como presente y descartado; se tomó como presente.`,
      UNKNOWN_EVIDENCE: (id) => `${id} no es una respuesta que el modelo conozca; se ignoró.`,
      FEW_FINDINGS: (n) =>
        `${n} hallazgo${n === '1' ? '' : 's'}: con menos de 3, la primera opción acierta en un tercio (un hallazgo) a ` +
        'dos tercios (dos) de los pacientes con enfermedades comunes y en menos de un tercio de los de enfermedades ' +
        'raras; ' +
        'añada más hallazgos del paciente.',
      NO_SUPPORTED_CANDIDATE: () =>
        'Ningún hallazgo ni respuesta figura en el perfil de un candidato: la lista sigue solo el orden de las ' +
        'probabilidades; añada lo que el paciente presenta.',
    },
  },
  en: {
    subtitle: 'Differential diagnosis support: common and rare diseases',
    disclaimer: 'Clinical decision support; it does not replace the clinician’s judgement and is not a diagnosis.',
    findings: 'Patient findings',
    searchLabel: 'Search phenotype (HPO): term, synonym or everyday word',
    noFindings: 'Add at least one finding.',
    age: 'Age (years)',
    sex: 'Sex',
    sexUnknown: 'Unknown',
    sexFemale: 'Female',
    sexMale: 'Male',
    diagnose: 'Get differential diagnosis',
    results: 'Differential diagnosis',
    noResults: 'Results will appear here.',
    present: 'Present',
    excluded: 'Excluded',
    remove: 'Remove',
    orphan: 'Rare disease',
    common: 'Common',
    supporting: 'Supporting',
    contradicting: 'Contradicting',
    none: 'none',
    confirm: 'Confirm diagnosis',
    confirmed: 'Diagnosis confirmed ✓',
    correctLabel: 'Another diagnosis? Search the disease (name, OMIM/ORPHA id or gene)',
    corrected: (name) => `Correction recorded: ${name} ✓`,
    review: (p) => `Specialist review recommended: the top probability is ${p}, below 70%.`,
    reviewRare: (p) =>
      `A rare disease comes first (${p}): confirm it with a specialist. On published case reports a first ` +
      'probability of 70% or more was right about half the time.',
    summary: (v, s, supportedOnly) =>
      `Model ${v} · rare-disease suspicion: ${s}${supportedOnly ? ' · only candidates with a finding in their favour' : ''}`,
    failed: (m) => `The request could not be completed: ${m}`,
    noMatches: 'No matches',
    genes: (n) => (n === 1 ? 'Gene' : 'Genes'),
    sourceName: (name) => `Original name: ${name} (DxOps translation)`,
    profileFrom: (ids) =>
      `No phenotype annotations of its own: ranked on those of the ${ids.length === 1 ? 'disease' : 'diseases'} ` +
      `sharing its gene (${shortList(ids)}).`,
    nextTitle: 'Findings to look for next',
    nextHelp:
      'Their presence or absence would best tell the first candidates apart. Mark what you find and the differential is recomputed.',
    nextFoundIn: (n, total) => `in ${n} of the first ${total}`,
    nextNone: 'No further finding would tell the first candidates apart well.',
    exportSummary: 'Summary for the clinical record',
    exportPhenopacket: 'Download phenopacket (GA4GH)',
    copied: 'Summary copied to the clipboard.',
    summaryHead: 'DxOps: clinical decision support; not a diagnosis.',
    summaryMeta: (date, model, id) => `Date: ${date} · Model: ${model} · Request: ${id}`,
    summaryPatient: (age, sex) => `Patient: ${age === '' ? 'age not given' : `${age} years`}, sex ${sex}`,
    summaryPresent: 'Findings present',
    summaryExcluded: 'Findings excluded',
    summaryDifferential: (s) => `Differential diagnosis (rare-disease suspicion: ${s}):`,
    summaryDiagnosis: (name, id) => `Diagnosis recorded by the clinician: ${name} (${id})`,
    summaryProfileFrom: (ids) => `no phenotype annotations of its own, ranked on those of ${shortList(ids)}`,
    warnings: {},
  },
};

const state = {
  lang: (navigator.language || 'es').toLowerCase().startsWith('en') ? 'en' : 'es',
  findings: [], // { id, label, labels, excluded }
  labels: new Map(), // HPO id -> { label, labels }, for the supporting/contradicting lists
  result: null,
  asked: null, // { findings, age, sex } as sent for the current result: what the summary and phenopacket describe
  confirmed: new Set(),
  corrected: null, // { id, name } the clinician recorded as the diagnosis instead
};

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[state.lang][key];
// A disease's name in the page's language when the catalog has one (the common diseases), else its English name.
const diseaseName = (d) => d.names?.[state.lang] ?? d.name;
// a translated name shows the source's own name on hover: the one to look the disease up by (OMIM, Orphanet, DDXPlus)
const sourceNameTitle = (d) => (diseaseName(d) === d.name ? {} : { title: t('sourceName')(d.name) });
// An HPO term's label in the page's language when the package has one (the common symptoms, the frequent findings).
const termLabel = (p) => p.labels?.[state.lang] ?? p.label;
const percent = (p) => {
  const format = new Intl.NumberFormat(state.lang, { style: 'percent', maximumFractionDigits: 1 });
  // A probability that rounds to 0 is still not zero: say "< 0.1 %".
  return p < 0.0005 ? `< ${format.format(0.001)}` : format.format(p);
};

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/** A bearer token, when the deployment needs one, is kept for the tab only (sessionStorage 'dxops.token'). */
async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  const token = sessionStorage.getItem('dxops.token');
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `HTTP ${res.status}`);
  return data;
}

function renderStatic() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const b of document.querySelectorAll('[data-lang]'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
}

function renderFindings() {
  const list = $('findings');
  list.replaceChildren(
    ...state.findings.map((f, i) =>
      el('li', {}, [
        el('span', { class: 'name' }, [termLabel(f), ' ', el('span', { class: 'code', text: f.id })]),
        el('button', {
          type: 'button',
          class: `toggle ${f.excluded ? 'excluded' : 'present'}`,
          'aria-pressed': String(f.excluded),
          text: f.excluded ? t('excluded') : t('present'),
          onclick: () => {
            f.excluded = !f.excluded;
            renderFindings();
          },
        }),
        el('button', {
          type: 'button',
          class: 'remove',
          'aria-label': `${t('remove')} ${termLabel(f)}`,
          text: '×',
          onclick: () => {
            state.findings.splice(i, 1);
            renderFindings();
          },
        }),
      ]),
    ),
  );
  $('no-findings').hidden = state.findings.length > 0;
  $('diagnose').disabled = state.findings.length === 0;
}

function findingList(title, cls, ids) {
  const names = ids.map((id) => (state.labels.has(id) ? termLabel(state.labels.get(id)) : id));
  return el('p', { class: 'evidence' }, [
    el('span', { class: cls, text: `${title}: ` }),
    names.length ? names.join(', ') : t('none'),
  ]);
}

// Genes tell the clinician which test to order; a long list (contiguous-gene syndromes, a gene's many diseases) is
// cut after five, with its length.
const shortList = (items) =>
  items.length > 5 ? `${items.slice(0, 5).join(', ')}, … (${items.length})` : items.join(', ');

function geneLine(genes) {
  return el('p', { class: 'genes' }, [el('span', { text: `${t('genes')(genes.length)}: ` }), shortList(genes)]);
}

/** The findings to look for next (API suggestedFindings): one click adds the answer and recomputes. */
function renderNext() {
  const r = state.result;
  const box = $('next');
  box.hidden = !r;
  if (!r) return;
  const total = Math.min(10, r.differential.length);
  const names = new Map(r.differential.map((c) => [c.diseaseId, diseaseName(c)]));
  const items = (r.suggestedFindings ?? []).map((s) =>
    el('li', { 'data-id': s.id }, [
      el('span', { class: 'name' }, [
        termLabel(s),
        ' ',
        el('span', { class: 'code', text: s.id }),
        // which candidates have it: on hover, and for screen readers through the title
        el('span', {
          class: 'found-in',
          text: t('nextFoundIn')(s.foundIn.length, total),
          title: s.foundIn.map((id) => names.get(id) ?? id).join('\n'),
        }),
      ]),
      answerButton(s, false),
      answerButton(s, true),
    ]),
  );
  $('next-list').replaceChildren(...items);
  $('next-none').hidden = items.length > 0;
}

// the finding's name in each button's accessible name: five rows of "Present" would not say which
function answerButton(finding, excluded) {
  const key = excluded ? 'excluded' : 'present';
  return el('button', {
    type: 'button',
    class: `toggle ${key}`,
    text: t(key),
    'aria-label': `${t(key)}: ${termLabel(finding)}`,
    onclick: () => answer(finding, excluded),
  });
}

function answer(finding, excluded) {
  state.labels.set(finding.id, { label: finding.label, labels: finding.labels });
  if (!state.findings.some((f) => f.id === finding.id))
    state.findings.push({ id: finding.id, label: finding.label, labels: finding.labels, excluded });
  renderFindings();
  diagnose();
}

/**
 * The review banner: the API's specialistReview (top probability under 0.70), or, above it, a rare disease first. On
 * published rare-disease case reports the first probability runs high (docs/model-card.md: shown 0.70 or more, right
 * 44% of the time), so a confident rare candidate still asks for a specialist. The API's flag stays the calibrated
 * threshold alone: its rate is a monitored metric, which a share of rare-disease traffic must not move.
 */
function reviewNote(r) {
  const first = r.differential[0];
  const top = first?.probability ?? 0;
  if (r.specialistReview) return t('review')(percent(top));
  return first?.category === 'orphan' ? t('reviewRare')(percent(top)) : '';
}

function renderResults() {
  const r = state.result;
  const review = $('review');
  if (!r) return;
  const caution = reviewNote(r);
  review.hidden = !caution;
  review.textContent = caution;
  // the API leaves out candidates nothing entered supports, unless nothing supports any (NO_SUPPORTED_CANDIDATE)
  const supportedOnly = !r.warnings.some((w) => w.code === 'NO_SUPPORTED_CANDIDATE');
  $('summary').textContent = t('summary')(r.modelVersion, percent(r.orphanSuspicion), supportedOnly);
  // English messages come from the API; other languages translate them by code.
  const warning = (w) => (t('warnings')[w.code] ? t('warnings')[w.code](w.id) : w.message);
  $('warnings').replaceChildren(...r.warnings.map((w) => el('li', { text: warning(w) })));
  $('differential').replaceChildren(
    ...r.differential.map((c) => {
      const bar = el('div');
      bar.style.width = `${Math.max(0.5, c.probability * 100).toFixed(1)}%`;
      const done = state.confirmed.has(c.diseaseId);
      return el('li', { class: c.category, 'data-disease': c.diseaseId }, [
        el('div', { class: 'cand-head' }, [
          el('span', { class: 'rank', text: `${c.rank}.` }),
          el('span', { class: 'cand-name', text: diseaseName(c), ...sourceNameTitle(c) }),
          el('span', { class: 'code', text: [c.diseaseId, ...(c.xrefs ?? [])].join(' · ') }),
          el('span', { class: `badge ${c.category}`, text: c.category === 'orphan' ? t('orphan') : t('common') }),
          el('span', { class: 'prob', text: percent(c.probability) }),
        ]),
        el('div', { class: 'bar', role: 'img', 'aria-label': percent(c.probability) }, [bar]),
        ...(c.genes?.length ? [geneLine(c.genes)] : []),
        ...(c.profileFrom?.length ? [el('p', { class: 'profile-from', text: t('profileFrom')(c.profileFrom) })] : []),
        findingList(t('supporting'), 'for', c.supportingPhenotypes),
        findingList(t('contradicting'), 'against', c.contradictingPhenotypes),
        el('button', {
          type: 'button',
          class: 'confirm',
          text: done ? t('confirmed') : t('confirm'),
          ...(done ? { disabled: '' } : {}),
          onclick: () => confirmDiagnosis(c.diseaseId),
        }),
      ]);
    }),
  );
}

/** The diagnosis the clinician recorded for this result, if any: a correction wins over a confirmation. */
function recordedDiagnosis() {
  if (state.corrected) return { id: state.corrected.id, name: diseaseName(state.corrected) };
  const confirmed = state.result?.differential.find((c) => state.confirmed.has(c.diseaseId));
  return confirmed ? { id: confirmed.diseaseId, name: diseaseName(confirmed) } : null;
}

/** Plain text for the clinical record: what was entered, the first candidates, and what the clinician recorded. */
function summaryText() {
  const r = state.result;
  const a = state.asked;
  const sexName = { unknown: t('sexUnknown'), female: t('sexFemale'), male: t('sexMale') }[a.sex].toLowerCase();
  const names = (excluded) =>
    a.findings
      .filter((f) => f.excluded === excluded)
      .map((f) => `${termLabel(f)} (${f.id})`)
      .join('; ') || t('none');
  const lines = [
    t('summaryHead'),
    t('summaryMeta')(new Date().toISOString().slice(0, 10), r.modelVersion, r.requestId),
    t('summaryPatient')(a.age, sexName),
    `${t('summaryPresent')}: ${names(false)}`,
    `${t('summaryExcluded')}: ${names(true)}`,
    t('summaryDifferential')(percent(r.orphanSuspicion)),
    ...r.differential.map((c) => {
      const name = diseaseName(c);
      // the gene relatives' generated names already end with their id
      return (
        `${c.rank}. ${name.includes(c.diseaseId) ? name : `${name} (${c.diseaseId})`} ${percent(c.probability)}` +
        (c.genes?.length ? ` · ${t('genes')(c.genes.length)} ${shortList(c.genes)}` : '') +
        (c.profileFrom?.length ? ` · ${t('summaryProfileFrom')(c.profileFrom)}` : '')
      );
    }),
  ];
  const caution = reviewNote(r);
  if (caution) lines.push(caution);
  const dx = recordedDiagnosis();
  if (dx) lines.push(t('summaryDiagnosis')(dx.name, dx.id));
  return lines.join('\n');
}

async function showSummary() {
  const box = $('summary-text');
  box.value = summaryText();
  box.hidden = false;
  box.select();
  try {
    await navigator.clipboard.writeText(box.value);
    $('export-done').textContent = t('copied');
    $('export-done').hidden = false;
  } catch {
    // no clipboard (permissions, plain http): the text stays selected in the box to copy by hand
  }
}

/**
 * The case as a GA4GH Phenopacket v2: the findings as sent, age and sex, and the diagnosis the clinician recorded
 * as its interpretation. No name or record number: the ids are the request's. `POST /v1/diagnoses` accepts it back,
 * and `dxops evaluate --format phenopackets` scores a folder of them.
 */
function phenopacket() {
  const r = state.result;
  const a = state.asked;
  const years = a.age === '' ? null : Number(a.age);
  const age = years === null ? undefined : Number.isInteger(years) ? `P${years}Y` : `P${Math.round(years * 12)}M`;
  const dx = recordedDiagnosis();
  return {
    id: r.requestId,
    subject: {
      id: r.requestId,
      sex: { female: 'FEMALE', male: 'MALE', unknown: 'UNKNOWN_SEX' }[a.sex],
      ...(age ? { timeAtLastEncounter: { age: { iso8601duration: age } } } : {}),
    },
    phenotypicFeatures: a.findings.map((f) => ({
      type: { id: f.id, label: f.label },
      ...(f.excluded ? { excluded: true } : {}),
    })),
    ...(dx
      ? {
          interpretations: [
            { id: `${r.requestId}-1`, progressStatus: 'SOLVED', diagnosis: { disease: { id: dx.id, label: dx.name } } },
          ],
        }
      : {}),
    metaData: {
      created: new Date().toISOString(),
      createdBy: `DxOps ${r.modelVersion}`,
      phenopacketSchemaVersion: '2.0',
      resources: [
        {
          id: 'hp',
          name: 'human phenotype ontology',
          url: 'http://purl.obolibrary.org/obo/hp.owl',
          version: r.hpoVersion,
          namespacePrefix: 'HP',
          iriPrefix: 'http://purl.obolibrary.org/obo/HP_',
        },
      ],
    },
  };
}

function downloadPhenopacket() {
  const blob = new Blob([`${JSON.stringify(phenopacket(), null, 2)}\n`], { type: 'application/json' });
  const link = el('a', { href: URL.createObjectURL(blob), download: `dxops-${state.result.requestId}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

function renderExport() {
  $('export').hidden = !state.result;
  $('summary-text').hidden = true;
  $('export-done').hidden = true;
}

function renderCorrection() {
  $('correct').hidden = !state.result;
  const done = $('correct-done');
  done.hidden = !state.corrected;
  done.textContent = state.corrected ? t('corrected')(diseaseName(state.corrected)) : '';
}

async function correctDiagnosis(disease) {
  try {
    await api('POST', '/v1/feedback', {
      requestId: state.result.requestId,
      diseaseId: disease.id,
      verdict: 'corrected',
    });
    state.corrected = { id: disease.id, name: disease.name, names: disease.names };
    // a search still pending for what was typed must not reopen the list
    clearTimeout(diseaseTimer);
    diseaseSeq++;
    $('correct-search').value = '';
    $('correct-suggestions').hidden = true;
    renderCorrection();
  } catch (err) {
    showError(err);
  }
}

/** The options of a type-ahead list (phenotypes or diseases): name, then id and what matched when that differs. */
function options(results, idPrefix, name, pick) {
  if (!results.length) return [el('li', { class: 'muted', text: t('noMatches') })];
  return results.map((r, i) =>
    el(
      'li',
      {
        role: 'option',
        id: `${idPrefix}-${i}`,
        'data-id': r.id,
        onmousedown: (e) => {
          e.preventDefault();
          pick(r);
        },
      },
      [name(r), ' ', el('span', { class: 'code', text: r.matched !== name(r) ? `${r.id} · ${r.matched}` : r.id })],
    ),
  );
}

// The correction's type-ahead over the catalog: the latest answer wins, Enter takes the first match.
let diseaseSeq = 0;
let diseaseTimer;
let diseaseMatches = [];

async function suggestDiseases(q) {
  const seq = ++diseaseSeq;
  let data;
  try {
    data = await api('GET', `/v1/diseases?q=${encodeURIComponent(q)}&limit=8&lang=${state.lang}`);
  } catch (err) {
    showError(err);
    return;
  }
  if (seq !== diseaseSeq) return;
  diseaseMatches = data.results;
  const list = $('correct-suggestions');
  list.replaceChildren(...options(data.results, 'disease-opt', diseaseName, correctDiagnosis));
  list.hidden = false;
  $('correct-search').setAttribute('aria-expanded', 'true');
}

async function confirmDiagnosis(diseaseId) {
  try {
    await api('POST', '/v1/feedback', { requestId: state.result.requestId, diseaseId, verdict: 'confirmed' });
    state.confirmed.add(diseaseId);
    renderResults();
  } catch (err) {
    showError(err);
  }
}

function showError(err) {
  $('error').hidden = false;
  $('error').textContent = t('failed')(err.message);
}

async function diagnose() {
  $('error').hidden = true;
  const age = $('age').value;
  const body = {
    phenotypes: state.findings.map((f) => ({ id: f.id, excluded: f.excluded })),
    sex: $('sex').value,
    topK: 10,
  };
  if (age !== '') body.age = { years: Number(age) };
  $('diagnose').disabled = true;
  try {
    state.result = await api('POST', '/v1/diagnoses', body);
    state.asked = { findings: state.findings.map((f) => ({ ...f })), age, sex: body.sex };
    state.confirmed.clear();
    state.corrected = null;
    renderResults();
    renderNext();
    renderExport();
    renderCorrection();
  } catch (err) {
    showError(err);
  } finally {
    $('diagnose').disabled = state.findings.length === 0;
  }
}

// Type-ahead: one request per pause in typing; an answer to an older query is dropped.
let searchSeq = 0;
let searchTimer;
let active = -1;
let suggestions = [];

function closeSuggestions() {
  $('suggestions').hidden = true;
  $('search').setAttribute('aria-expanded', 'false');
  active = -1;
}

function addFinding(item) {
  state.labels.set(item.id, { label: item.label, labels: item.labels });
  if (!state.findings.some((f) => f.id === item.id))
    state.findings.push({ id: item.id, label: item.label, labels: item.labels, excluded: false });
  $('search').value = '';
  closeSuggestions();
  renderFindings();
}

async function suggest(q) {
  const seq = ++searchSeq;
  let data;
  try {
    data = await api('GET', `/v1/phenotypes?q=${encodeURIComponent(q)}&limit=8&lang=${state.lang}`);
  } catch (err) {
    showError(err);
    return;
  }
  if (seq !== searchSeq) return;
  const list = $('suggestions');
  active = -1;
  list.replaceChildren(...options(data.results, 'opt', termLabel, addFinding));
  list.hidden = false;
  suggestions = data.results;
  $('search').setAttribute('aria-expanded', 'true');
}

function moveActive(step) {
  const items = [...$('suggestions').querySelectorAll('[role=option]')];
  if (!items.length) return;
  active = (active + step + items.length) % items.length;
  for (const [i, li] of items.entries()) li.setAttribute('aria-selected', String(i === active));
  $('search').setAttribute('aria-activedescendant', items[active].id);
}

function init() {
  renderStatic();
  renderFindings();
  const search = $('search');
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    const q = search.value.trim();
    if (!q) return closeSuggestions();
    searchTimer = setTimeout(() => suggest(q), 120);
  });
  search.addEventListener('keydown', (e) => {
    const results = $('suggestions').hidden ? [] : suggestions;
    if (e.key === 'ArrowDown') moveActive(1);
    else if (e.key === 'ArrowUp') moveActive(-1);
    else if (e.key === 'Escape') closeSuggestions();
    else if (e.key === 'Enter' && results.length) addFinding(results[Math.max(active, 0)]);
    else return;
    e.preventDefault();
  });
  search.addEventListener('blur', () => setTimeout(closeSuggestions, 100));
  $('diagnose').addEventListener('click', diagnose);
  $('export-summary').addEventListener('click', showSummary);
  $('export-phenopacket').addEventListener('click', downloadPhenopacket);
  const correct = $('correct-search');
  correct.addEventListener('input', () => {
    clearTimeout(diseaseTimer);
    const q = correct.value.trim();
    if (!q) {
      $('correct-suggestions').hidden = true;
      return;
    }
    diseaseTimer = setTimeout(() => suggestDiseases(q), 120);
  });
  correct.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && diseaseMatches.length && !$('correct-suggestions').hidden) {
      e.preventDefault();
      correctDiagnosis(diseaseMatches[0]);
    } else if (e.key === 'Escape') $('correct-suggestions').hidden = true;
  });
  correct.addEventListener('blur', () => setTimeout(() => ($('correct-suggestions').hidden = true), 100));
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      state.lang = b.dataset.lang;
      renderStatic();
      renderFindings();
      renderResults();
      renderNext();
      renderCorrection();
    });
  }
}

document.addEventListener('DOMContentLoaded', init);
