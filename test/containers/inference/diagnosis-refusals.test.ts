import { startApp, type TestApp } from './helpers';

/** What POST /v1/diagnoses refuses, and how it says so: schema violations and bodies it cannot read. */
describe('POST /v1/diagnoses refusals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  const diagnose = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: payload as object });

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
