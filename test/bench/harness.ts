/**
 * What the benchmarks share: the service bundled as the image bundles it, a bare Fastify ceiling, autocannon runs
 * over a pool of different requests, and the /proc readings (CPU time, RSS) of the servers. Loopback only.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildSync } from 'esbuild';
import { type ServerProcess, startServer } from '../containers/inference/server-process';
import { type DiagnosisBody, requestPool } from './request-pool';

const ROOT = join(__dirname, '..', '..');
export const FIXTURE_MODEL = join(ROOT, 'test', 'fixtures', 'model-package', 'v1');

export function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export function startHello(): Promise<{ url: string; pid: number; stop: () => void }> {
  return startBenchServer('hello-server.ts');
}

/** A benchmark server of this folder (ts-node) on an ephemeral port, once it prints its address. */
export function startBenchServer(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, script)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /Server listening at (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') });
      }
    });
  });
}

/** The same bundle as the Dockerfile's, beside the sources so that onnxruntime-node resolves from node_modules. */
export function bundle(): string {
  const outfile = join(ROOT, 'containers', 'inference', 'dist', 'server.js');
  buildSync({
    entryPoints: [join(ROOT, 'containers', 'inference', 'src', 'server.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['onnxruntime-node'],
    outfile,
    logLevel: 'warning',
  });
  // swagger-ui reads its assets beside the bundle (the Dockerfile copies them the same way).
  cpSync(join(ROOT, 'node_modules', '@fastify', 'swagger-ui', 'static'), join(outfile, '..', 'static'), {
    recursive: true,
  });
  return outfile;
}

export interface Service extends ServerProcess {
  readonly pid: number;
  /** The bundle the service runs (its source map is beside it). */
  readonly bundle: string;
  /** Its state directory (DXOPS_HOME): audit and feedback files. */
  readonly home: string;
  /** Stops the server and removes its state directory (audit files). */
  close(): Promise<void>;
}

/**
 * The bundled service on an ephemeral loopback port with its own state directory. `env` overrides the defaults
 * (the benchmark lifts the per-client rate limit, which would otherwise throttle a single load generator).
 */
export async function startService(modelDir: string, env: Record<string, string> = {}): Promise<Service> {
  const home = mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), 'dxops-bench-'));
  const file = bundle();
  const server = await startServer(
    {
      MODEL_DIR: modelDir,
      DXOPS_HOME: home,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      PUBLIC_DIR: join(ROOT, 'containers', 'inference', 'public'),
      ...env,
    },
    60_000,
    file,
  );
  return {
    ...server,
    pid: server.child.pid ?? 0,
    bundle: file,
    home,
    close: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

let rotation = 0;

/**
 * autocannon options that POST the pool's requests: every connection walks the whole pool, each from its own
 * starting point, so concurrent requests differ.
 */
export function diagnosesLoad(url: string, pool: readonly DiagnosisBody[]): autocannon.Options {
  const requests = pool.map((body) => ({
    method: 'POST' as const,
    path: '/v1/diagnoses',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }));
  return {
    url,
    requests,
    setupClient: (client) => {
      const start = (rotation++ * 37) % requests.length;
      client.setRequests([...requests.slice(start), ...requests.slice(0, start)]);
    },
  };
}

export function loadPool(modelDir: string): DiagnosisBody[] {
  return requestPool(modelDir);
}

/** Audit records on disk (one JSON line each): every 200 diagnosis must have one. */
export function auditRecords(home: string): number {
  const dir = join(home, 'audit');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).length, 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Probe {
  readonly status: number | 'timeout' | 'error';
  readonly ms: number;
  /** Until the TCP connection was established (a full accept queue shows here, as SYN retries of 1 s, 3 s ...). */
  readonly connectMs?: number;
}

/** One diagnosis request on a fresh connection, timed; never throws (a timeout or socket error is its status). */
export function probe(url: string, body: DiagnosisBody, timeoutMs = 10_000, agent?: Agent): Promise<Probe> {
  const started = performance.now();
  const data = JSON.stringify(body);
  return new Promise((resolve) => {
    let connectMs: number | undefined;
    const done = (status: Probe['status']) =>
      resolve({ status, ms: Math.round(performance.now() - started), connectMs });
    const req = request(`${url}/v1/diagnoses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      agent: agent ?? false,
      timeout: timeoutMs,
    });
    if (!agent) {
      req.on('socket', (socket) =>
        socket.once('connect', () => {
          connectMs = Math.round(performance.now() - started);
        }),
      );
    }
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('timeout', () => {
      req.destroy();
      done('timeout');
    });
    req.on('error', () => done('error'));
    req.end(data);
  });
}

/** CPU time (user + system) the process has used, in ms: per-request cost that does not depend on other load. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

const statusKb = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
/** Peak resident memory since start (VmHWM), MB. */
export const peakRssMb = (pid: number) => Math.round(statusKb(pid, 'VmHWM') / 1024);
/** Resident memory now (VmRSS), MB. */
export const rssMb = (pid: number) => statusKb(pid, 'VmRSS') / 1024;

export const loadAverage = () => loadavg().map((l) => Number(l.toFixed(2)));

/** Status codes other than 2xx, by code (autocannon counts them per class and per code). */
function statusCounts(r: autocannon.Result): Record<string, number> {
  const codes = (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.fromEntries(Object.entries(codes).map(([code, s]) => [code, s.count]));
}

export const summary = (r: autocannon.Result) => ({
  requestsPerSecond: Math.round(r.requests.average),
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  maxMs: r.latency.max,
  requests: r.requests.total,
  errors: r.errors + r.timeouts,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  statusCodes: statusCounts(r),
});

/** A phase's summary, or an error naming the route when anything was not answered 2xx: a throughput or a CPU time
 * measured on error responses times the error path (the floor did, for a day), so it is not reported at all. */
export function answeredOk(url: string, r: autocannon.Result): ReturnType<typeof summary> {
  const s = summary(r);
  if (s.non2xx > 0 || s.errors > 0) {
    throw new Error(`${url}: ${s.non2xx} non-2xx and ${s.errors} errors (${JSON.stringify(s.statusCodes)})`);
  }
  return s;
}

/** The result of one benchmark as a JSON document on stdout. */
export function report(results: object): void {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

export function fail(err: unknown): never {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
}

export interface PacedResult {
  readonly rate: number;
  readonly requests: number;
  readonly statusCodes: Record<string, number>;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** How late the load generator itself sent requests (its own CPU starvation), p99. */
  readonly senderLateP99Ms: number;
}

const pct = (sorted: readonly number[], p: number) =>
  Math.round(10 * (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)) / 10;

/**
 * Open-loop load at a fixed rate: request i is due at start + i / rate and its latency counts from that moment (a
 * late or queued request is not forgiven), over up to `connections` keep-alive connections. autocannon's
 * `overallRate` is not used for latency: it sends each connection's quota for the second back to back at the start
 * of the second, so its "200 requests/s" is a burst of 200 every second.
 */
export async function paced(
  url: string,
  pool: readonly DiagnosisBody[],
  rate: number,
  seconds: number,
  connections = 10,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const start = performance.now() + 20;
  const latencies: number[] = [];
  const late: number[] = [];
  const statusCodes: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    late.push(Math.max(0, performance.now() - due));
    pending.push(
      probe(url, pool[i % pool.length], 10_000, agent).then((p) => {
        latencies.push(performance.now() - due);
        statusCodes[p.status] = (statusCodes[p.status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  late.sort((a, b) => a - b);
  const ok = Object.entries(statusCodes).reduce((n, [code, count]) => n + (code.startsWith('2') ? count : 0), 0);
  return {
    rate,
    requests: total,
    statusCodes,
    errors: total - ok,
    p50Ms: pct(latencies, 50),
    p90Ms: pct(latencies, 90),
    p99Ms: pct(latencies, 99),
    maxMs: pct(latencies, 100),
    senderLateP99Ms: pct(late, 99),
  };
}
