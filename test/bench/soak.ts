/**
 * Soak (issue #7, item 3): SOAK_SECONDS (default 60) of POST /v1/diagnoses at the target rate (200 requests/s, open
 * loop, harness.ts `paced`) over the request pool, with the service's resident memory sampled every second. Prints errors, latency, RSS of the
 * first and last 10 s and its growth, and checks that every 200 left its audit record on disk.
 * Run: npm run bench:soak   (MODEL_DIR to soak another package)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditRecords,
  FIXTURE_MODEL,
  fail,
  loadAverage,
  loadPool,
  paced,
  peakRssMb,
  report,
  rssMb,
  startService,
} from './harness';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const RATE = 200;
const WINDOW_S = 10;
const MODEL_DIR = process.env.MODEL_DIR ?? FIXTURE_MODEL;

/** The service's own count of 200 answers to POST /v1/diagnoses, from its Prometheus latency histogram. */
async function served200(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('dxops_http_request_duration_seconds_count{') &&
        l.includes('route="/v1/diagnoses"') &&
        l.includes('status_code="200"'),
    );
  return Number(line?.split(' ').pop() ?? Number.NaN);
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
const round1 = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  if (SECONDS < 2 * WINDOW_S) throw new Error(`SOAK_SECONDS must be at least ${2 * WINDOW_S}`);
  const loadBefore = loadAverage();
  // One load generator is one client: 200 requests/s is 12,000 a minute, over the per-client default of 6,000.
  const service = await startService(MODEL_DIR, { RATE_LIMIT_PER_MINUTE: '10000000' });
  try {
    const pool = loadPool(MODEL_DIR);
    await paced(service.url, pool, RATE, 2); // warm-up, not reported
    const startRss = rssMb(service.pid);
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMb(service.pid)), 1000);
    const result = await paced(service.url, pool, RATE, SECONDS).finally(() => clearInterval(sampler));
    const first = mean(samples.slice(0, WINDOW_S));
    const last = mean(samples.slice(-WINDOW_S));
    const records = auditRecords(service.home);
    const served = await served200(service.url);
    const manifest = JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8'));
    report({
      date: new Date().toISOString(),
      loadAverage: { before: loadBefore, after: loadAverage() },
      seconds: SECONDS,
      targetRate: RATE,
      model: { dir: MODEL_DIR, version: manifest.modelVersion, ...manifest.counts },
      diagnoses: result,
      rssMb: {
        afterWarmUp: round1(startRss),
        [`first${WINDOW_S}s`]: round1(first),
        [`last${WINDOW_S}s`]: round1(last),
        growth: round1(last - first),
        growthPercent: round1((100 * (last - first)) / first),
        peak: peakRssMb(service.pid),
        perSecond: samples.map(Math.round),
      },
      // Every 200 the service sent (its own count: the load generator stops counting with requests in flight) has
      // its record. Records of requests whose client left before the answer was written (autocannon closes its
      // connections at the end of each run, up to 10 each time) are on disk too, without a counted 200.
      auditRecords: {
        onDisk: records,
        served200: served,
        everyServed200Recorded: records >= served,
        recordsWithoutACounted200: records - served,
      },
    });
  } finally {
    await service.close();
  }
}

main().catch(fail);
