// The page's state and how it words things: shared by the rendering (app.mjs) and the clinical record (record.js).
import { TEXT } from './i18n.mjs';

export const state = {
  lang: (navigator.language || 'es').toLowerCase().startsWith('en') ? 'en' : 'es',
  findings: [], // { id, label, labels, excluded }
  labels: new Map(), // HPO id -> { label, labels }, for the supporting/contradicting lists
  result: null,
  asked: null, // { findings, age, sex } as sent for the current result: what the summary and phenopacket describe
  // a request failed since the result shown, which then answers an earlier one (as it does once the inputs change)
  requestFailed: false,
  // the one diagnosis the clinician recorded for this result, { id, name, names, verdict }: a later confirmation or
  // correction replaces it, as the feedback the pipeline ingests does (the latest per request wins)
  recorded: null,
};

export const t = (key) => TEXT[state.lang][key];
// A disease's name in the page's language when the catalog has one (the common diseases), else its English name.
export const diseaseName = (d) => d.names?.[state.lang] ?? d.name;
// An HPO term's label in the page's language when the package has one (the common symptoms, the frequent findings).
export const termLabel = (p) => p.labels?.[state.lang] ?? p.label;

export const percent = (p) => {
  const format = new Intl.NumberFormat(state.lang, { style: 'percent', maximumFractionDigits: 1 });
  // A probability that rounds to 0 is still not zero: say "< 0.1 %".
  return p < 0.0005 ? `< ${format.format(0.001)}` : format.format(p);
};

/** "3 años", "1 mes", "0,5 years": the age as the clinician gave it, in the page's language; '' for none. */
export function ageText(age) {
  if (!age) return '';
  const [one, other] = t('units')[age.unit];
  return `${new Intl.NumberFormat(state.lang).format(age.value)} ${age.value === 1 ? one : other}`;
}

/**
 * The review banner: the API's specialistReview (top probability under 0.70), or, above it, a rare disease first. On
 * published rare-disease case reports the first probability runs high (docs/model-card.md: shown 0.70 or more, right
 * 45% of the time), so a confident rare candidate still asks for a specialist. The API's flag stays the calibrated
 * threshold alone: its rate is a monitored metric, which a share of rare-disease traffic must not move.
 */
export function reviewNote(r) {
  const first = r.differential[0];
  const top = first?.probability ?? 0;
  if (r.specialistReview) return t('review')(percent(top));
  return first?.category === 'orphan' ? t('reviewRare')(percent(top)) : '';
}
