import { join } from 'node:path';
import { DRAVET_LIKE, readJsonl, startApp, type TestApp } from './helpers';

describe('POST /v1/feedback', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  const send = (payload: object) => t.app.inject({ method: 'POST', url: '/v1/feedback', payload });

  test('a confirmation of a recent prediction is stored on disk with its inputs as a labeled record', async () => {
    // GIVEN a prediction
    const diagnosis = await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
    const { requestId } = diagnosis.json();
    // WHEN the clinician confirms the top candidate
    const res = await send({ requestId, diseaseId: 'OMIM:607208', verdict: 'confirmed' });
    // THEN it is acknowledged and already durable
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ requestId, labeled: true });
    const record = readJsonl(join(t.home, 'feedback')).find((r) => r.feedbackId === res.json().feedbackId);
    expect(record).toMatchObject({
      requestId,
      diseaseId: 'OMIM:607208',
      verdict: 'confirmed',
      inCatalog: true,
      input: {
        modelVersion: 'fixture-1',
        observed: ['HP:0002373', 'HP:0001249', 'HP:0001263'],
        excluded: ['HP:0012735'],
        ageBand: '2-5',
        sex: 'female',
      },
    });
  });

  test('a correction for a request the service no longer remembers is still stored, unlabeled', async () => {
    // WHEN
    const res = await send({
      requestId: '00000000-0000-4000-8000-000000000000',
      diseaseId: 'OMIM:147791',
      verdict: 'corrected',
    });
    // THEN training joins it with the audit log by requestId
    expect(res.statusCode).toBe(201);
    expect(res.json().labeled).toBe(false);
    const record = readJsonl(join(t.home, 'feedback')).find((r) => r.feedbackId === res.json().feedbackId);
    expect(record).toMatchObject({ input: null, inCatalog: true, verdict: 'corrected' });
  });

  test('an Orphanet id folded into an OMIM entry counts as in the catalog', async () => {
    const res = await send({
      requestId: '00000000-0000-4000-8000-000000000000',
      diseaseId: 'ORPHA:33069', // Dravet syndrome's Orphanet id, an xref of OMIM:607208 in the fixture
      verdict: 'corrected',
    });
    const record = readJsonl(join(t.home, 'feedback')).find((r) => r.feedbackId === res.json().feedbackId);
    expect(record).toMatchObject({ diseaseId: 'ORPHA:33069', inCatalog: true });
  });

  test.each([
    [
      'a missing verdict',
      { requestId: '00000000-0000-4000-8000-000000000000', diseaseId: 'OMIM:1' },
      /required property 'verdict'/,
    ],
    [
      'a requestId that is not a UUID',
      { requestId: 'patient-42', diseaseId: 'OMIM:1', verdict: 'confirmed' },
      /body\/requestId must/,
    ],
    [
      'a malformed disease id',
      { requestId: '00000000-0000-4000-8000-000000000000', diseaseId: 'Dravet', verdict: 'confirmed' },
      /body\/diseaseId must be OMIM:<n>, ORPHA:<n>, DECIPHER:<n> \(<n> a number\), DDXPLUS:<slug> or KAGGLE:<slug>$/,
    ],
    [
      'an unknown verdict',
      { requestId: '00000000-0000-4000-8000-000000000000', diseaseId: 'OMIM:1', verdict: 'maybe' },
      /^invalid request: body\/verdict must be one of confirmed, corrected \(got "maybe"\)$/,
    ],
    [
      'free text',
      { requestId: '00000000-0000-4000-8000-000000000000', diseaseId: 'OMIM:1', verdict: 'confirmed', note: 'Jane' },
      /^invalid request: body has an unknown field "note"$/,
    ],
  ])('%s is a 400 that says what was wrong', async (_name, payload, message) => {
    const res = await send(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });
});
