/**
 * A phenopacket's age in years, from any form of the GA4GH TimeElement, as the Ingest step reads it
 * (pipelines/steps/ingest/time_element.py): the API's phenopacket body and `dxops evaluate --format phenopackets`
 * both use this.
 *
 * Phenopacket v2 writes a time as an ISO 8601 age (P6Y3M), an age range, an HPO onset term ("Infantile onset"), a
 * gestational age or a timestamp. Collections such as phenopacket-store use all of them, and many of their cases give
 * no `subject.timeAtLastEncounter` but date their findings (`phenotypicFeatures[].onset`): the patient was at least
 * as old as the latest of those, which is what the age is used for (a disease that begins later than the patient's
 * findings is less likely, the orphan ranker's too-young rule). `diseases[]` is the diagnosis and is never read.
 */

/** HPO onset terms (the subtree of HP:0003674) -> [earliest, latest] years; pipelines/mappings/hpo-onset-years.v1.csv. */
export const ONSET_YEARS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['HP:0030674', [0, 0]], // Antenatal
  ['HP:0011460', [0, 0]], // Embryonal
  ['HP:0011461', [0, 0]], // Fetal
  ['HP:0034199', [0, 0]], // Late first trimester
  ['HP:0034198', [0, 0]], // Second trimester
  ['HP:0034197', [0, 0]], // Third trimester
  ['HP:0003577', [0, 0]], // Congenital
  ['HP:0003623', [0, 0.08]], // Neonatal
  ['HP:0410280', [0.08, 16]], // Pediatric
  ['HP:0003593', [0.08, 1]], // Infantile
  ['HP:0011463', [1, 5]], // Childhood
  ['HP:0003621', [5, 15]], // Juvenile
  ['HP:0003581', [16, 100]], // Adult
  ['HP:0011462', [16, 40]], // Young adult
  ['HP:0025708', [16, 19]], // Early young adult
  ['HP:0025709', [19, 25]], // Intermediate young adult
  ['HP:0025710', [25, 40]], // Late young adult
  ['HP:0003596', [40, 60]], // Middle age
  ['HP:0003584', [60, 100]], // Late
  ['HP:4000040', [12, 50]], // Puerperal
  ['HP:6000314', [40, 55]], // Perimenopausal
  ['HP:6000315', [45, 100]], // Postmenopausal
]);

const MAX_AGE_YEARS = 130;

export interface TimeElement {
  age?: { iso8601duration?: string };
  ageRange?: { start?: { iso8601duration?: string }; end?: { iso8601duration?: string } };
  ontologyClass?: { id?: string };
  gestationalAge?: { weeks?: number; days?: number };
  timestamp?: string;
}

export interface DatedPhenopacket {
  subject?: { dateOfBirth?: string; timeAtLastEncounter?: TimeElement };
  phenotypicFeatures?: { excluded?: boolean; onset?: TimeElement }[];
}

/** A TimeElement that cannot be read as an age; the message names the field. */
export class TimeElementError extends Error {}

/** ISO 8601 duration (P6Y3M, P10D) -> years; undefined when it is not one. */
export function isoDurationYears(value: string | undefined): number | undefined {
  const m = value?.match(/^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$/);
  if (!m || m[0] === 'P') return undefined;
  const [y, mo, w, d] = m.slice(1).map((x) => Number(x ?? 0));
  return y + mo / 12 + (w * 7 + d) / 365.25;
}

/** One TimeElement -> years; a range or an onset class gives its midpoint (the record holds one age). */
export function timeElementYears(t: TimeElement, where: string, birth?: string): number | undefined {
  const iso = (value: string | undefined) => {
    const years = isoDurationYears(value);
    if (years === undefined) throw new TimeElementError(`${where}: '${value}' is not an ISO 8601 age such as P6Y3M`);
    return years;
  };
  if (t.age) return iso(t.age.iso8601duration);
  if (t.ageRange) {
    const ends = [t.ageRange.start, t.ageRange.end]
      .filter((e) => e?.iso8601duration)
      .map((e) => iso(e?.iso8601duration));
    if (!ends.length) throw new TimeElementError(`${where}.ageRange has neither a start nor an end age`);
    return ends.reduce((a, b) => a + b, 0) / ends.length;
  }
  if (t.ontologyClass) {
    const range = ONSET_YEARS.get(t.ontologyClass.id ?? '');
    if (!range) throw new TimeElementError(`${where}.ontologyClass '${t.ontologyClass.id}' is not an HPO onset term`);
    return (range[0] + range[1]) / 2;
  }
  if (t.gestationalAge) return 0; // before birth
  if (t.timestamp && birth) {
    const days = (Date.parse(t.timestamp.slice(0, 10)) - Date.parse(birth.slice(0, 10))) / 86_400_000;
    if (!Number.isFinite(days)) throw new TimeElementError(`${where}.timestamp or subject.dateOfBirth is not a date`);
    return days / 365.25;
  }
  return undefined;
}

/** `subject.timeAtLastEncounter`, else the latest onset of an observed finding; undefined when neither is given. */
export function phenopacketAge(p: DatedPhenopacket): number | undefined {
  const birth = p.subject?.dateOfBirth;
  const encounter = p.subject?.timeAtLastEncounter;
  const years = encounter ? timeElementYears(encounter, 'subject.timeAtLastEncounter', birth) : latestOnset(p, birth);
  if (years === undefined) return undefined;
  if (years < 0 || years > MAX_AGE_YEARS) {
    throw new TimeElementError(`the age ${years.toFixed(2)} years is outside 0-${MAX_AGE_YEARS}`);
  }
  return years;
}

function latestOnset(p: DatedPhenopacket, birth?: string): number | undefined {
  const onsets = (p.phenotypicFeatures ?? [])
    .filter((f) => f.onset && !f.excluded)
    .map((f) => timeElementYears(f.onset as TimeElement, 'phenotypicFeatures[].onset', birth))
    .filter((y): y is number => y !== undefined);
  return onsets.length ? Math.max(...onsets) : undefined;
}
