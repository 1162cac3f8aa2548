import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startApp, type TestApp } from './helpers';

/**
 * Data safety (issue #7, item 5): requests carrying identifying data (names, record numbers, dates of birth, free
 * text, phenopacket ids) go through every route, accepted or refused; then everything the service logged and wrote
 * (log lines, audit and feedback JSONL, any other file under DXOPS_HOME, EMF lines, /metrics) is scanned. None of it
 * may appear; the only identifier of a request is the server's requestId.
 */
const IDENTIFYING = [
  'Margaret',
  'Oyelaran',
  'Whitfield',
  'MRN-00482913',
  '00482913',
  '1987-03-14',
  '14/03/1987',
  'PP-2291',
  'Fairweather',
  'Tomasz',
  'neighbour',
  'St Elsewhere',
  '+44 20 7946 0958',
];

const PHENOPACKET = {
  id: 'PP-2291-Margaret',
  subject: {
    id: 'MRN-00482913',
    alternateIds: ['NHS:00482913'],
    dateOfBirth: '1987-03-14T00:00:00Z',
    sex: 'FEMALE',
    timeAtLastEncounter: { age: { iso8601duration: 'P37Y' } },
    name: 'Margaret Oyelaran-Whitfield',
  },
  phenotypicFeatures: [
    {
      type: { id: 'HP:0002373', label: 'seizure when her neighbour Tomasz visited' },
      description: 'mother reports onset on 14/03/1987 at St Elsewhere',
    },
    { type: { id: 'HP:0001249' }, onset: { timestamp: '1987-03-14T10:00:00Z' } },
  ],
  metaData: { created: '1987-03-14T00:00:00Z', createdBy: 'Dr. Ansel Fairweather, +44 20 7946 0958' },
};

/** Every file under `dir` except the model packages (the fixture, not something the service wrote). */
function writtenFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (relative(dir, path) === 'registry') return [];
    return statSync(path).isDirectory() ? writtenFiles(path) : [path];
  });
}

describe('nothing that could identify a patient is logged or written', () => {
  let t: TestApp;
  const acknowledged: string[] = [];
  beforeAll(async () => {
    t = await startApp();
    const send = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers = {}) => {
      const res = await t.app.inject({ method, url, payload: payload as object, headers });
      if (res.statusCode === 200 && url === '/v1/diagnoses') acknowledged.push(res.json().requestId);
      return res;
    };
    // accepted: a phenopacket full of identifiers in the fields the service ignores, and client-sent request ids
    const headers = { 'x-request-id': 'MRN-00482913', 'x-patient-name': 'Margaret Oyelaran-Whitfield' };
    expect((await send('POST', '/v1/diagnoses', { phenopacket: PHENOPACKET, topK: 5 }, headers)).statusCode).toBe(200);
    expect(
      (await send('POST', '/v1/diagnoses', { phenotypes: [{ id: 'HP:0001250' }], sex: 'female' })).statusCode,
    ).toBe(200);
    // a type-ahead query is free text
    expect((await send('GET', '/v1/phenotypes?q=Margaret%20Oyelaran%201987-03-14')).statusCode).toBe(200);
    // feedback on an acknowledged prediction
    const feedback = await send('POST', '/v1/feedback', {
      requestId: acknowledged[0],
      diseaseId: 'OMIM:607208',
      verdict: 'confirmed',
    });
    expect(feedback.statusCode).toBe(201);
    // refused: names and free text in unknown fields, identifiers in paths, ids and dates where codes belong
    const refused = [
      await send('POST', '/v1/diagnoses', { phenotypes: [{ id: 'HP:0001250' }], patientName: 'Margaret Whitfield' }),
      await send('POST', '/v1/diagnoses', { phenotypes: [{ id: 'HP:0001250', note: 'neighbour Tomasz' }] }),
      await send('POST', '/v1/diagnoses', { phenotypes: [{ id: 'MRN-00482913' }] }),
      await send('POST', '/v1/diagnoses', { evidences: ['1987-03-14'] }),
      await send('POST', '/v1/diagnoses', { phenopacket: PHENOPACKET, sex: 'female' }),
      await send('POST', '/v1/diagnoses', '{"name": "Margaret Oyelaran", "dob": 1987-03-14}', {
        'content-type': 'application/json',
      }),
      await send('GET', '/v1/diseases/MRN-00482913'),
      await send('GET', '/v1/patients/Margaret-Oyelaran/1987-03-14'),
      await send('POST', '/v1/feedback', {
        requestId: acknowledged[0],
        diseaseId: 'OMIM:607208',
        verdict: 'corrected',
        comment: 'Dr. Fairweather thinks MRN-00482913 is Dravet',
      }),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400, 400, 400, 404, 400]);
  });
  afterAll(() => t.app.close());

  const outputs = async () => {
    const files = writtenFiles(t.home);
    return {
      files,
      sources: {
        logs: t.logs.map((l) => JSON.stringify(l)).join('\n'),
        emf: t.app.dx.metrics.emfLines('DxOps/Inference', 'test').join('\n'),
        metrics: (await t.app.inject({ url: '/metrics' })).body,
        ...Object.fromEntries(files.map((f) => [relative(t.home, f), readFileSync(f, 'utf8')])),
      } as Record<string, string>,
    };
  };

  test('the scan covers the audit and feedback records and the log lines of every request', async () => {
    const { files, sources } = await outputs();
    expect(files.some((f) => /audit-\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))).toBe(true);
    expect(files.some((f) => /feedback-\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))).toBe(true);
    expect(t.logs.filter((l) => l.msg === 'request completed').length).toBeGreaterThanOrEqual(13);
    for (const id of acknowledged)
      expect(sources[relative(t.home, files.find((f) => f.includes('audit-')) ?? '')]).toContain(id);
  });

  test.each(IDENTIFYING)('"%s" appears in no log line, record, file, EMF line or metric', async (value) => {
    const { sources } = await outputs();
    const found = Object.entries(sources)
      .filter(([, text]) => text.toLowerCase().includes(value.toLowerCase()))
      .map(([source]) => source);
    expect(found).toEqual([]);
  });

  test('the only identifiers written are the server-generated requestId (and feedbackId)', async () => {
    const { sources } = await outputs();
    const ids = new Set(
      Object.values(sources).flatMap(
        (text) => text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [],
      ),
    );
    const requestIds = new Set(t.logs.map((l) => l.reqId as string).filter(Boolean));
    const feedbackIds = readFileSync((await outputs()).files.find((f) => f.includes('feedback-')) as string, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).feedbackId);
    expect([...ids].filter((id) => !requestIds.has(id) && !feedbackIds.includes(id))).toEqual([]);
    // and a client-sent request id is never used as one
    expect(t.logs.some((l) => l.reqId === 'MRN-00482913')).toBe(false);
  });
});
