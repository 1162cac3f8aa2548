/**
 * Benchmark of the inference service on this machine (autocannon, bounded time), in one run:
 *   1. the ceiling: a bare Fastify hello-world route, maximum throughput;
 *   2. POST /v1/diagnoses, maximum throughput, over a pool of different realistic 8-phenotype requests drawn from the
 *      package's own catalog (test/bench/request-pool.ts);
 *   3. the same pool at a fixed 200 requests/s, open loop (harness.ts `paced`): latency percentiles;
 *   4. GET /healthz of the service: the ceiling of its plugin stack (security headers, rate limit, load shedding,
 *      metrics hook, access log);
 * plus the servers' CPU time per request and the service's peak RSS (VmHWM). The service runs as the esbuild bundle
 * the image runs, both servers as child processes on ephemeral loopback ports.
 * Run: npm run bench   (BENCH_SECONDS=10, BENCH_CONNECTIONS=10 by default; MODEL_DIR to bench another package)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answeredOk,
  cpuMs,
  diagnosesLoad,
  FIXTURE_MODEL,
  fail,
  loadAverage,
  loadPool,
  paced,
  peakRssMb,
  report,
  run,
  startHello,
  startService,
} from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const RATE = 200;
const MODEL_DIR = process.env.MODEL_DIR ?? FIXTURE_MODEL;

/** Runs `phase` and returns its result with the server's CPU milliseconds per completed request. */
async function measured<T extends { requests: { total: number } }>(pid: number, phase: () => Promise<T>) {
  const before = cpuMs(pid);
  const result = await phase();
  return { result, cpuMsPerRequest: Number(((cpuMs(pid) - before) / result.requests.total).toFixed(3)) };
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const hello = await startHello();
  const ceiling = await measured(hello.pid, () =>
    run({ url: `${hello.url}/hello`, connections: CONNECTIONS, duration: SECONDS }),
  );
  hello.stop();

  const manifest = JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8'));
  const pool = loadPool(MODEL_DIR);
  // The per-client rate limit would throttle the single load generator: lifted here, exercised by burst.ts.
  const service = await startService(MODEL_DIR, { RATE_LIMIT_PER_MINUTE: '10000000' });
  try {
    const load = diagnosesLoad(service.url, pool);
    await run({ ...load, connections: CONNECTIONS, duration: 2 }); // warm-up (JIT), not reported
    const peak = await measured(service.pid, () => run({ ...load, connections: CONNECTIONS, duration: SECONDS }));
    const atRate = await paced(service.url, pool, RATE, SECONDS, CONNECTIONS);
    const health = await measured(service.pid, () =>
      run({ url: `${service.url}/healthz`, connections: CONNECTIONS, duration: SECONDS }),
    );
    report({
      date: new Date().toISOString(),
      loadAverage: { before: loadBefore, after: loadAverage() },
      seconds: SECONDS,
      connections: CONNECTIONS,
      model: { dir: MODEL_DIR, version: manifest.modelVersion, ...manifest.counts },
      requestPool: pool.length,
      helloWorldCeiling: answeredOk('/hello', ceiling.result),
      diagnosesMax: answeredOk('/v1/diagnoses', peak.result),
      [`diagnosesAt${RATE}`]: atRate,
      serviceHealthz: answeredOk('/healthz', health.result),
      diagnosesShareOfCeiling: Number((peak.result.requests.average / ceiling.result.requests.average).toFixed(3)),
      diagnosesShareOfServiceHealthz: Number(
        (peak.result.requests.average / health.result.requests.average).toFixed(3),
      ),
      serverCpuMsPerRequest: {
        helloWorld: ceiling.cpuMsPerRequest,
        diagnoses: peak.cpuMsPerRequest,
        healthz: health.cpuMsPerRequest,
      },
      // Load-independent view of the same ratio: requests per CPU-second, diagnoses vs the hello-world route.
      diagnosesShareOfCeilingByCpu: Number((ceiling.cpuMsPerRequest / peak.cpuMsPerRequest).toFixed(3)),
      peakRssMb: peakRssMb(service.pid),
    });
  } finally {
    await service.close();
  }
}

main().catch(fail);
