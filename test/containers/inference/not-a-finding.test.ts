import { join } from 'node:path';
import type { DriftObservation } from '../../../containers/inference/src/monitoring/drift-monitor';
import { readJsonl, startApp, type TestApp } from './helpers';

/**
 * Terms outside Phenotypic abnormality (HP:0000118) are not findings: the roots HP:0000001 and HP:0000118 and, in the
 * fixture, HP:0000006 Autosomal dominant inheritance (a child of the root, like onset and modifier terms).
 */
describe('POST /v1/diagnoses with terms that are not findings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  const diagnose = (payload: object) => t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload });
  const codes = (body: { warnings: { code: string; id: string }[] }) => body.warnings.map((w) => `${w.code} ${w.id}`);

  test('the two roots are ignored with NOT_A_FINDING and no longer support every candidate', async () => {
    // GIVEN only the two roots
    // WHEN
    const res = await diagnose({ phenotypes: [{ id: 'HP:0000001' }, { id: 'HP:0000118' }], topK: 3 });
    // THEN nothing is left: no candidate is supported (they used to support every one), and the count says 0
    expect(res.statusCode).toBe(200);
    expect(codes(res.json())).toEqual([
      'NOT_A_FINDING HP:0000001',
      'NOT_A_FINDING HP:0000118',
      'FEW_FINDINGS 0',
      'NO_SUPPORTED_CANDIDATE 0',
    ]);
    for (const c of res.json().differential) expect(c.supportingPhenotypes).toEqual([]);
    expect(res.json().warnings[0].message).toMatch(/HP:0000001 \(All\) is not a phenotypic abnormality.*ignored/);
  });

  test('an inheritance term does not count towards FEW_FINDINGS, nor as a supporting finding', async () => {
    // WHEN one finding with the root and an inheritance mode (three terms, one finding)
    const res = await diagnose({
      phenotypes: [{ id: 'HP:0002373' }, { id: 'HP:0000118' }, { id: 'HP:0000006' }],
      topK: 3,
    });
    // THEN
    expect(codes(res.json())).toEqual(['NOT_A_FINDING HP:0000118', 'NOT_A_FINDING HP:0000006', 'FEW_FINDINGS 1']);
    expect(res.json().differential[0]).toMatchObject({
      diseaseId: 'OMIM:607208',
      supportingPhenotypes: ['HP:0002373'],
    });
  });

  test('a phenopacket gets the same filtering, and the audit record and drift see only the findings', async () => {
    // GIVEN the drift monitor watched
    const seen: DriftObservation[] = [];
    const drift = t.app.dx.drift;
    if (!drift) throw new Error('no drift monitor: the fixture model is not loaded');
    const add = jest.spyOn(drift, 'add').mockImplementation((o) => {
      seen.push(o);
    });
    // WHEN a phenopacket with an excluded root and an inheritance mode beside two findings
    const res = await diagnose({
      phenopacket: {
        phenotypicFeatures: [
          { type: { id: 'HP:0000006' } },
          { type: { id: 'HP:0002373' } },
          { type: { id: 'HP:0001249' } },
          { type: { id: 'HP:0000001' }, excluded: true },
        ],
      },
    });
    add.mockRestore();
    // THEN
    expect(res.statusCode).toBe(200);
    expect(codes(res.json())).toEqual(['NOT_A_FINDING HP:0000006', 'NOT_A_FINDING HP:0000001', 'FEW_FINDINGS 2']);
    const record = readJsonl(join(t.home, 'audit')).find((r) => r.requestId === res.json().requestId);
    expect(record).toMatchObject({ observed: ['HP:0002373', 'HP:0001249'], excluded: [] });
    expect(seen).toEqual([expect.objectContaining({ phenotypeCount: 2, systems: ['HP:0000707', 'HP:0000707'] })]);
  });
  test('the phenotype search does not offer a term that would be ignored', async () => {
    // WHEN the clinician types the inheritance term's words, or its id
    const search = (q: string) =>
      t.app.inject({ method: 'GET', url: `/v1/phenotypes?q=${encodeURIComponent(q)}&limit=20` });
    // THEN it is not among the suggestions, while a finding's id still is
    for (const q of ['autosomal dominant', 'HP:0000006', 'phenotypic abnormality']) {
      const res = await search(q);
      expect(res.statusCode).toBe(200);
      const ids = res.json().results.map((r: { id: string }) => r.id);
      for (const ignored of ['HP:0000006', 'HP:0000118', 'HP:0000001']) expect(ids).not.toContain(ignored);
    }
    expect((await search('HP:0002373')).json().results[0].id).toBe('HP:0002373');
  });
});
