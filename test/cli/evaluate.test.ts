import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluateEndpoint, evaluatePackage } from '../../lib/cli/evaluate';
import { makeHome, startApp } from '../containers/inference/helpers';

// The tiny package built by the real pipeline steps (make fixtures): URTI, Pneumonia, GERD and five rare diseases.
const PACKAGE = resolve(__dirname, '..', 'fixtures', 'generated', 'package');
const MAPPINGS = resolve(__dirname, '..', '..', 'pipelines', 'mappings');

function patients(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dxops-eval-')), 'patients.csv');
  writeFileSync(
    file,
    [
      'AGE,DIFFERENTIAL_DIAGNOSIS,SEX,PATHOLOGY,EVIDENCES,INITIAL_EVIDENCE',
      `30,[],M,URTI,"['E_1', 'E_2']",E_1`,
      `31,[],F,GERD,"['E_4_@_V_1']",E_4`,
      `32,[],F,Influenza,"['E_1']",E_1`,
    ].join('\n'),
  );
  return file;
}

function phenopackets(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dxops-eval-')), 'cases.jsonl');
  const packet = (disease: string) => ({
    subject: { sex: 'FEMALE' },
    phenotypicFeatures: [{ type: { id: 'HP:0001250' } }],
    interpretations: [{ diagnosis: { disease: { id: disease } } }],
  });
  writeFileSync(file, `${JSON.stringify(packet('OMIM:100001'))}\n${JSON.stringify(packet('ORPHA:999999'))}\n`);
  return file;
}

describe('dxops evaluate', () => {
  test('scores a labeled DDXPlus file with the package, counting unknown diagnoses as misses', async () => {
    // GIVEN three patients, one of them with a condition the model does not know
    // WHEN they are evaluated
    const result = await evaluatePackage(PACKAGE, 'ddxplus', patients(), MAPPINGS);
    // THEN the two known conditions are found in the top 3 and the unknown one counts as a miss
    expect(result).toMatchObject({ n: 3, scored: 2, outsideCatalog: 1, rejected: 0, modelVersion: 'tiny-1' });
    expect(result.top3).toBeCloseTo(2 / 3, 4);
    expect(result.top10).toBeCloseTo(2 / 3, 4);
    expect(result.mrr).toBeGreaterThan(0);
    expect(result.mrr).toBeLessThanOrEqual(0.6667); // metrics are rounded to 4 decimals
  });

  test('the running service scores the same file as its package does locally', async () => {
    // GIVEN the service serving the tiny package on a loopback port
    const t = await startApp({ MODEL_DIR: PACKAGE, SKIP_REGISTRY: '1' }, makeHome());
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // WHEN the same file is evaluated over the API and with the package
      const file = patients();
      const remote = await evaluateEndpoint(url, undefined, 'ddxplus', file, MAPPINGS);
      const local = await evaluatePackage(PACKAGE, 'ddxplus', file, MAPPINGS);
      // THEN both see the same catalog, the same version and the same ranks
      expect(remote).toEqual(local);
      expect(remote).toMatchObject({ n: 3, scored: 2, outsideCatalog: 1, modelVersion: 'tiny-1' });
      // AND phenopackets: a rare-disease label the catalog knows is scored, an unknown one counts as a miss
      const packets = phenopackets();
      const remotePackets = await evaluateEndpoint(url, undefined, 'phenopackets', packets, MAPPINGS);
      expect(remotePackets).toEqual(await evaluatePackage(PACKAGE, 'phenopackets', packets, MAPPINGS));
      expect(remotePackets).toMatchObject({ n: 2, scored: 1, outsideCatalog: 1, rejected: 0 });
    } finally {
      await t.app.close();
    }
  });

  test('an unreachable service is a clear error naming the URL', async () => {
    await expect(evaluateEndpoint('http://127.0.0.1:9', undefined, 'ddxplus', patients(), MAPPINGS)).rejects.toThrow(
      /cannot reach the service at http:\/\/127.0.0.1:9/,
    );
  });
});
