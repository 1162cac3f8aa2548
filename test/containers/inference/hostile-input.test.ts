import { connect, type Socket } from 'node:net';
import { DRAVET_LIKE, startApp, type TestApp } from './helpers';

/**
 * Hostile input (issue #7, item 2): every case is refused with a clear 4xx, and neither the log lines of that
 * request nor any other log line carries the payload. Each payload carries a marker that must never be logged.
 */
const MARKER = 'Jane-Q-Marker-1984';

interface Case {
  readonly name: string;
  readonly method?: 'GET' | 'POST';
  readonly url?: string;
  readonly payload?: string | Buffer;
  readonly contentType?: string;
  readonly status: number;
  readonly message: RegExp;
}

const json = (value: unknown) => JSON.stringify(value);
const nested = (depth: number, inner: string) => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

const CASES: Case[] = [
  {
    name: 'an oversized body',
    payload: json({ phenotypes: [{ id: 'HP:0001250' }], note: MARKER + 'x'.repeat(70_000) }),
    status: 413,
    message: /^the request body is too large: the limit is 64 KiB$/,
  },
  {
    name: 'JSON nested 40,000 deep (over the body limit)',
    payload: `{"phenotypes":${nested(40_000, json(MARKER))}}`,
    status: 413,
    message: /^the request body is too large: the limit is 64 KiB$/,
  },
  {
    name: 'JSON nested 5,000 deep where a finding belongs',
    payload: `{"phenotypes":[${nested(5_000, json(MARKER))}]}`,
    status: 400,
    message: /body\/phenotypes\/0 must be object/,
  },
  {
    name: '10,000 phenotypes',
    payload: json({ phenotypes: Array.from({ length: 10_000 }, () => ({ id: 'HP:0001250' })), note: MARKER }),
    status: 413,
    message: /^the request body is too large: the limit is 64 KiB$/,
  },
  {
    name: '201 phenotypes (under the body limit, over the count limit)',
    payload: json({ phenotypes: Array.from({ length: 201 }, () => ({ id: 'HP:0001250' })), sex: MARKER }),
    status: 400,
    message: /phenotypes must NOT have more than 200 items/,
  },
  {
    name: 'a malformed HPO id',
    payload: json({ phenotypes: [{ id: `HP:12${MARKER}` }] }),
    status: 400,
    message: /phenotypes\/0\/id must match pattern/,
  },
  {
    name: 'a wrong type (topK as text)',
    payload: json({ phenotypes: [{ id: 'HP:0001250' }], topK: MARKER }),
    status: 400,
    message: /topK must be integer/,
  },
  {
    name: 'a wrong type (a null age is not 0 years)',
    payload: json({ phenotypes: [{ id: 'HP:0001250' }], age: { years: null } }),
    status: 400,
    message: /age\/years must be number/,
  },
  {
    name: 'a wrong type (phenotypes as text)',
    payload: json({ phenotypes: MARKER }),
    status: 400,
    message: /phenotypes must be array/,
  },
  {
    name: 'an unknown field carrying a name',
    payload: json({ phenotypes: [{ id: 'HP:0001250' }], patientName: MARKER }),
    status: 400,
    message: /^invalid request: body has an unknown field "patientName"$/,
  },
  {
    name: 'invalid UTF-8',
    payload: Buffer.concat([
      Buffer.from(`{"phenotypes":[{"id":"${MARKER}`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}'),
    ]),
    status: 400,
    message: new RegExp(`^the body is not valid UTF-8 \\(byte offset ${`{"phenotypes":[{"id":"${MARKER}`.length}\\)$`),
  },
  {
    name: 'invalid JSON',
    payload: `{"phenotypes": [${MARKER}`,
    status: 400,
    message: /not valid JSON|JSON/,
  },
  {
    name: 'a __proto__ key',
    payload: `{"__proto__": {"polluted": "${MARKER}"}, "phenotypes": [{"id": "HP:0001250"}]}`,
    status: 400,
    message: /^the body has a __proto__ key: __proto__ and constructor.prototype keys are not allowed$/,
  },
  {
    name: 'a __proto__ key inside the phenopacket',
    payload: `{"phenopacket": {"phenotypicFeatures": [{"type": {"id": "HP:0001250"}}], "__proto__": {"polluted": "${MARKER}"}}}`,
    status: 400,
    message: /^the body has a __proto__ key/,
  },
  {
    name: 'a __proto__ key inside a phenotypic feature (valid JSON: it was called invalid)',
    payload: `{"phenopacket": {"phenotypicFeatures": [{"type": {"id": "HP:0001250"}, "__proto__": {"x": "${MARKER}"}}]}}`,
    status: 400,
    message: /^the body has a __proto__ key/,
  },
  {
    name: 'a constructor.prototype key',
    payload: `{"constructor": {"prototype": {"polluted": "${MARKER}"}}, "phenotypes": [{"id": "HP:0001250"}]}`,
    status: 400,
    message: /^the body has a constructor.prototype key/,
  },
  {
    name: 'path traversal in a disease id',
    method: 'GET',
    url: `/v1/diseases/..%2F..%2F..%2Fetc%2Fpasswd%3F${MARKER}`,
    status: 400,
    message: /params\/id must be OMIM:<n>, ORPHA:<n>, DECIPHER:<n> \(<n> a number\), DDXPLUS:<slug> or KAGGLE:<slug>$/,
  },
  {
    name: 'path traversal after a valid prefix',
    method: 'GET',
    url: '/v1/diseases/OMIM:1%2F..%2F..%2Fpackage.json',
    status: 400,
    message: /params\/id must be OMIM:<n>, ORPHA:<n>, DECIPHER:<n> \(<n> a number\), DDXPLUS:<slug> or KAGGLE:<slug>$/,
  },
  {
    name: 'path traversal in a feedback disease id',
    url: '/v1/feedback',
    payload: json({
      requestId: '6f1c0000-0000-4000-8000-000000000000',
      diseaseId: `../../${MARKER}`,
      verdict: 'confirmed',
    }),
    status: 400,
    message: /body\/diseaseId must be OMIM:<n>, ORPHA:<n>/,
  },
  {
    name: 'path traversal in a feedback request id',
    url: '/v1/feedback',
    payload: json({ requestId: `../../${MARKER}`, diseaseId: 'OMIM:607208', verdict: 'confirmed' }),
    status: 400,
    message: /body\/requestId must/,
  },
  {
    name: 'a type-ahead query over 100 characters',
    method: 'GET',
    url: `/v1/phenotypes?q=${MARKER}${'a'.repeat(100)}`,
    status: 400,
    message: /querystring\/q must NOT have more than 100 characters/,
  },
  {
    name: 'a form-encoded body',
    payload: `phenotypes=HP:0001250&name=${MARKER}`,
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    message: /^content-type application\/x-www-form-urlencoded is not supported; send application\/json$/,
  },
  {
    name: 'a JSON body sent as text/plain (it used to reach validation)',
    payload: json({ phenotypes: [{ id: 'HP:0001250' }], note: MARKER }),
    contentType: 'text/plain',
    status: 415,
    message: /^content-type text\/plain is not supported; send application\/json$/,
  },
];

describe('hostile input: a clear 4xx and a log line without the payload', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // WHEN
    const res = await t.app.inject({
      method: c.method ?? 'POST',
      url: c.url ?? '/v1/diagnoses',
      payload: c.payload,
      headers: c.payload === undefined ? {} : { 'content-type': c.contentType ?? 'application/json' },
    });
    // THEN a clear 4xx that does not echo the payload
    expect(res.statusCode).toBe(c.status);
    expect(res.json().message).toMatch(c.message);
    expect(res.body).not.toContain(MARKER);
    // and the request was logged (its access-log line names the status) without the payload, as was everything else
    const requestId = res.headers['x-request-id'];
    const lines = t.logs.filter((l) => l.requestId === requestId || l.reqId === requestId);
    expect(lines.some((l) => l.msg === 'request completed' && l.statusCode === c.status)).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(MARKER);
  });

  test('a 415 names the content type sent, which its log line does not', async () => {
    // WHEN a client puts free text in its content-type header
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnoses',
      payload: json({ phenotypes: [{ id: 'HP:0001250' }] }),
      headers: { 'content-type': `text/${MARKER}; charset=${MARKER}` },
    });
    // THEN the answer quotes the media type, without its parameters, and no log line carries it
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toBe(`content-type text/${MARKER} is not supported; send application/json`);
    expect(JSON.stringify(t.logs)).not.toContain(MARKER);
  });

  test('prototype pollution attempts left Object.prototype untouched', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('unknown and obsolete ids are answered with warnings (a client cannot know the vocabulary), not errors', async () => {
    // WHEN
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnoses',
      payload: { phenotypes: [{ id: 'HP:9999999' }, { id: 'HP:0002279' }, { id: 'HP:0001250' }] },
    });
    // THEN
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toEqual([
      'UNKNOWN_PHENOTYPE',
      'REDIRECTED_PHENOTYPE',
      'DUPLICATE_PHENOTYPE',
      'FEW_FINDINGS', // one term is left
    ]);
  });

  test('path traversal through the static page serves no file from outside it', async () => {
    for (const url of ['/../../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2F..%2Fpackage.json']) {
      const res = await t.app.inject({ url });
      expect(`${url} ${res.statusCode}`).toMatch(/ (400|403|404)$/);
      expect(res.body).not.toContain('"dependencies"');
    }
  });
});

describe('slow clients (slow-loris): cut off at REQUEST_TIMEOUT_MS while others are served', () => {
  const TIMEOUT_MS = 1500;
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startApp({ REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t.app.close());

  /** A raw connection that sends `head`, then one byte of `trickle` every 200 ms; resolves when the server closes. */
  const slowClient = (head: string, trickle: string) =>
    new Promise<{ answer: string; closedAfterMs: number }>((resolve, reject) => {
      const started = Date.now();
      let answer = '';
      const socket: Socket = connect(port, '127.0.0.1', () => {
        socket.write(head);
        let i = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || i >= trickle.length) return clearInterval(timer);
          socket.write(trickle[i++]);
        }, 200);
        socket.once('close', () => clearInterval(timer));
      });
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('error', () => undefined); // a reset after the 408 is an expected end
      socket.once('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
      setTimeout(() => {
        socket.destroy();
        reject(new Error(`the server kept a slow connection open for 10 s; it answered: ${answer}`));
      }, 10_000).unref();
    });

  test('a body trickled byte by byte, unfinished headers and idle connections are closed; others are answered', async () => {
    // GIVEN a body promised as 2,000 bytes and sent a byte every 200 ms, headers that never end, 20 idle connections
    const body = json({ ...DRAVET_LIKE, note: MARKER }).padEnd(2000, ' ');
    const slowBody = slowClient(
      `POST /v1/diagnoses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    const slowHeaders = slowClient('GET /v1/phenotypes?q=fever HTTP/1.1\r\n', `X-Name: ${MARKER}${'a'.repeat(200)}`);
    const idle = Array.from({ length: 20 }, () => slowClient('', ''));
    // WHEN another client calls meanwhile
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = Date.now();
    const [health, diagnosis] = await Promise.all([
      fetch(`http://127.0.0.1:${port}/healthz`),
      fetch(`http://127.0.0.1:${port}/v1/diagnoses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: json(DRAVET_LIKE),
      }),
    ]);
    const servedInMs = Date.now() - before;
    // THEN the other client is served at once
    expect([health.status, diagnosis.status]).toEqual([200, 200]);
    expect(servedInMs).toBeLessThan(1000);
    // and the slow ones are cut off soon after the deadline (checked every second), the unfinished request with a 408
    const [body408, headers408, ...idles] = await Promise.all([slowBody, slowHeaders, ...idle]);
    expect(body408.answer).toMatch(/^HTTP\/1.1 408/);
    expect(headers408.answer).toMatch(/^HTTP\/1.1 408/);
    for (const r of [body408, headers408, ...idles]) {
      expect(r.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(r.closedAfterMs).toBeLessThan(TIMEOUT_MS + 2500);
    }
    // and nothing the slow clients sent reached the logs
    expect(JSON.stringify(t.logs)).not.toContain(MARKER);
  });

  test('a client that stalls mid-headers or mid-body gets a 408 stating the limit, not an empty reply', async () => {
    // GIVEN requests that stop arriving: headers without their blank line, a body short of its Content-Length, and
    // a connection that never sends a byte (the socket's inactivity timeout used to close them first, silently)
    const stalled = await Promise.all([
      slowClient('GET /v1/phenotypes?q=fever HTTP/1.1\r\nHost: x\r\n', ''),
      slowClient(
        'POST /v1/diagnoses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"phe',
        '',
      ),
      slowClient('', ''),
    ]);
    // THEN each is answered 408 with a body that says how long it had, soon after the deadline
    for (const r of stalled) {
      expect(r.answer).toMatch(/^HTTP\/1.1 408 Request Timeout\r\n/);
      expect(JSON.parse(r.answer.split('\r\n\r\n')[1])).toEqual({
        statusCode: 408,
        error: 'Request Timeout',
        message: 'the request (headers and body) did not arrive within 1.5 s',
      });
      expect(r.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(r.closedAfterMs).toBeLessThan(TIMEOUT_MS + 1500);
    }
  });
});
