import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRAVET_LIKE, FIXTURES, makeHome, startApp } from './helpers';
import { startServer } from './server-process';

/** Every line of the JSONL files in `dir`: the whole ones parsed, and the torn tail (a last line without newline). */
function audit(dir: string) {
  const whole: Record<string, unknown>[] = [];
  const torn: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, end).split('\n').filter(Boolean)) whole.push(JSON.parse(line));
    if (end < text.length) torn.push(text.slice(end));
  }
  return { whole, torn, ids: whole.map((r) => r.requestId as string) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mounts a tmpfs of `size` on `dir`; the error text when it cannot (mounting needs root, which CI has). */
function mountTmpfs(dir: string, size: string): string | undefined {
  const run = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return run.status === 0 ? undefined : run.stderr.trim() || `mount exited with ${run.status}`;
}

/**
 * Whether a tiny tmpfs can be mounted here, probed when the file is loaded (mounted and unmounted at once, so that a
 * filtered run leaves nothing mounted). Where it cannot, the disk-full test is skipped with the reason and the
 * /dev/full test below still runs.
 */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'dxops-tmpfs-probe-'));
  const error = mountTmpfs(probe, '64k');
  if (error === undefined) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  if (error !== undefined) process.stderr.write(`faults.test: no tmpfs (${error}); disk-full test skipped\n`);
  return error === undefined;
}

describe('audit and feedback writes when the disk is full', () => {
  const mountable = canMountTmpfs();
  let home: string;
  let data: string;
  beforeAll(() => {
    if (!mountable) return;
    home = makeHome();
    data = mkdtempSync(join(tmpdir(), 'dxops-tiny-disk-'));
    const error = mountTmpfs(data, '64k');
    if (error !== undefined) throw new Error(`the tmpfs mounted a moment ago cannot be mounted now: ${error}`);
  });
  afterAll(() => {
    if (!mountable) return;
    spawnSync('umount', ['-l', data]);
    rmSync(data, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  (mountable ? test : test.skip)(
    'no 200 without a durable record, no earlier record damaged, and writes resume once space is freed',
    async () => {
      // GIVEN audit and feedback on a 64 KiB filesystem with about 12 KiB left (room for ~20 records)
      mkdirSync(join(data, 'audit'));
      mkdirSync(join(data, 'feedback'));
      symlinkSync(join(data, 'audit'), join(home, 'audit'));
      symlinkSync(join(data, 'feedback'), join(home, 'feedback'));
      writeFileSync(join(data, 'filler'), Buffer.alloc(13 * 4096));
      const t = await startApp({}, home);
      try {
        const diagnose = (topK: number) =>
          t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: { ...DRAVET_LIKE, topK } });
        // WHEN batches of five concurrent predictions (one group commit each) are sent until the disk is full
        const acknowledged: string[] = [];
        const refused: { requestId: string; message: string }[] = [];
        for (let batch = 0; batch < 60 && refused.length === 0; batch++) {
          for (const res of await Promise.all([1, 2, 3, 4, 5].map((k) => diagnose(k + (batch % 5))))) {
            if (res.statusCode === 200) acknowledged.push(res.json().requestId);
            else refused.push({ requestId: String(res.headers['x-request-id']), message: res.json().message });
            expect([200, 503]).toContain(res.statusCode);
          }
        }
        // THEN some predictions were acknowledged, then refused with a 503 that says why
        expect(acknowledged.length).toBeGreaterThan(5);
        expect(refused.length).toBeGreaterThan(0);
        expect(refused[0].message).toMatch(/audit log cannot be written, so no prediction is returned/);
        expect(t.logs.some((l) => l.msg === 'audit record not written; prediction withheld')).toBe(true);
        // and the file holds every acknowledged record, whole, in order, and none of the refused ones
        const onDisk = audit(join(home, 'audit'));
        expect(onDisk.torn).toEqual([]);
        expect(onDisk.ids).toEqual(acknowledged);
        // and feedback on the full disk is a 503 too, never a 201
        const feedback = await t.app.inject({
          method: 'POST',
          url: '/v1/feedback',
          payload: { requestId: acknowledged[0], diseaseId: 'OMIM:607208', verdict: 'confirmed' },
        });
        expect(feedback.statusCode).toBe(503);
        expect(feedback.json().message).toMatch(/feedback store cannot be written/);
        // WHEN space is freed THEN predictions are acknowledged and recorded again, after the earlier ones
        rmSync(join(data, 'filler'));
        const after = await diagnose(3);
        expect(after.statusCode).toBe(200);
        const resumed = audit(join(home, 'audit'));
        expect(resumed.torn).toEqual([]);
        expect(resumed.ids).toEqual([...acknowledged, after.json().requestId]);
      } finally {
        await t.app.close();
      }
    },
  );
});

describe('audit writes that the kernel refuses (ENOSPC from /dev/full, no root needed)', () => {
  test('the prediction is a 503, never a 200', async () => {
    // GIVEN today's audit file is /dev/full
    const home = makeHome();
    mkdirSync(join(home, 'audit'), { recursive: true });
    symlinkSync('/dev/full', join(home, 'audit', `audit-${new Date().toISOString().slice(0, 10)}.jsonl`));
    const t = await startApp({}, home);
    try {
      // WHEN
      const res = await t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE });
      // THEN
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toMatch(/audit log cannot be written/);
      expect(res.json()).not.toHaveProperty('differential');
    } finally {
      await t.app.close();
    }
  });
});

describe('the process killed (SIGKILL) in the middle of traffic', () => {
  test('every acknowledged requestId is in the audit file as a whole line; a torn tail is moved aside on restart', async () => {
    // GIVEN the real server and four clients sending predictions back to back
    const home = makeHome();
    const env = { MODEL_DIR: join(FIXTURES, 'v1'), DXOPS_HOME: home };
    const server = await startServer(env);
    const acknowledged: string[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${server.url}/v1/diagnoses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(DRAVET_LIKE),
          });
          const body = await res.json();
          if (res.status === 200) acknowledged.push(body.requestId);
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    try {
      // WHEN it is killed without warning once at least 40 predictions were acknowledged
      for (let i = 0; i < 300 && acknowledged.length < 40; i++) await sleep(50);
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGKILL');
      await exited;
      stop = true;
      await Promise.all(clients);
      // THEN every acknowledged prediction is on disk as a whole, parseable line
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      const killed = audit(join(home, 'audit'));
      expect(killed.ids).toEqual(expect.arrayContaining(acknowledged));
      expect(killed.torn.length).toBeLessThanOrEqual(1);

      // GIVEN a torn last line, as a kill during write(2) leaves it
      const file = join(home, 'audit', readdirSync(join(home, 'audit')).find((f) => f.endsWith('.jsonl')) as string);
      appendFileSync(file, '{"timestamp":"2026-12-01T00:00:00.000Z","requestId":"torn-by-a-crash');
      // WHEN the service starts again and records a prediction
      const restarted = await startServer(env);
      try {
        // a fresh process on a busy machine may shed its first requests (event-loop delay while it warms up, a
        // 503 with Retry-After): a client retries them, and a refused request writes nothing to the audit log
        let res: Response | undefined;
        for (let attempt = 0; attempt < 20 && (res === undefined || res.status === 503); attempt++) {
          if (res) await sleep(250);
          res = await fetch(`${restarted.url}/v1/diagnoses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(DRAVET_LIKE),
          });
        }
        if (!res) throw new Error('no answer');
        expect(res.status).toBe(200);
        const next = (await res.json()).requestId;
        // THEN the torn tail was moved aside (and said so), and the file is whole lines: the old ones, then the new one
        const repaired = audit(join(home, 'audit'));
        expect(repaired.torn).toEqual([]);
        expect(repaired.ids).toEqual([...killed.ids, next]);
        const aside = readdirSync(join(home, 'audit')).filter((f) => f.endsWith('.torn'));
        expect(aside).toHaveLength(1);
        expect(readFileSync(join(home, 'audit', aside[0]), 'utf8')).toMatch(/torn-by-a-crash$/);
        expect(restarted.output()).toMatch(/torn last line moved aside/);
      } finally {
        await restarted.stop();
      }
    } finally {
      stop = true;
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('an overloaded event loop (load shedding)', () => {
  test('predictions are refused with a 503 that says why, without running; health checks are still answered', async () => {
    // GIVEN the event loop blocked for 1.5 s four times in a row (the shedding threshold is a 1 s mean delay)
    const t = await startApp();
    try {
      await sleep(1200);
      for (let i = 0; i < 4; i++) {
        const until = Date.now() + 1500;
        while (Date.now() < until) {
          // busy: nothing else runs
        }
        await sleep(1);
      }
      // WHEN
      const [diagnosis, ready, health] = await Promise.all([
        t.app.inject({ method: 'POST', url: '/v1/diagnoses', payload: DRAVET_LIKE }),
        t.app.inject({ url: '/readyz' }),
        t.app.inject({ url: '/healthz' }),
      ]);
      // THEN
      expect(diagnosis.statusCode).toBe(503);
      expect(diagnosis.headers['retry-after']).toBe('5');
      expect(diagnosis.json().message).toMatch(/the service is overloaded \(eventLoopDelay .*\); retry in 5 s/);
      expect(readdirSync(t.home).includes('audit') ? audit(join(t.home, 'audit')).ids : []).toEqual([]);
      expect([ready.statusCode, health.statusCode]).toEqual([200, 200]);
    } finally {
      await t.app.close();
    }
  });
});
