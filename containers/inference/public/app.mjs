// The clinician page: plain JavaScript modules, no build step, same origin as the API (CSP: script-src 'self').
import { parseAge } from './age.mjs';
import { combobox } from './combobox.mjs';
import { shortList } from './i18n.mjs';
import { phenopacket, summaryText } from './record.mjs';
import { diseaseName, percent, reviewNote, state, t, termLabel } from './view.mjs';

const $ = (id) => document.getElementById(id);
// a translated name shows the source's own name on hover: the one to look the disease up by (OMIM, Orphanet, DDXPlus)
const sourceNameTitle = (d) => (diseaseName(d) === d.name ? {} : { title: t('sourceName')(d.name) });

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
  let res;
  try {
    res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  } catch {
    throw Object.assign(new Error('offline'), { offline: true });
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok)
    throw Object.assign(new Error(data.message || `HTTP ${res.status}`), { status: res.status, api: data.message });
  return data;
}

// Errors are kept as what to say where, so a language switch re-words them: 'main' under the diagnose button,
// 'correct' in the correction box, 'confirm:<diseaseId>' on that candidate.
const errors = new Map();
// why a request failed, in the page's language: the API's own message when it gave one
const why = (err) => (err.offline ? t('offline') : (err.api ?? t('httpStatus')(err.status)));

function renderErrors() {
  const main = errors.get('main');
  $('error').hidden = !main;
  $('error').textContent = main ? main() : '';
  const correct = errors.get('correct');
  $('correct-error').hidden = !correct;
  $('correct-error').textContent = correct ? correct() : '';
}

/** Re-renders without losing the keyboard focus: the control with the same data-key gets it back, else fallback(). */
function keepingFocus(render, fallback) {
  const key = document.activeElement?.dataset?.key;
  render();
  if (!key) return;
  const again = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  (again ?? fallback?.())?.focus();
}

function renderStatic() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-unit]')) node.textContent = t('units')[node.dataset.unit][1];
  $('age-unit').setAttribute('aria-label', t('ageUnit'));
  for (const b of document.querySelectorAll('[data-lang]'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
}

/** What the form asks now, to compare with what the shown result answered. */
const inputsKey = () =>
  JSON.stringify([
    state.findings.map((f) => [f.id, f.excluded]),
    $('age').value.trim(),
    $('age-unit').value,
    $('sex').value,
  ]);

function renderStale() {
  const stale = !!state.result && (state.requestFailed || inputsKey() !== state.asked.key);
  $('stale').hidden = !stale;
  $('differential').classList.toggle('stale', stale);
}

function renderFindings() {
  const list = $('findings');
  list.replaceChildren(
    ...state.findings.map((f, i) => {
      const key = f.excluded ? 'excluded' : 'present';
      return el('li', {}, [
        el('span', { class: 'name' }, [termLabel(f), ' ', el('span', { class: 'code', text: f.id })]),
        // the label says the state and the finding ("Present: Cough"): a pressed "Excluded" would say neither well
        el('button', {
          type: 'button',
          class: `toggle ${key}`,
          'data-key': `toggle:${f.id}`,
          'aria-label': `${t(key)}: ${termLabel(f)}`,
          text: t(key),
          onclick: () => {
            f.excluded = !f.excluded;
            keepingFocus(renderFindings);
          },
        }),
        el('button', {
          type: 'button',
          class: 'remove',
          'data-key': `remove:${f.id}`,
          'aria-label': `${t('remove')} ${termLabel(f)}`,
          text: '×',
          onclick: () => {
            state.findings.splice(i, 1);
            // focus goes to the finding that took its place, or back to the search
            keepingFocus(renderFindings, () => {
              const left = list.querySelectorAll('.remove');
              return left[Math.min(i, left.length - 1)] ?? $('search');
            });
          },
        }),
      ]);
    }),
  );
  $('no-findings').hidden = state.findings.length > 0;
  $('diagnose').disabled = state.findings.length === 0;
  renderStale();
}

function findingList(title, cls, ids) {
  const names = ids.map((id) => (state.labels.has(id) ? termLabel(state.labels.get(id)) : id));
  return el('p', { class: 'evidence' }, [
    el('span', { class: cls, text: `${title}: ` }),
    names.length ? names.join(', ') : t('none'),
  ]);
}

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
  const items = (r.suggestedFindings ?? []).map((s, i) =>
    el('li', { 'data-id': s.id }, [
      el('div', { class: 'name' }, [
        termLabel(s),
        ' ',
        el('span', { class: 'code', text: s.id }),
        // which candidates have it: a disclosure, open to the keyboard, touch and screen readers alike
        el('details', { class: 'found-in' }, [
          el('summary', { text: t('nextFoundIn')(s.foundIn.length, total) }),
          s.foundIn.map((id) => names.get(id) ?? id).join(', '),
        ]),
      ]),
      answerButton(s, false, i),
      answerButton(s, true, i),
    ]),
  );
  $('next-list').replaceChildren(...items);
  $('next-none').hidden = items.length > 0;
}

// the finding's name in each button's accessible name: five rows of "Present" would not say which
function answerButton(finding, excluded, index) {
  const key = excluded ? 'excluded' : 'present';
  return el('button', {
    type: 'button',
    class: `toggle ${key}`,
    text: t(key),
    'aria-label': `${t(key)}: ${termLabel(finding)}`,
    onclick: () => answer(finding, excluded, index),
  });
}

function answer(finding, excluded, index) {
  state.labels.set(finding.id, { label: finding.label, labels: finding.labels });
  if (!state.findings.some((f) => f.id === finding.id))
    state.findings.push({ id: finding.id, label: finding.label, labels: finding.labels, excluded });
  renderFindings();
  // the answered row is gone from the new list: the keyboard carries on with the row that took its place
  diagnose(() => {
    const rows = $('next-list').querySelectorAll('li');
    (rows[Math.min(index, rows.length - 1)]?.querySelector('button') ?? $('results-title')).focus();
  });
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
  const sentence = (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}`;
  const warning = (w) => (t('warnings')[w.code] ? t('warnings')[w.code](w.id) : sentence(w.message));
  $('warnings').replaceChildren(...r.warnings.map((w) => el('li', { text: warning(w) })));
  $('differential').replaceChildren(
    ...r.differential.map((c) => {
      const bar = el('div');
      bar.style.width = `${Math.max(0.5, c.probability * 100).toFixed(1)}%`;
      const done = state.recorded?.verdict === 'confirmed' && state.recorded.id === c.diseaseId;
      const failed = errors.get(`confirm:${c.diseaseId}`);
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
        // aria-disabled, not disabled: the button keeps the focus it was pressed with
        el('button', {
          type: 'button',
          class: 'confirm',
          'data-key': `confirm:${c.diseaseId}`,
          'aria-label': `${done ? t('confirmed') : t('confirm')}: ${diseaseName(c)}`,
          text: done ? t('confirmed') : t('confirm'),
          ...(done ? { 'aria-disabled': 'true' } : {}),
          onclick: () => done || confirmDiagnosis(c),
        }),
        ...(failed ? [el('p', { class: 'error', role: 'alert', text: failed() })] : []),
      ]);
    }),
  );
  renderStale();
}

// the summary box stays open across a language switch, re-worded; a new result closes it
let summaryOpen = false;
let copied = false;

async function showSummary() {
  summaryOpen = true;
  renderExport();
  const box = $('summary-text');
  box.select();
  try {
    await navigator.clipboard.writeText(box.value);
    copied = true;
  } catch {
    // no clipboard (permissions, plain http): the text stays selected in the box to copy by hand
  }
  renderExport();
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
  const box = $('summary-text');
  box.hidden = !summaryOpen;
  if (summaryOpen) box.value = summaryText();
  $('export-done').hidden = !copied;
  $('export-done').textContent = copied ? t('copied') : '';
}

function renderCorrection() {
  $('correct').hidden = !state.result;
  const corrected = state.recorded?.verdict === 'corrected' ? state.recorded : null;
  $('correct-done').hidden = !corrected;
  $('correct-done').textContent = corrected ? t('corrected')(diseaseName(corrected)) : '';
}

/** One recorded diagnosis per result: a confirmation or correction replaces the one before, here and in the feedback. */
async function recordDiagnosis(disease, verdict, where) {
  errors.delete(where);
  try {
    await api('POST', '/v1/feedback', { requestId: state.result.requestId, diseaseId: disease.id, verdict });
    state.recorded = { id: disease.id, name: disease.name, names: disease.names, verdict };
  } catch (err) {
    errors.set(where, () => t('feedbackFailed')(why(err)));
  }
  keepingFocus(() => {
    renderResults();
    renderCorrection();
    renderExport();
    renderErrors();
  });
}

const confirmDiagnosis = (c) =>
  recordDiagnosis({ id: c.diseaseId, name: c.name, names: c.names }, 'confirmed', `confirm:${c.diseaseId}`);

let inFlight = false;

/** Asks for the differential of what the form holds; afterwards() moves the focus (to the results, by default). */
async function diagnose(afterwards = () => $('results-title').focus()) {
  if (inFlight || !state.findings.length) return;
  const ageField = $('age');
  const age = parseAge(ageField.value, $('age-unit').value);
  if (age.invalid) {
    ageField.setAttribute('aria-invalid', 'true');
    ageField.setAttribute('aria-describedby', 'error');
    errors.set('main', () => t('ageInvalid'));
    renderErrors();
    ageField.focus();
    return;
  }
  ageField.removeAttribute('aria-invalid');
  ageField.removeAttribute('aria-describedby');
  errors.delete('main');
  renderErrors();
  const body = {
    phenotypes: state.findings.map((f) => ({ id: f.id, excluded: f.excluded })),
    sex: $('sex').value,
    topK: 10,
  };
  if (!age.empty) body.age = { years: age.years };
  const key = inputsKey();
  // busy, not disabled: a disabled button would drop the keyboard focus
  inFlight = true;
  $('diagnose').setAttribute('aria-busy', 'true');
  try {
    state.result = await api('POST', '/v1/diagnoses', body);
    state.asked = { findings: state.findings.map((f) => ({ ...f })), age: age.empty ? null : age, sex: body.sex, key };
    state.requestFailed = false;
    state.recorded = null;
    for (const where of errors.keys()) if (where !== 'main') errors.delete(where);
    summaryOpen = false;
    copied = false;
    renderResults();
    renderNext();
    renderExport();
    renderCorrection();
    afterwards();
  } catch (err) {
    errors.set('main', () => t('failed')(why(err)));
    // what is shown no longer answers what the form asks
    state.requestFailed = true;
  } finally {
    inFlight = false;
    $('diagnose').removeAttribute('aria-busy');
    renderErrors();
    renderStale();
  }
}

function addFinding(item) {
  state.labels.set(item.id, { label: item.label, labels: item.labels });
  if (!state.findings.some((f) => f.id === item.id))
    state.findings.push({ id: item.id, label: item.label, labels: item.labels, excluded: false });
  renderFindings();
}

/** An option of a type-ahead list: the name, then the id and what matched when that differs. */
const option = (name) => (r) => [
  name(r),
  ' ',
  el('span', { class: 'code', text: r.matched !== name(r) ? `${r.id} · ${r.matched}` : r.id }),
];

function init() {
  renderStatic();
  renderFindings();
  const searchError = (err) => {
    errors.set('main', () => t('failed')(why(err)));
    renderErrors();
  };
  const findings = combobox({
    input: $('search'),
    list: $('suggestions'),
    idPrefix: 'opt',
    search: async (q) =>
      (await api('GET', `/v1/phenotypes?q=${encodeURIComponent(q)}&limit=8&lang=${state.lang}`)).results,
    render: option(termLabel),
    pick: addFinding,
    noMatches: () => t('noMatches'),
    onError: searchError,
  });
  const diseases = combobox({
    input: $('correct-search'),
    list: $('correct-suggestions'),
    idPrefix: 'disease-opt',
    search: async (q) =>
      (await api('GET', `/v1/diseases?q=${encodeURIComponent(q)}&limit=8&lang=${state.lang}`)).results,
    render: option(diseaseName),
    pick: (d) => recordDiagnosis(d, 'corrected', 'correct'),
    noMatches: () => t('noMatches'),
    onError: (err) => {
      errors.set('correct', () => t('failed')(why(err)));
      renderErrors();
    },
  });
  $('diagnose').addEventListener('click', () => diagnose());
  for (const id of ['age', 'age-unit', 'sex']) $(id).addEventListener('input', renderStale);
  $('export-summary').addEventListener('click', showSummary);
  $('export-phenopacket').addEventListener('click', downloadPhenopacket);
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      state.lang = b.dataset.lang;
      // an open list holds the other language's words: the next keystroke asks again
      findings.close();
      diseases.close();
      renderStatic();
      renderFindings();
      renderResults();
      renderNext();
      renderExport();
      renderCorrection();
      renderErrors();
    });
  }
}

init();
