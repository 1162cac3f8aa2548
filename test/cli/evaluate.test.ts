import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluatePackage } from '../../lib/cli/evaluate';

// The tiny package built by the real pipeline steps (make fixtures): URTI, Pneumonia, GERD and five rare diseases.
const PACKAGE = resolve(__dirname, '..', 'fixtures', 'generated', 'package');

describe('dxops evaluate', () => {
  test('scores a labeled DDXPlus file with the package, counting unknown diagnoses as misses', async () => {
    // GIVEN three patients, one of them with a condition the model does not know
    const dir = mkdtempSync(join(tmpdir(), 'dxops-eval-'));
    const file = join(dir, 'patients.csv');
    writeFileSync(
      file,
      [
        'AGE,DIFFERENTIAL_DIAGNOSIS,SEX,PATHOLOGY,EVIDENCES,INITIAL_EVIDENCE',
        `30,[],M,URTI,"['E_1', 'E_2']",E_1`,
        `31,[],F,GERD,"['E_4_@_V_1']",E_4`,
        `32,[],F,Influenza,"['E_1']",E_1`,
      ].join('\n'),
    );
    // WHEN it is evaluated
    const result = await evaluatePackage(
      PACKAGE,
      'ddxplus',
      file,
      resolve(__dirname, '..', '..', 'pipelines', 'mappings'),
    );
    // THEN the two known conditions are found in the top 3 and the unknown one counts as a miss
    expect(result).toMatchObject({ n: 3, scored: 2, outsideCatalog: 1, rejected: 0, modelVersion: 'tiny-1' });
    expect(result.top3).toBeCloseTo(2 / 3, 4);
    expect(result.top10).toBeCloseTo(2 / 3, 4);
    expect(result.mrr).toBeGreaterThan(0);
    expect(result.mrr).toBeLessThanOrEqual(0.6667); // metrics are rounded to 4 decimals
  });
});
