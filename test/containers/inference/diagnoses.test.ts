import { join } from 'node:path';
import { DRAVET_LIKE, readJsonl, startApp, type TestApp } from './helpers';

describe('POST /v1/diagnoses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  const diagnose = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: payload as object });

  test('a common candidate carries its name in every language the catalog has; an orphan one only its name', async () => {
    const res = await diagnose({ phenotypes: [{ id: 'HP:0001945' }, { id: 'HP:0012735' }, { id: 'HP:0002094' }] });
    const byId = new Map(res.json().differential.map((c: { diseaseId: string }) => [c.diseaseId, c]));
    expect(byId.get('DDXPLUS:Pneumonia')).toMatchObject({
      name: 'Pneumonia',
      names: { en: 'Pneumonia', es: 'Neumonía', fr: 'Pneumonie' },
    });
    expect(byId.get('ORPHA:99103')).not.toHaveProperty('names');
  });

  test('a native request ranks the matching orphan disease first, with its supporting findings', async () => {
    // WHEN
    const res = await diagnose(DRAVET_LIKE);
    // THEN
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.modelVersion).toBe('fixture-1');
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(body.requestId);
    // the two diseases with those findings: nothing entered speaks for the common ones or the third rare one
    expect(body.differential.map((c: { diseaseId: string }) => c.diseaseId)).toEqual(['OMIM:607208', 'OMIM:147791']);
    expect(body.differential[0]).toMatchObject({
      rank: 1,
      diseaseId: 'OMIM:607208',
      name: 'Dravet syndrome',
      category: 'orphan',
      supportingPhenotypes: ['HP:0002373', 'HP:0001249', 'HP:0001263'],
    });
    const probabilities = body.differential.map((c: { probability: number }) => c.probability);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
    expect(probabilities.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(1.000001);
    expect(body.orphanSuspicion).toBeGreaterThan(0.5);
    expect(body.specialistReview).toBe(false);
    expect(body.warnings).toEqual([]);
  });

  test('a candidate nothing entered supports is left out, whatever its probability', async () => {
    // GIVEN fever and a cluster headache finding: pneumonia, URTI and cluster headache have them, no rare disease does
    const res = await diagnose({ phenotypes: [{ id: 'HP:0001945' }, { id: 'HP:0002315' }], topK: 6 });
    // THEN the rare diseases, which the full distribution still gives a probability, are not listed
    const body = res.json();
    expect(body.differential.map((c: { diseaseId: string }) => c.diseaseId).sort()).toEqual([
      'DDXPLUS:Cluster_headache',
      'DDXPLUS:Pneumonia',
      'DDXPLUS:URTI',
    ]);
    for (const c of body.differential) expect(c.supportingPhenotypes.length).toBeGreaterThan(0);
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(['FEW_FINDINGS']);
  });

  test('with nothing any candidate has, the list follows the probabilities alone and says so', async () => {
    // GIVEN only an excluded finding
    const res = await diagnose({ phenotypes: [{ id: 'HP:0012735', excluded: true }], topK: 3 });
    // THEN three candidates all the same, and a warning naming the reason
    const body = res.json();
    expect(body.differential).toHaveLength(3);
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(['FEW_FINDINGS', 'NO_SUPPORTED_CANDIDATE']);
  });

  test('a rare-disease candidate names its genes and folded ids; a common one has none', async () => {
    const res = await diagnose({
      ...DRAVET_LIKE,
      phenotypes: [...DRAVET_LIKE.phenotypes, { id: 'HP:0001945' }],
      topK: 6,
    });
    const byId = new Map(res.json().differential.map((c: { diseaseId: string }) => [c.diseaseId, c]));
    expect(byId.get('OMIM:607208')).toMatchObject({ genes: ['SCN1A'], xrefs: ['ORPHA:33069'] });
    expect(byId.get('DDXPLUS:URTI')).toMatchObject({ genes: [], xrefs: [] });
  });

  test('findings to look for next: not entered yet, labelled, and each found in some leading candidate', async () => {
    // WHEN only febrile seizures and developmental delay are entered, whatever topK the client asks for
    const res = await diagnose({ phenotypes: [{ id: 'HP:0002373' }, { id: 'HP:0001263' }], topK: 1 });
    // THEN suggestions come, best first, none of them entered, each in some of the leading candidates' profiles
    const { suggestedFindings, differential } = res.json();
    expect(differential).toHaveLength(1);
    expect(suggestedFindings.length).toBeGreaterThan(0);
    const gains = suggestedFindings.map((s: { informationGain: number }) => s.informationGain);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
    for (const s of suggestedFindings) {
      expect(['HP:0002373', 'HP:0001263']).not.toContain(s.id);
      expect(s.label).toEqual(expect.any(String));
      expect(s.foundIn.length).toBeGreaterThan(0);
    }
    // AND they tell apart the candidates the list shows, the two with those findings: an atrial septal defect, which
    // Jacobsen syndrome has and Dravet syndrome not, is among them; intellectual disability, which both have, is not
    const ids = suggestedFindings.map((s: { id: string }) => s.id);
    expect(ids).toContain('HP:0001631');
    expect(ids).not.toContain('HP:0001249');
    for (const s of suggestedFindings) for (const d of s.foundIn) expect(['OMIM:607208', 'OMIM:147791']).toContain(d);
  });

  test('an excluded finding that a disease has is reported as contradicting it', async () => {
    // GIVEN cough excluded; URTI and pneumonia list cough (and fever, which keeps them on the list)
    const res = await diagnose({
      ...DRAVET_LIKE,
      phenotypes: [...DRAVET_LIKE.phenotypes, { id: 'HP:0001945' }],
      topK: 6,
    });
    // THEN
    const urti = res.json().differential.find((c: { diseaseId: string }) => c.diseaseId === 'DDXPLUS:URTI');
    expect(urti.contradictingPhenotypes).toEqual(['HP:0012735']);
    // and an observed finding listed in a disease's excludedPhenotypes contradicts it too
    const fever = await diagnose({ phenotypes: [{ id: 'HP:0001945' }, { id: 'HP:0002315' }], topK: 6 });
    const cluster = fever
      .json()
      .differential.find((c: { diseaseId: string }) => c.diseaseId === 'DDXPLUS:Cluster_headache');
    expect(cluster.contradictingPhenotypes).toEqual(['HP:0001945']);
  });

  test('different findings give a different ranking (the model reads its inputs)', async () => {
    // WHEN respiratory findings and the fever/cough questionnaire answers are sent
    const res = await diagnose({
      phenotypes: [{ id: 'HP:0012735' }, { id: 'HP:0001945' }, { id: 'HP:0002094' }],
      evidences: ['E_91', 'E_201'],
      age: { years: 70 },
      sex: 'male',
    });
    // THEN a common disease leads
    expect(res.statusCode).toBe(200);
    expect(res.json().differential[0]).toMatchObject({ diseaseId: 'DDXPLUS:Pneumonia', category: 'common' });
    expect(res.json().orphanSuspicion).toBeLessThan(0.5);
  });

  test('a phenopacket gives the same differential as the equivalent native request', async () => {
    // GIVEN the same findings, age and sex as DRAVET_LIKE, in Phenopacket v2 form (with fields that are ignored)
    const phenopacket = {
      id: 'case-1',
      subject: { id: 'patient-1', sex: 'FEMALE', timeAtLastEncounter: { age: { iso8601duration: 'P3Y' } } },
      phenotypicFeatures: [
        { type: { id: 'HP:0002373', label: 'Febrile seizure' } },
        { type: { id: 'HP:0001249' } },
        { type: { id: 'HP:0001263' } },
        { type: { id: 'HP:0012735' }, excluded: true },
      ],
      metaData: { created: '2024-01-01T00:00:00Z' },
    };
    // WHEN
    const [packet, native] = await Promise.all([diagnose({ phenopacket, topK: 5 }), diagnose(DRAVET_LIKE)]);
    // THEN
    expect(packet.statusCode).toBe(200);
    expect(packet.json().differential).toEqual(native.json().differential);
  });

  test.each([
    ['an onset class (its midpoint)', { timeAtLastEncounter: { ontologyClass: { id: 'HP:0011463' } } }, undefined],
    [
      'an age range (its midpoint)',
      {
        timeAtLastEncounter: { ageRange: { start: { iso8601duration: 'P2Y' }, end: { iso8601duration: 'P4Y' } } },
      },
      undefined,
    ],
    // ISO 8601 allows a decimal fraction on the smallest unit given
    ['a fraction of a unit', { timeAtLastEncounter: { age: { iso8601duration: 'P2Y12.0M' } } }, undefined],
    // no encounter age: the latest onset of an observed finding
    ['the findings onsets', {}, { age: { iso8601duration: 'P3Y' } }],
  ])('a phenopacket age given as %s reads as 3 years', async (_name, subject, onset) => {
    // GIVEN DRAVET_LIKE's findings and sex, aged 3 in another TimeElement form
    const phenopacket = {
      subject: { sex: 'FEMALE', ...subject },
      phenotypicFeatures: [
        { type: { id: 'HP:0002373' }, onset },
        { type: { id: 'HP:0001249' } },
        { type: { id: 'HP:0001263' }, onset: onset && { age: { iso8601duration: 'P1Y' } } },
        { type: { id: 'HP:0012735' }, excluded: true, onset: onset && { age: { iso8601duration: 'P9Y' } } },
      ].map((f) => (f.onset ? f : { type: f.type, excluded: f.excluded })),
    };
    // WHEN
    const [packet, native] = await Promise.all([diagnose({ phenopacket, topK: 5 }), diagnose(DRAVET_LIKE)]);
    // THEN
    expect(packet.statusCode).toBe(200);
    expect(packet.json().differential).toEqual(native.json().differential);
  });

  test('unknown, obsolete, duplicate and conflicting ids are warnings, never errors', async () => {
    // WHEN
    const res = await diagnose({
      phenotypes: [
        { id: 'HP:0002279' },
        { id: 'HP:0001250' },
        { id: 'HP:9999999' },
        { id: 'HP:0001945' },
        { id: 'HP:0001945', excluded: true },
      ],
      evidences: ['E_9999'],
    });
    // THEN
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings.map((w: { code: string; id: string }) => `${w.code} ${w.id}`)).toEqual([
      'REDIRECTED_PHENOTYPE HP:0002279',
      'DUPLICATE_PHENOTYPE HP:0001250',
      'UNKNOWN_PHENOTYPE HP:9999999',
      'CONFLICTING_PHENOTYPE HP:0001945',
      'UNKNOWN_EVIDENCE E_9999',
      'FEW_FINDINGS 2', // seizure and fever are left
    ]);
  });

  test('fewer than three findings are answered with a FEW_FINDINGS warning; questionnaire answers count', async () => {
    // WHEN two phenotypes, then the same two with a known questionnaire answer
    const two = await diagnose({ phenotypes: [{ id: 'HP:0001250' }, { id: 'HP:0001945' }] });
    const three = await diagnose({ phenotypes: [{ id: 'HP:0001250' }, { id: 'HP:0001945' }], evidences: ['E_91'] });
    // THEN only the first carries it, with the count, and both are answered
    expect(two.statusCode).toBe(200);
    expect(two.json().warnings).toEqual([expect.objectContaining({ code: 'FEW_FINDINGS', id: '2' })]);
    expect(two.json().differential.length).toBeGreaterThan(0);
    expect(three.json().warnings).toEqual([]);
  });

  test('only unknown ids still answer (with padding inputs) and flag specialist review', async () => {
    // WHEN
    const res = await diagnose({ phenotypes: [{ id: 'HP:9999998' }] });
    // THEN the differential is flat, so the top probability is under 0.70
    expect(res.statusCode).toBe(200);
    expect(res.json().specialistReview).toBe(true);
    expect(res.json().differential[0].probability).toBeLessThan(0.7);
  });

  test('every prediction appends an audit record with codes, bands and scores only', async () => {
    // WHEN
    const res = await diagnose({
      phenopacket: { subject: { id: 'Jane Doe' }, phenotypicFeatures: [{ type: { id: 'HP:0001631' } }] },
    });
    // THEN the record is on disk when the response arrives, keyed by the requestId
    const records = readJsonl(join(t.home, 'audit'));
    const record = records.find((r) => r.requestId === res.json().requestId);
    expect(Object.keys(record ?? {}).sort()).toEqual(
      [
        'ageBand',
        'evidences',
        'excluded',
        'modelVersion',
        'observed',
        'orphanSuspicion',
        'requestId',
        'sex',
        'specialistReview',
        'timestamp',
        'topK',
        'unknownEvidences',
      ].sort(),
    );
    expect(record).toMatchObject({
      modelVersion: 'fixture-1',
      observed: ['HP:0001631'],
      ageBand: 'unknown',
      sex: 'unknown',
    });
    expect(JSON.stringify(records)).not.toContain('Jane Doe');
    expect(JSON.stringify(t.logs)).not.toContain('Jane Doe');
  });
});
