// The case for the clinical record: a plain-text summary to paste, and a GA4GH Phenopacket v2 to download. Both
// describe the request the shown result answers (state.asked), not what the form holds since.

import { isoAge } from './age.mjs';
import { shortList } from './i18n.mjs';
import { ageText, diseaseName, percent, reviewNote, state, t, termLabel } from './view.mjs';

/** Plain text for the clinical record: what was entered, the first candidates, and what the clinician recorded. */
export function summaryText() {
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
    t('summaryPatient')(ageText(a.age), sexName),
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
  const dx = state.recorded;
  if (dx) lines.push(t('summaryDiagnosis')(diseaseName(dx), dx.id));
  return lines.join('\n');
}

// A phenopacket names a resource for every prefix its ids use. The disease ids are the catalog's, built from the
// HPO release's annotations (OMIM, Orphanet, DECIPHER) and the two common-disease sets, whose ids are DxOps's own.
const DISEASE_RESOURCES = {
  OMIM: {
    id: 'omim',
    name: 'Online Mendelian Inheritance in Man',
    url: 'https://www.omim.org',
    iriPrefix: 'https://omim.org/entry/',
  },
  ORPHA: {
    id: 'ordo',
    name: 'Orphanet Rare Disease Ontology',
    url: 'http://www.orpha.net/ORDO/',
    iriPrefix: 'http://www.orpha.net/ORDO/Orphanet_',
  },
  DECIPHER: {
    id: 'decipher',
    name: 'DECIPHER syndromes',
    url: 'https://www.deciphergenomics.org',
    iriPrefix: 'https://www.deciphergenomics.org/syndrome/',
  },
  DDXPLUS: {
    id: 'ddxplus',
    name: 'DDXPlus conditions (DxOps ids)',
    url: 'https://github.com/mila-iqia/ddxplus',
    iriPrefix: 'https://github.com/mila-iqia/ddxplus#',
  },
  KAGGLE: {
    id: 'kaggle-disease-symptom',
    name: 'Kaggle disease symptom prediction (DxOps ids)',
    url: 'https://github.com/itachi9604/healthcare-chatbot',
    iriPrefix: 'https://github.com/itachi9604/healthcare-chatbot#',
  },
};

function resources(r, diseaseId) {
  const hp = {
    id: 'hp',
    name: 'human phenotype ontology',
    url: 'http://purl.obolibrary.org/obo/hp.owl',
    version: r.hpoVersion,
    namespacePrefix: 'HP',
    iriPrefix: 'http://purl.obolibrary.org/obo/HP_',
  };
  const prefix = diseaseId?.split(':')[0];
  const disease = DISEASE_RESOURCES[prefix];
  // the diseases are as the model's release annotates them: its version is theirs
  return disease ? [hp, { ...disease, version: r.hpoVersion, namespacePrefix: prefix }] : [hp];
}

/**
 * The case as a GA4GH Phenopacket v2: the findings as sent, age and sex, and the diagnosis the clinician recorded
 * as its interpretation. No name or record number: the ids are the request's. `POST /v1/diagnoses` accepts it back,
 * and `dxops evaluate --format phenopackets` scores a folder of them.
 */
export function phenopacket() {
  const r = state.result;
  const a = state.asked;
  const dx = state.recorded;
  return {
    id: r.requestId,
    subject: {
      id: r.requestId,
      sex: { female: 'FEMALE', male: 'MALE', unknown: 'UNKNOWN_SEX' }[a.sex],
      ...(a.age ? { timeAtLastEncounter: { age: { iso8601duration: isoAge(a.age) } } } : {}),
    },
    phenotypicFeatures: a.findings.map((f) => ({
      type: { id: f.id, label: f.label },
      ...(f.excluded ? { excluded: true } : {}),
    })),
    ...(dx
      ? {
          interpretations: [
            // the source's own name, as an ontology class's label is: not the page's translation
            { id: `${r.requestId}-1`, progressStatus: 'SOLVED', diagnosis: { disease: { id: dx.id, label: dx.name } } },
          ],
        }
      : {}),
    metaData: {
      created: new Date().toISOString(),
      createdBy: `DxOps ${r.modelVersion}`,
      phenopacketSchemaVersion: '2.0',
      resources: resources(r, dx?.id),
    },
  };
}
