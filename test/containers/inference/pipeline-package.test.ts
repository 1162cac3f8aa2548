import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../../containers/inference/src/model/load-model';
import { DirPackageReader } from '../../../containers/inference/src/model/package-reader';
import { makeHome, startApp } from './helpers';

/**
 * The contract from the other side: the tiny package the pipeline's own Export step writes (`make fixtures`,
 * pipelines/steps/make_tiny_package.py) is accepted by the service's verifier and answers requests.
 */
const PIPELINE_PACKAGE = join(__dirname, '..', '..', 'fixtures', 'generated', 'package');

interface ParityVector {
  request: { observed: number[]; excluded: number[]; tokens: number[]; age: number; sex: number };
  listed: string[];
}

describe('the package exported by the pipeline', () => {
  test('the service lists the candidates the Python model lists, in its order (common/support.py)', async () => {
    // GIVEN the Export step's parity requests with the list Python showed for each (its support mask, first ten)
    const read = (name: string) => JSON.parse(readFileSync(join(PIPELINE_PACKAGE, name), 'utf8'));
    const { vectors } = read('parity-vectors.json') as { vectors: ParityVector[] };
    const terms = (read('vocabulary.json') as { terms: { id: string }[] }).terms.map((t) => t.id);
    const tokens = (read('evidences.json') as { tokens: string[] }).tokens;
    const sexes = ['unknown', 'female', 'male'];
    const t = await startApp({ MODEL_DIR: PIPELINE_PACKAGE, SKIP_REGISTRY: '1' }, makeHome());
    try {
      // the vectors hold requests whose list leaves some of the catalog's 9 diseases out, or this would check nothing
      expect(vectors.some((v) => v.listed.length < 9)).toBe(true);
      let checked = 0;
      for (const v of vectors) {
        // WHEN the service answers the same request
        const phenotypes = [
          ...v.request.observed.map((i) => ({ id: terms[i] })),
          ...v.request.excluded.map((i) => ({ id: terms[i], excluded: true })),
        ];
        const payload = {
          ...(phenotypes.length ? { phenotypes } : {}),
          evidences: v.request.tokens.map((i) => tokens[i]),
          ...(v.request.age >= 0 ? { age: { years: v.request.age } } : {}),
          sex: sexes[v.request.sex],
          topK: 10,
        };
        // the API takes no empty request, and no HPO_@_ input token (the Kaggle symptoms' own inputs): Python's
        // random questionnaires draw them
        if (!phenotypes.length && !v.request.tokens.length) continue;
        if (payload.evidences.some((e) => !e.startsWith('E_'))) continue;
        checked++;
        const res = await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload });
        // THEN it lists the same candidates in the same order
        expect([res.statusCode, res.json().message]).toEqual([200, undefined]);
        expect(res.json().differential.map((c: { diseaseId: string }) => c.diseaseId)).toEqual(v.listed);
      }
      expect(checked).toBeGreaterThanOrEqual(5);
    } finally {
      await t.app.close();
    }
  });

  test('is verified, served and ranks a febrile seizure case', async () => {
    // GIVEN
    const t = await startApp({ MODEL_DIR: PIPELINE_PACKAGE, SKIP_REGISTRY: '1' }, makeHome());
    try {
      // WHEN
      const ready = await t.app.inject({ url: '/readyz' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/diagnoses',
        payload: { phenotypes: [{ id: 'HP:0001250' }, { id: 'HP:0002373' }, { id: 'HP:0001249' }], topK: 3 },
      });
      // THEN
      expect(ready.json()).toMatchObject({ status: 'ready', modelVersion: 'tiny-1' });
      expect(res.statusCode).toBe(200);
      expect(res.json().differential[0]).toMatchObject({ diseaseId: 'OMIM:100001', category: 'orphan' });
      expect(res.json().warnings).toEqual([]);
    } finally {
      await t.app.close();
    }
  });

  test('the support set built from the per-term lists is the one candidate-by-candidate checks give', async () => {
    // GIVEN the tiny package (a gene relative, a Kaggle entry, DDXPlus conditions with evidence codes); its catalog is
    // smaller than the first scan, so requests never reach the per-term lists: they are held to the check here
    const model = await loadModel(new DirPackageReader(PIPELINE_PACKAGE));
    const { support } = model;
    const diseases = model.catalog.map((_, d) => d);
    const requests = [
      ...model.vocabulary.terms.map((_, q) => [q]),
      ...model.vocabulary.terms.map((_, q) => [q, (q * 7 + 3) % model.vocabulary.terms.length]),
    ];
    let supportedSomewhere = 0;
    for (const observed of requests) {
      // WHEN both ways judge every disease
      const mask = support.mask(observed, []);
      const oneByOne = diseases.map((d) => (observed.some((q) => support.related(d, q)) ? 1 : 0));
      // THEN they agree
      expect(Array.from(mask)).toEqual(oneByOne);
      supportedSomewhere += oneByOne.some(Boolean) && !oneByOne.every(Boolean) ? 1 : 0;
    }
    // AND an answer supports exactly the conditions that list its code
    const code = model.catalog.find((d) => d.evidences?.length)?.evidences?.[0] as string;
    expect(Array.from(support.mask([], [code]))).toEqual(
      model.catalog.map((d) => (d.evidences?.includes(code) ? 1 : 0)),
    );
    // the requests support some diseases and not others, or the comparison would say little
    expect(supportedSomewhere).toBeGreaterThan(10);
  });

  test('a disease without annotations of its own says whose findings it is ranked on', async () => {
    // GIVEN the tiny package, where OMIM:100005 has no annotations and shares gene G1 with OMIM:100001
    const t = await startApp({ MODEL_DIR: PIPELINE_PACKAGE, SKIP_REGISTRY: '1' }, makeHome());
    try {
      // WHEN a case of OMIM:100001's findings asks for the whole catalog
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/diagnoses',
        payload: { phenotypes: [{ id: 'HP:0001249' }, { id: 'HP:0002373' }, { id: 'HP:0012735' }], topK: 50 },
      });
      const byId = new Map(
        res.json().differential.map((c: { diseaseId: string }) => [c.diseaseId, c] as [string, unknown]),
      );
      // THEN the relative names its source, and its supporting findings are the source's that the case has
      expect(byId.get('OMIM:100005')).toMatchObject({
        profileFrom: ['OMIM:100001'],
        supportingPhenotypes: ['HP:0001249', 'HP:0002373'],
      });
      // AND a disease with annotations of its own carries no such field
      expect(byId.get('OMIM:100001')).not.toHaveProperty('profileFrom');
    } finally {
      await t.app.close();
    }
  });

  test('a Kaggle disease of the common side can be looked up and confirmed as feedback', async () => {
    // GIVEN the tiny package, whose common side has the Kaggle migraine (pipelines/steps/tiny_reference.py)
    const t = await startApp({ MODEL_DIR: PIPELINE_PACKAGE, SKIP_REGISTRY: '1' }, makeHome());
    try {
      const diagnosis = await t.app.inject({
        method: 'POST',
        url: '/v1/diagnoses',
        payload: { phenotypes: [{ id: 'HP:0002315' }], topK: 10 },
      });
      const migraine = diagnosis
        .json()
        .differential.find((d: { diseaseId: string }) => d.diseaseId === 'KAGGLE:Migraine');
      // WHEN the clinician looks it up and confirms it
      const shown = await t.app.inject({ url: '/v1/diseases/KAGGLE:Migraine' });
      const feedback = await t.app.inject({
        method: 'POST',
        url: '/v1/feedback',
        payload: { requestId: diagnosis.json().requestId, diseaseId: 'KAGGLE:Migraine', verdict: 'confirmed' },
      });
      // THEN
      expect(migraine).toMatchObject({ category: 'common', name: 'Migraine' });
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({ id: 'KAGGLE:Migraine', category: 'common' });
      expect(feedback.statusCode).toBe(201);
    } finally {
      await t.app.close();
    }
  });
});
