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

  test.each([
    ['a malformed HPO id', { phenotypes: [{ id: 'HP:12' }] }, /phenotypes\/0\/id must match pattern/],
    ['a wrong type', { phenotypes: [{ id: 'HP:0001250', excluded: 'yes' }] }, /excluded must be boolean/],
    [
      'an unknown field',
      { phenotypes: [{ id: 'HP:0001250' }], name: 'Jane' },
      /^invalid request: body has an unknown field "name"$/,
    ],
    [
      'an unknown field in a finding',
      { phenotypes: [{ id: 'HP:0001250', label: 'Seizure' }] },
      /^invalid request: body\/phenotypes\/0 has an unknown field "label"$/,
    ],
    [
      'a misspelt field name (the only one)',
      { Phenotypes: [{ id: 'HP:0001250' }] },
      /^body has an unknown field "Phenotypes" and needs at least one entry in phenotypes or evidences/,
    ],
    // evidences is not required: one of phenotypes and evidences is, and the body chose phenotypes
    ['phenotypes as text', { phenotypes: 'HP:0001250' }, /^invalid request: body\/phenotypes must be array$/],
    ['topK out of range', { phenotypes: [{ id: 'HP:0001250' }], topK: 500 }, /topK must be <= 50/],
    ['a negative age', { phenotypes: [{ id: 'HP:0001250' }], age: { years: -2 } }, /age\/years must be >= 0/],
    [
      'an unknown sex',
      { phenotypes: [{ id: 'HP:0001250' }], sex: 'F' },
      /^invalid request: body\/sex must be one of female, male, unknown \(got "F"\)$/,
    ],
    [
      'a phenopacket sex in the native spelling',
      { phenopacket: { subject: { sex: 'female' }, phenotypicFeatures: [{ type: { id: 'HP:0001250' } }] } },
      /^invalid request: body\/phenopacket\/subject\/sex must be one of UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX \(got "female"\)$/,
    ],
    ['no findings', { phenotypes: [] }, /at least one entry in phenotypes or evidences/],
    ['native fields beside a phenopacket', { sex: 'male', phenopacket: { phenotypicFeatures: [] } }, /not both/],
    ['an empty phenopacket', { phenopacket: { phenotypicFeatures: [] } }, /phenotypicFeatures is empty/],
    [
      'a phenopacket without features',
      { phenopacket: { subject: {} } },
      /must have required property 'phenotypicFeatures'/,
    ],
    [
      'a bad phenopacket age',
      {
        phenopacket: {
          phenotypicFeatures: [{ type: { id: 'HP:0001250' } }],
          subject: { timeAtLastEncounter: { age: { iso8601duration: '3 years' } } },
        },
      },
      /^invalid request: body\/phenopacket\/subject\/timeAtLastEncounter\/age\/iso8601duration must be an ISO 8601 duration in years, months, weeks and days such as P3Y, P2Y6M, P1.5Y or P10D, of at most 130 years \(got "3 years"\)$/,
    ],
    ...['p3y', '3Y', 'P3Y2DT4H', 'P1.5Y6M', 'P131Y'].map((iso): [string, object, RegExp] => [
      `a phenopacket age of ${iso}`,
      {
        phenopacket: {
          phenotypicFeatures: [{ type: { id: 'HP:0001250' }, onset: { age: { iso8601duration: iso } } }],
        },
      },
      new RegExp(`phenotypicFeatures/0/onset/age/iso8601duration must be an ISO 8601 duration .* \\(got "${iso}"\\)$`),
    ]),
    [
      'an empty time element',
      { phenopacket: { subject: { timeAtLastEncounter: {} }, phenotypicFeatures: [{ type: { id: 'HP:0001250' } }] } },
      /^invalid request: body\/phenopacket\/subject\/timeAtLastEncounter needs one of age, ageRange, ontologyClass, gestationalAge, timestamp or interval$/,
    ],
    [
      'an age range that ends before it starts',
      {
        phenopacket: {
          phenotypicFeatures: [
            { type: { id: 'HP:0001250' } },
            {
              type: { id: 'HP:0001263' },
              onset: { ageRange: { start: { iso8601duration: 'P10Y' }, end: { iso8601duration: 'P5Y' } } },
            },
          ],
        },
      },
      /^body\/phenopacket\/phenotypicFeatures\/1\/onset\/ageRange starts after it ends \(start P10Y, end P5Y\)$/,
    ],
    [
      'a phenopacket age class that is not an onset term',
      {
        phenopacket: {
          phenotypicFeatures: [{ type: { id: 'HP:0001250' } }],
          subject: { timeAtLastEncounter: { ontologyClass: { id: 'HP:0001250' } } },
        },
      },
      /timeAtLastEncounter\/ontologyClass\/id must be an HPO onset term \(the subtree of HP:0003674 Onset\) \(got "HP:0001250"\)$/,
    ],
    [
      '10,000 phenotypes',
      { phenotypes: Array.from({ length: 10_000 }, () => ({ id: 'HP:0001250' })) },
      /must NOT have more than 200 items|body is too large/i,
    ],
    ['a malformed evidence code', { evidences: ['rm -rf'] }, /evidences\/0 must match pattern/],
  ])('%s is a 400 that says what was wrong', async (_name, payload, message) => {
    // WHEN
    const res = await diagnose(payload);
    // THEN
    expect([400, 413]).toContain(res.statusCode);
    expect(res.json().message).toMatch(message);
  });

  test.each([
    ['invalid JSON', '{"phenotypes": [', 'application/json', 400, /JSON/],
    [
      'a __proto__ key',
      '{"__proto__": {"admin": true}, "phenotypes": [{"id": "HP:0001250"}]}',
      'application/json',
      400,
      /^the body has a __proto__ key: __proto__ and constructor.prototype keys are not allowed$/,
    ],
    [
      'a body over the limit',
      JSON.stringify({ phenotypes: [], pad: 'x'.repeat(70_000) }),
      'application/json',
      413,
      /^the request body is too large: the limit is 64 KiB$/,
    ],
    [
      'a non-JSON content type',
      'phenotypes=HP:0001250',
      'application/x-www-form-urlencoded',
      415,
      /^content-type application\/x-www-form-urlencoded is not supported; send application\/json$/,
    ],
    [
      'JSON sent as text/plain',
      '{"phenotypes": [{"id": "HP:0001250"}]}',
      'text/plain',
      415,
      /^content-type text\/plain is not supported; send application\/json$/,
    ],
    [
      'invalid UTF-8 in an id',
      Buffer.concat([Buffer.from('{"phenotypes":[{"id":"HP:000'), Buffer.from([0xff, 0xfe]), Buffer.from('50"}]}')]),
      'application/json',
      400,
      /^the body is not valid UTF-8 \(byte offset 28\)$/,
    ],
  ])('%s is refused with a clear 4xx', async (_name, payload, contentType, status, message) => {
    // WHEN
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnoses',
      payload,
      headers: { 'content-type': contentType },
    });
    // THEN
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toMatch(message);
  });

  test('JSON nested as deep as the body limit allows, in an ignored phenopacket field, is answered, not a 5xx', async () => {
    // GIVEN 10,000 levels of nesting (60 KB, under the 64 KiB limit)
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const payload = `{"phenopacket":{"phenotypicFeatures":[{"type":{"id":"HP:0001250"}}],"metaData":${deep}}}`;
    // WHEN
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnoses',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    // THEN the service parses it, ignores the field and answers
    expect(res.statusCode).toBe(200);
    expect(res.json().differential.length).toBeGreaterThan(0);
  });
});
