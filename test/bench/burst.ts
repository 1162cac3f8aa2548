/**
 * Bursts above capacity (issue #7, item 3): the service must answer the excess with 429 or 503 quickly instead of
 * letting requests time out, and recover by itself once the burst ends.
 *   1. overload: BURST_CONNECTIONS (default 500) connections send the request pool as fast as they can for
 *      BURST_SECONDS (default 10), with the rate limit lifted, so only load shedding (under-pressure) can refuse;
 *   2. rate limit: the default per-client limit scaled down (RATE_LIMIT_PER_MINUTE=BURST_RATE_LIMIT, default 600) and
 *      100 connections for BURST_SECONDS, so the one client exceeds it.
 * During each burst a probe request on a fresh connection every 200 ms measures what a newcomer gets and how fast
 * (time to reject); after it, a probe every 250 ms (at most 70 s, the rate-limit window is one minute) measures the
 * time until a normal request succeeds again. Prints numbers; asserts nothing about timings.
 * Run: npm run bench:burst   (MODEL_DIR to burst another package)
 */
import type autocannon from 'autocannon';
import {
  diagnosesLoad,
  FIXTURE_MODEL,
  fail,
  loadAverage,
  loadPool,
  type Probe,
  probe,
  report,
  run,
  type Service,
  sleep,
  startService,
  summary,
} from './harness';
import type { DiagnosisBody } from './request-pool';

const SECONDS = Number(process.env.BURST_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BURST_CONNECTIONS ?? 500);
const RATE_LIMIT = Number(process.env.BURST_RATE_LIMIT ?? 600);
const MODEL_DIR = process.env.MODEL_DIR ?? FIXTURE_MODEL;
const PROBE_EVERY_MS = 200;
const RECOVERY_EVERY_MS = 250;
const RECOVERY_MAX_MS = 70_000;

function percentile(sorted: readonly number[], p: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

/** What the probes got during the burst: counts by status and the latency of refusals and of successes. */
function probeSummary(probes: readonly Probe[]) {
  const byStatus: Record<string, number> = {};
  for (const p of probes) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  const latency = (keep: (p: Probe) => boolean) => {
    const ms = probes
      .filter(keep)
      .map((p) => p.ms)
      .sort((a, b) => a - b);
    return { n: ms.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: ms.at(-1) ?? null };
  };
  return {
    probes: probes.length,
    byStatus,
    timeToReject: latency((p) => p.status === 429 || p.status === 503),
    timeToServe: latency((p) => p.status === 200),
    timeToConnect: (() => {
      const ms = probes.map((p) => p.connectMs ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
      return { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
    })(),
  };
}

/** Sends a burst with `connections` and probes it; then waits for a normal request to succeed. */
async function burst(service: Service, pool: readonly DiagnosisBody[], connections: number) {
  // The load runs in a worker thread of autocannon's, so that the probes' timings in this thread measure the
  // service, not this process's own event loop (hundreds of busy connections would otherwise delay them).
  // Functions cannot cross into the worker: every connection walks the pool from its start.
  const { setupClient: _perConnectionStart, ...pooled } = diagnosesLoad(service.url, pool);
  const load: autocannon.Options = { ...pooled, connections, duration: SECONDS, workers: 1 };
  const probes: Promise<Probe>[] = [];
  const started = performance.now();
  const prober = setInterval(() => probes.push(probe(service.url, pool[probes.length % pool.length])), PROBE_EVERY_MS);
  const result = await run(load).finally(() => clearInterval(prober));
  const ended = performance.now();
  const during = await Promise.all(probes);
  let recovered: Probe | undefined;
  let attempts = 0;
  while (performance.now() - ended < RECOVERY_MAX_MS) {
    attempts++;
    const p = await probe(service.url, pool[attempts % pool.length]);
    if (p.status === 200) {
      recovered = p;
      break;
    }
    await sleep(RECOVERY_EVERY_MS);
  }
  return {
    connections,
    seconds: Math.round((ended - started) / 100) / 10,
    load: summary(result),
    duringBurst: probeSummary(during),
    recovery: recovered
      ? { secondsUntilA200: Math.round((performance.now() - ended) / 100) / 10, attempts }
      : { secondsUntilA200: null, attempts, note: `no 200 within ${RECOVERY_MAX_MS / 1000} s` },
  };
}

async function phase(env: Record<string, string>, connections: number, warmUp: boolean) {
  const pool = loadPool(MODEL_DIR);
  const service = await startService(MODEL_DIR, env);
  try {
    // Warm-up (JIT, ONNX arenas) at a modest concurrency, so that the burst meets a warm service.
    if (warmUp) await run({ ...diagnosesLoad(service.url, pool), connections: 10, duration: 2 });
    return await burst(service, pool, connections);
  } finally {
    await service.close();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const overload = await phase({ RATE_LIMIT_PER_MINUTE: '10000000' }, CONNECTIONS, true);
  // No warm-up here: its requests would count against the limit. The burst exceeds it within its first second.
  const rateLimit = await phase({ RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) }, 100, false);
  report({
    date: new Date().toISOString(),
    loadAverage: { before: loadBefore, after: loadAverage() },
    model: MODEL_DIR,
    overload,
    rateLimit: { limitPerMinute: RATE_LIMIT, ...rateLimit },
  });
}

main().catch(fail);
