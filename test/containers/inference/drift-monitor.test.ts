import { topIndices } from '../../../containers/inference/src/model/listing';
import { ageBand, DriftMonitor, psi } from '../../../containers/inference/src/monitoring/drift-monitor';

const BASELINE = {
  sex: { bins: ['unknown', 'female', 'male'], expected: [0.1, 0.45, 0.45] },
  system: { bins: ['HP:0000707', 'HP:0001626'], expected: [0.5, 0.5] },
  confidence: {
    bins: [
      '0.0-0.1',
      '0.1-0.2',
      '0.2-0.3',
      '0.3-0.4',
      '0.4-0.5',
      '0.5-0.6',
      '0.6-0.7',
      '0.7-0.8',
      '0.8-0.9',
      '0.9-1.0',
    ],
    expected: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
  },
};
const observation = (sex: string, systems: string[] = [], topProbability = 0.95) => ({
  ageBand: 'unknown',
  sex,
  phenotypeCount: systems.length,
  systems,
  topProbability,
  predictedCategory: 'common',
});

describe('drift statistics', () => {
  test('PSI is zero for the baseline distribution and follows the documented formula otherwise', () => {
    expect(psi([0.1, 0.45, 0.45], [0.1, 0.45, 0.45])).toBe(0);
    // (0.5-0.1)ln(5) + (0.25-0.45)ln(0.25/0.45) * 2
    expect(psi([0.5, 0.25, 0.25], [0.1, 0.45, 0.45])).toBeCloseTo(
      0.4 * Math.log(5) + 2 * -0.2 * Math.log(0.25 / 0.45),
      10,
    );
    // an empty bin is floored at 1e-4, not infinite
    expect(Number.isFinite(psi([0, 0.5, 0.5], [0.1, 0.45, 0.45]))).toBe(true);
  });

  test('the window slides: old requests stop counting', () => {
    // GIVEN a window of 10 filled with male requests (far from the baseline)
    const drift = new DriftMonitor(BASELINE, 10);
    for (let i = 0; i < 10; i++) drift.add(observation('male'));
    const shifted = drift.psi().sex;
    // WHEN 10 requests matching the baseline mix replace them
    for (const sex of ['unknown', 'female', 'female', 'female', 'female', 'male', 'male', 'male', 'male', 'female']) {
      drift.add(observation(sex));
    }
    // THEN
    expect(shifted).toBeGreaterThan(1);
    expect(drift.psi().sex).toBeCloseTo(psi([0.1, 0.5, 0.4], BASELINE.sex.expected), 10);
    expect(drift.size).toBe(10);
  });

  test('each observed term counts once in its system bin; confidence uses tenths with 1.0 in the last bin', () => {
    // GIVEN
    const drift = new DriftMonitor(BASELINE, 100);
    // WHEN
    drift.add(observation('female', ['HP:0000707', 'HP:0000707', 'HP:0001626', 'HP:9999999'], 1));
    drift.add(observation('female', ['HP:0001626'], 0.05));
    // THEN
    expect(drift.psi().system).toBe(0);
    const conf = Array(10).fill(0);
    conf[0] = 0.5;
    conf[9] = 0.5;
    expect(drift.psi().confidence).toBeCloseTo(psi(conf, BASELINE.confidence.expected), 10);
  });

  test.each([
    [undefined, 'unknown'],
    [0.5, '0-1'],
    [1.9, '0-1'],
    [2, '2-5'],
    [17.9, '6-17'],
    [39, '18-39'],
    [64.99, '40-64'],
    [65, '65+'],
  ])('age %p years is in band %s', (years, band) => {
    expect(ageBand(years)).toBe(band);
  });

  test('topIndices returns the k largest, best first, ties in index order', () => {
    expect(topIndices(Float32Array.from([0.1, 0.4, 0.2, 0.4, 0.05]), 3)).toEqual([1, 3, 2]);
    expect(topIndices(Float32Array.from([0.3, 0.7]), 5)).toEqual([1, 0]);
  });
});
