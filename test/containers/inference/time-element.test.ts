import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isoDurationYears,
  ONSET_YEARS,
  phenopacketAge,
  TimeElementError,
} from '../../../containers/inference/src/model/time-element';
import { parseCsvRecords } from '../../../lib/cli/csv';

const encounter = (timeAtLastEncounter: object, extra: object = {}) => ({
  subject: { timeAtLastEncounter, ...extra },
});

describe('phenopacket age', () => {
  test('the onset table is the reviewed mapping file (which pytest holds to the HPO release and the Python table)', () => {
    const csv = readFileSync(resolve(__dirname, '../../../pipelines/mappings/hpo-onset-years.v1.csv'), 'utf8');
    const rows = parseCsvRecords(csv).map((r) => [r.hpo_id, [Number(r.earliest_years), Number(r.latest_years)]]);
    expect([...ONSET_YEARS.entries()]).toEqual(rows);
  });

  test.each([
    ['an ISO 8601 age', encounter({ age: { iso8601duration: 'P6Y6M' } }), 6.5],
    ['weeks and days', encounter({ age: { iso8601duration: 'P2W3D' } }), 17 / 365.25],
    [
      'an age range: its midpoint',
      encounter({ ageRange: { start: { iso8601duration: 'P20Y' }, end: { iso8601duration: 'P30Y' } } }),
      25,
    ],
    ['an onset class: its midpoint', encounter({ ontologyClass: { id: 'HP:0011463', label: 'Childhood onset' } }), 3],
    ['a gestational age: before birth', encounter({ gestationalAge: { weeks: 20, days: 3 } }), 0],
    [
      'a timestamp with a birth date',
      encounter({ timestamp: '2010-01-01T00:00:00Z' }, { dateOfBirth: '2000-01-01' }),
      3653 / 365.25,
    ],
    ['a timestamp without one: no age', encounter({ timestamp: '2010-01-01T00:00:00Z' }), undefined],
    ['nothing', {}, undefined],
  ])('%s', (_name, packet, years) => {
    const age = phenopacketAge(packet);
    if (years === undefined) expect(age).toBeUndefined();
    else expect(age).toBeCloseTo(years, 6);
  });

  test('without an encounter age, the latest onset of an observed finding (an excluded one does not count)', () => {
    const onset = (iso: string, excluded = false) => ({ onset: { age: { iso8601duration: iso } }, excluded });
    expect(phenopacketAge({ phenotypicFeatures: [onset('P2Y'), onset('P4Y'), onset('P9Y', true), {}] })).toBe(4);
    expect(phenopacketAge({ phenotypicFeatures: [{}, onset('P9Y', true)] })).toBeUndefined();
  });

  test.each([
    [encounter({ ontologyClass: { id: 'HP:0001250' } }), "ontologyClass 'HP:0001250' is not an HPO onset term"],
    [encounter({ ageRange: {} }), 'ageRange has neither a start nor an end age'],
    [encounter({ age: { iso8601duration: '6 years' } }), "'6 years' is not an ISO 8601 age"],
    [encounter({ age: { iso8601duration: 'P200Y' } }), 'the age 200.00 years is outside 0-130'],
    [encounter({ timestamp: 'yesterday' }, { dateOfBirth: '2000-01-01' }), 'is not a date'],
  ])('a bad time names its field: %j', (packet, message) => {
    expect(() => phenopacketAge(packet)).toThrow(TimeElementError);
    expect(() => phenopacketAge(packet)).toThrow(message);
  });

  test('ISO 8601 durations', () => {
    expect(isoDurationYears('P1Y6M')).toBe(1.5);
    expect(isoDurationYears('P')).toBeUndefined();
    expect(isoDurationYears('P6YT3H')).toBeUndefined();
  });
});
