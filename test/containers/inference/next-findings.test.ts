import { type ProfileSource, suggestFindings } from '../../../containers/inference/src/model/next-findings';

// A tiny ontology: 0 root; 1 seizure, 2 focal seizure (under 1); 3 cardiac defect, 4 septal defect (under 3);
// 5 short stature; 6 cough.
const PARENTS: number[][] = [[], [0], [1], [0], [3], [0], [0]];
const ancestors = PARENTS.map((_p, i) => {
  const out = new Set<number>();
  const walk = (t: number) => {
    out.add(t);
    for (const p of PARENTS[t]) walk(p);
  };
  walk(i);
  return out;
});

// disease -> [term, frequency][]
const PROFILES: [number, number][][] = [
  [
    [2, 0.9],
    [5, 0.9],
  ], // 0: focal seizures and short stature
  [
    [1, 0.9],
    [4, 0.9],
  ], // 1: seizures and a septal defect
  [
    [1, 0.9],
    [5, 0.9],
    [6, 0.5],
  ], // 2: seizures, short stature, sometimes cough
];
const profiles: ProfileSource = {
  ancestors,
  terms: (d) => PROFILES[d].map(([t]) => t),
  frequencies: (d) => PROFILES[d].map(([, f]) => f),
};
const even = [0, 1, 2].map((disease) => ({ disease, probability: 1 / 3 }));

describe('suggestFindings', () => {
  test('the finding that splits the candidates best comes first, with the candidates that have it', () => {
    // GIVEN seizures observed, three equally likely candidates
    const picked = suggestFindings(even, [1], [], profiles);
    // THEN the findings that split one candidate from the other two come first: focal seizure and the septal defect
    // (equal gains go by term) just ahead of short stature, whose "no" is less sure with two diseases at 0.9;
    // cough, in one disease at half the frequency, splits least
    expect(picked.map((s) => s.term)).toEqual([2, 4, 5, 6]);
    expect(picked[2].foundIn).toEqual([0, 2]);
    expect(picked[0].gain).toBeCloseTo(0.571, 3);
    expect(picked[3].gain).toBeLessThan(picked[2].gain / 2);
  });

  test('what is entered, or implied by what is entered, is never suggested', () => {
    // GIVEN focal seizure observed (so seizure is known) and a cardiac defect excluded (so the septal defect is too)
    const picked = suggestFindings(even, [2], [3], profiles).map((s) => s.term);
    // THEN neither seizure, focal seizure, nor the septal defect is asked about
    expect(picked).not.toContain(1);
    expect(picked).not.toContain(2);
    expect(picked).not.toContain(4);
    expect(picked).toContain(5);
  });

  test('a more specific finding still counts for the broader term: focal seizure answers "seizure"', () => {
    // GIVEN nothing entered: seizure is in all three profiles (disease 0 through focal seizure), so it splits nothing
    const picked = suggestFindings(even, [], [], profiles);
    expect(picked.find((s) => s.term === 1)).toBeUndefined();
  });

  test('a term and its parent are not both suggested', () => {
    // GIVEN two candidates: one has a septal defect, the other nothing cardiac
    const two = [
      { disease: 1, probability: 0.5 },
      { disease: 0, probability: 0.5 },
    ];
    const picked = suggestFindings(two, [], [], {
      ...profiles,
      terms: (d) => (d === 1 ? [3, 4] : PROFILES[d].map(([t]) => t)),
      frequencies: (d) => (d === 1 ? [0.9, 0.9] : PROFILES[d].map(([, f]) => f)),
    }).map((s) => s.term);
    // THEN only one of cardiac defect / septal defect
    expect(picked.filter((t) => t === 3 || t === 4)).toHaveLength(1);
  });

  test('one candidate, or a finding every candidate shares, gives no suggestion', () => {
    expect(suggestFindings([{ disease: 0, probability: 1 }], [], [], profiles)).toEqual([]);
    const twins = [
      { disease: 2, probability: 0.5 },
      { disease: 2, probability: 0.5 },
    ];
    expect(suggestFindings(twins, [], [], profiles)).toEqual([]);
  });

  test('a candidate the model is sure about leaves little to ask: gains shrink with the leader’s probability', () => {
    const sure = [
      { disease: 0, probability: 0.98 },
      { disease: 1, probability: 0.01 },
      { disease: 2, probability: 0.01 },
    ];
    const gain = (c: typeof even) => Math.max(...suggestFindings(c, [1], [], profiles).map((s) => s.gain), 0);
    expect(gain(sure)).toBeLessThan(gain(even) / 3);
  });
});
