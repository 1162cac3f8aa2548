/**
 * Benchmark of the inference service on this machine (autocannon, bounded time), in one run:
 *   1. the ceiling: a bare Fastify hello-world route, maximum throughput;
 *   2. POST /v1/diagnoses with a realistic 8-phenotype request, maximum throughput;
 *   3. the same request at a fixed 200 requests/s: latency percentiles;
 *   4. GET /healthz of the service: the ceiling of the full plugin stack (auth hook, helmet, rate limit, logging);
 * plus the server's peak RSS (VmHWM). The service runs as the esbuild bundle the image runs (not ts-node), both servers
 * as child processes on ephemeral loopback ports.
 * Run: npm run bench   (BENCH_SECONDS=10 by default; MODEL_DIR to bench another package)
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildSync } from 'esbuild';
import { startServer } from '../containers/inference/server-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const MODEL_DIR = process.env.MODEL_DIR ?? join(__dirname, '..', 'fixtures', 'model-package', 'v1');

/** Eight findings, one excluded, with age and sex: the size of a typical clinical query. */
const REQUEST = {
  phenotypes: [
    { id: 'HP:0002373' },
    { id: 'HP:0001250' },
    { id: 'HP:0001249' },
    { id: 'HP:0001263' },
    { id: 'HP:0001945' },
    { id: 'HP:0012378' },
    { id: 'HP:0002315' },
    { id: 'HP:0012735', excluded: true },
  ],
  age: { years: 4 },
  sex: 'female',
  topK: 10,
};

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function startHello(): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'hello-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /Server listening at (\S+)/.exec(chunk.toString());
      if (match) resolve({ url: match[1], pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** The same bundle as the Dockerfile's, beside the sources so that onnxruntime-node resolves from node_modules. */
function bundle(): string {
  const outfile = join(__dirname, '..', '..', 'containers', 'inference', 'dist', 'server.js');
  buildSync({
    entryPoints: [join(__dirname, '..', '..', 'containers', 'inference', 'src', 'server.ts')],
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
  cpSync(
    join(__dirname, '..', '..', 'node_modules', '@fastify', 'swagger-ui', 'static'),
    join(outfile, '..', 'static'),
    {
      recursive: true,
    },
  );
  return outfile;
}

/** CPU time (user + system) the process has used, in ms: per-request cost that does not depend on other load. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

const peakRssMb = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const summary = (r: autocannon.Result) => ({
  requestsPerSecond: Math.round(r.requests.average),
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  maxMs: r.latency.max,
  requests: r.requests.total,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
});

async function main(): Promise<void> {
  const hello = await startHello();
  const helloCpu = cpuMs(hello.pid);
  const ceiling = await run({ url: `${hello.url}/hello`, connections: CONNECTIONS, duration: SECONDS });
  const helloCpuMs = (cpuMs(hello.pid) - helloCpu) / ceiling.requests.total;
  hello.stop();

  const home = mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), 'dxops-bench-'));
  const server = await startServer(
    {
      MODEL_DIR,
      DXOPS_HOME: home,
      RATE_LIMIT_PER_MINUTE: '10000000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      PUBLIC_DIR: join(__dirname, '..', '..', 'containers', 'inference', 'public'),
    },
    30_000,
    bundle(),
  );
  const pid = server.child.pid ?? 0;
  const post = {
    url: `${server.url}/v1/diagnoses`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(REQUEST),
  };
  try {
    await run({ ...post, connections: CONNECTIONS, duration: 2 }); // warm-up (JIT), not reported
    let cpu = cpuMs(pid);
    const peak = await run({ ...post, connections: CONNECTIONS, duration: SECONDS });
    const diagnosisCpuMs = (cpuMs(pid) - cpu) / peak.requests.total;
    const paced = await run({ ...post, connections: CONNECTIONS, duration: SECONDS, overallRate: 200 });
    cpu = cpuMs(pid);
    const health = await run({ url: `${server.url}/healthz`, connections: CONNECTIONS, duration: SECONDS });
    const healthCpuMs = (cpuMs(pid) - cpu) / health.requests.total;
    const results = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      connections: CONNECTIONS,
      model: MODEL_DIR,
      helloWorldCeiling: summary(ceiling),
      diagnosesMax: summary(peak),
      diagnosesAt200: summary(paced),
      serviceHealthz: summary(health),
      diagnosesShareOfCeiling: Number((peak.requests.average / ceiling.requests.average).toFixed(3)),
      diagnosesShareOfServiceHealthz: Number((peak.requests.average / health.requests.average).toFixed(3)),
      serverCpuMsPerRequest: {
        helloWorld: Number(helloCpuMs.toFixed(3)),
        diagnoses: Number(diagnosisCpuMs.toFixed(3)),
        healthz: Number(healthCpuMs.toFixed(3)),
      },
      // Load-independent view of the same ratio: requests per CPU-second, diagnoses vs the hello-world route.
      diagnosesShareOfCeilingByCpu: Number((helloCpuMs / diagnosisCpuMs).toFixed(3)),
      peakRssMb: Math.round(peakRssMb(pid)),
    };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
