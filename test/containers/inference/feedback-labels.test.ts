import { join } from 'node:path';
import { DRAVET_LIKE, readJsonl, startApp, type TestApp } from './helpers';

/** Feedback that could never train a model is refused; what is acknowledged joins its request and trains on it. */
describe('POST /v1/feedback: only labels that can be used are acknowledged', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  const send = (payload: object) => t.app.inject({ method: 'POST', url: '/v1/feedback', payload });
  const diagnose = async (payload: object = DRAVET_LIKE) =>
    (await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload })).json().requestId as string;
  const records = () => readJsonl(join(t.home, 'feedback'));

  test('an upper-case copy of a requestId finds its request and is stored in lower case', async () => {
    // GIVEN
    const requestId = await diagnose();
    // WHEN
    const res = await send({ requestId: requestId.toUpperCase(), diseaseId: 'OMIM:607208', verdict: 'confirmed' });
    // THEN
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ requestId, labeled: true });
    expect(records().find((r) => r.feedbackId === res.json().feedbackId)).toMatchObject({ requestId });
  });

  test('a urn:uuid: requestId is a 400: only the canonical form joins its request', async () => {
    const requestId = await diagnose();
    const res = await send({ requestId: `urn:uuid:${requestId}`, diseaseId: 'OMIM:607208', verdict: 'confirmed' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(
      'invalid request: body/requestId must be the requestId of a diagnosis answer, a UUID in its 8-4-4-4-12 form (no "urn:uuid:" prefix)',
    );
  });

  test.each([
    ['OMIM:abc', 400, /body\/diseaseId must be OMIM:<n>/],
    ['ORPHA:12a', 400, /body\/diseaseId must be OMIM:<n>/],
    ['OMIM:999999', 404, /^diseaseId OMIM:999999 is not in the catalog of model fixture-1/],
    ['KAGGLE:Not_a_disease', 404, /^diseaseId KAGGLE:Not_a_disease is not in the catalog/],
  ])('diseaseId %s is refused (%i), naming it', async (diseaseId, status, message) => {
    // WHEN
    const res = await send({ requestId: '00000000-0000-4000-8000-000000000000', diseaseId, verdict: 'corrected' });
    // THEN nothing is written: ingest would have quarantined it
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toMatch(message);
    expect(records().filter((r) => r.diseaseId === diseaseId)).toEqual([]);
  });

  test('an Orphanet id the catalog folds into an OMIM entry is accepted, and confirms that candidate', async () => {
    // GIVEN Dravet syndrome (OMIM:607208, xref ORPHA:33069) in the differential
    const requestId = await diagnose();
    // WHEN
    const res = await send({ requestId, diseaseId: 'ORPHA:33069', verdict: 'confirmed' });
    // THEN
    expect(res.statusCode).toBe(201);
    expect(records().find((r) => r.feedbackId === res.json().feedbackId)).toMatchObject({
      diseaseId: 'ORPHA:33069',
      inCatalog: true,
    });
  });

  test('confirming a disease that is not a candidate of the differential is a 400 that says to correct', async () => {
    // GIVEN a differential of Dravet and Jacobsen syndromes (nothing entered supports pneumonia)
    const requestId = await diagnose();
    // WHEN
    const confirmed = await send({ requestId, diseaseId: 'DDXPLUS:Pneumonia', verdict: 'confirmed' });
    const corrected = await send({ requestId, diseaseId: 'DDXPLUS:Pneumonia', verdict: 'corrected' });
    // THEN
    expect(confirmed.statusCode).toBe(400);
    expect(confirmed.json().message).toMatch(/DDXPLUS:Pneumonia is not a candidate .*send verdict "corrected"/);
    expect(corrected.statusCode).toBe(201);
  });

  test('a retry of the latest label gets the same feedbackId and writes no second record', async () => {
    // GIVEN
    const requestId = await diagnose();
    const label = { requestId, diseaseId: 'OMIM:607208', verdict: 'confirmed' };
    // WHEN the same label is sent twice at once, then once more
    const [first, concurrent] = await Promise.all([send(label), send(label)]);
    const again = await send({ ...label, requestId: requestId.toUpperCase() });
    // THEN one record, one feedbackId
    expect([first.statusCode, concurrent.statusCode, again.statusCode]).toEqual([201, 201, 201]);
    expect(concurrent.json()).toEqual(first.json());
    expect(again.json()).toEqual(first.json());
    expect(records().filter((r) => r.requestId === requestId)).toHaveLength(1);
  });

  test('the earlier label sent again after a correction is a change of mind, written as the latest', async () => {
    // GIVEN a confirmation, then a correction
    const requestId = await diagnose();
    const confirmation = { requestId, diseaseId: 'OMIM:607208', verdict: 'confirmed' };
    const first = await send(confirmation);
    await send({ requestId, diseaseId: 'OMIM:147791', verdict: 'corrected' });
    // WHEN the confirmation is sent again
    const again = await send(confirmation);
    // THEN it is a new record, the latest (training keeps the latest label of a request)
    expect(again.json().feedbackId).not.toBe(first.json().feedbackId);
    const written = records().filter((r) => r.requestId === requestId);
    expect(written.map((r) => r.diseaseId)).toEqual(['OMIM:607208', 'OMIM:147791', 'OMIM:607208']);
  });

  test('the label trains on the answers the model used; the unknown token is audited apart', async () => {
    // GIVEN a diagnosis with a questionnaire token the model does not know (answered with UNKNOWN_EVIDENCE)
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnoses',
      payload: { phenotypes: [{ id: 'HP:0001945' }, { id: 'HP:0012735' }], evidences: ['E_54', 'E_91'] },
    });
    const { requestId, warnings } = res.json();
    expect(warnings.map((w: { code: string }) => w.code)).toContain('UNKNOWN_EVIDENCE');
    // WHEN it is labeled
    const label = await send({ requestId, diseaseId: 'DDXPLUS:Pneumonia', verdict: 'corrected' });
    // THEN the audit record and the label's inputs hold the answers the model used, so ingest does not quarantine it
    const audit = readJsonl(join(t.home, 'audit')).find((r) => r.requestId === requestId);
    expect(audit).toMatchObject({ evidences: ['E_91'], unknownEvidences: ['E_54'] });
    const record = records().find((r) => r.feedbackId === label.json().feedbackId);
    expect(record?.input).toMatchObject({ evidences: ['E_91'] });
  });
});
