import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ddxplusId, readDdxplus, readKaggle, readPhenopackets } from '../../lib/cli/cases';
import { parseCsv } from '../../lib/cli/csv';

const MAPPINGS = resolve(__dirname, '..', '..', 'pipelines', 'mappings');

describe('labeled case readers', () => {
  test('CSV fields may hold quotes, commas and newlines', () => {
    expect(parseCsv('a,"b,""c""\nd",e\r\n1,2,3\n')).toEqual([
      ['a', 'b,"c"\nd', 'e'],
      ['1', '2', '3'],
    ]);
  });

  test('DDXPlus rows become questionnaire cases with the mapped phenotypes; bad rows are reported', () => {
    const csv = [
      'AGE,DIFFERENTIAL_DIAGNOSIS,SEX,PATHOLOGY,EVIDENCES,INITIAL_EVIDENCE',
      `40,"[['URTI', 0.5]]",F,Possible NSTEMI / STEMI,"['E_91', 'E_55_@_V_89']",E_91`,
      '41,[],M,URTI,not-a-list,E_1',
    ].join('\n');
    const { cases, rejected } = readDdxplus(csv, 'f.csv', { E_91: 'HP:0001945', E_55: 'HP:0012531' });
    expect(cases).toHaveLength(1);
    expect(cases[0].label).toBe('DDXPLUS:Possible_NSTEMI_STEMI');
    expect(cases[0].input).toMatchObject({
      evidences: ['E_91', 'E_55_@_V_89'],
      observed: ['HP:0001945', 'HP:0012531'],
      ageYears: 40,
      sex: 'female',
    });
    expect(rejected).toEqual([{ source: 'f.csv:3', reason: 'EVIDENCES is not a list: not-a-list' }]);
    expect(ddxplusId('Guillain-Barré syndrome')).toBe('DDXPLUS:Guillain_Barr_syndrome');
  });

  test('phenopackets: observed and excluded features, age, sex, Orphanet ids; unreadable entries are reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dxops-pp-'));
    const good = {
      subject: { sex: 'MALE', timeAtLastEncounter: { age: { iso8601duration: 'P6Y6M' } } },
      phenotypicFeatures: [{ type: { id: 'HP:0001250' } }, { type: { id: 'HP:0001263' }, excluded: true }],
      interpretations: [{ diagnosis: { disease: { id: 'Orphanet:558' } } }],
    };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(good));
    // one folder per gene, as in phenopacket-store: files below the directory are read too
    mkdirSync(join(dir, 'FBN1', 'phenopackets'), { recursive: true });
    writeFileSync(
      join(dir, 'FBN1', 'phenopackets', 'b.jsonl'),
      `${JSON.stringify({ phenotypicFeatures: [] })}\n{oops\n`,
    );
    const { cases, rejected } = readPhenopackets(dir);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      label: 'ORPHA:558',
      input: { observed: ['HP:0001250'], excluded: ['HP:0001263'], ageYears: 6.5, sex: 'male' },
    });
    expect(rejected.map((r) => r.reason).sort()).toEqual(['no phenotypicFeatures', 'not valid JSON']);
  });

  test('phenopackets: the age of any TimeElement form, the first OMIM/ORPHA diagnosis; a bad age is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dxops-pp-age-'));
    const packet = (subject: object, features: object[] = [{ type: { id: 'HP:0001250' } }]) => ({
      subject,
      phenotypicFeatures: features,
      diseases: [{ term: { id: 'MONDO:0000001' } }, { term: { id: 'OMIM:147791' } }],
    });
    const packets = [
      packet({ timeAtLastEncounter: { ontologyClass: { id: 'HP:0003593', label: 'Infantile onset' } } }),
      // no encounter age: the latest onset of an observed finding
      packet({}, [{ type: { id: 'HP:0001250' }, onset: { age: { iso8601duration: 'P2Y' } } }]),
      packet({ timeAtLastEncounter: { ontologyClass: { id: 'HP:0001250' } } }),
    ];
    writeFileSync(join(dir, 'all.json'), JSON.stringify(packets));
    const { cases, rejected } = readPhenopackets(dir);
    expect(cases.map((c) => [c.label, c.input.ageYears])).toEqual([
      ['OMIM:147791', 0.54],
      ['OMIM:147791', 2],
    ]);
    expect(rejected).toEqual([
      {
        source: `${join(dir, 'all.json')}#2`,
        reason: "subject.timeAtLastEncounter.ontologyClass 'HP:0001250' is not an HPO onset term",
      },
    ]);
  });

  test('Kaggle rows map symptoms to HPO and diseases to the catalog; an unknown disease keeps no label', () => {
    const mappings = MAPPINGS;
    const csv =
      ',,,\nGERD, stomach_pain, acidity, chest_pain\nAcne, skin_rash, pus_filled_pimples,\nGout, joint_pain,,\n';
    const { cases } = readKaggle(csv, 'k.csv', mappings);
    // GERD is a DDXPlus condition; Acne is a Kaggle disease of its own on the common side; Gout is not in the set
    expect(cases.map((c) => c.label)).toEqual(['DDXPLUS:GERD', 'KAGGLE:Acne', undefined]);
    expect(cases[0].input.observed.length).toBeGreaterThanOrEqual(2);
    // the one-hot variant (Training.csv / Testing.csv) reads the same
    const oneHot = readKaggle('stomach_pain,acidity,skin_rash,prognosis\n1,1,0,GERD\n', 'k2.csv', mappings);
    expect(oneHot.cases.map((c) => [c.label, c.input.observed])).toEqual([
      ['DDXPLUS:GERD', cases[0].input.observed.slice(0, 2)],
    ]);
  });
});
