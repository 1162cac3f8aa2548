/**
 * How much of the hello-world ceiling a diagnosis could reach at best on this machine (issue #4's 30 % target):
 * the ceiling, then routes that add one by one what every diagnosis must do (test/bench/floor-server.ts), each with
 * its throughput and the server's CPU per request. The budget line is the CPU a request may cost to be at 30 % of
 * the ceiling by CPU. Nothing here is the service: no audit record, access log, auth, rate limit or drift update.
 * Run: npm run bench:floor   (BENCH_SECONDS=8, BENCH_CONNECTIONS=10; FLOOR_DISEASES=13304, FLOOR_ENTRIES=5000)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { answeredOk, cpuMs, fail, loadAverage, report, run, startBenchServer, startHello } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DISEASES = process.env.FLOOR_DISEASES ?? '13304';
const ROOT = join(__dirname, '..', '..');
const PYTHON = process.env.PYTHON ?? join(ROOT, '.venv', 'bin', 'python');

// A realistic 8-finding request (7 observed, 1 excluded), as the request pool's.
const BODY = JSON.stringify({
  phenotypes: [
    ...['HP:0001250', 'HP:0001249', 'HP:0000252', 'HP:0001263', 'HP:0000486', 'HP:0002650', 'HP:0001629'].map((id) => ({
      id,
    })),
    { id: 'HP:0000365', excluded: true },
  ],
  age: { years: 3 },
  sex: 'female',
  topK: 10,
});

async function phase(pid: number, opts: autocannon.Options) {
  await run({ ...opts, connections: CONNECTIONS, duration: 2 }); // warm-up (JIT), not reported
  const before = cpuMs(pid);
  const result = await run({ ...opts, connections: CONNECTIONS, duration: SECONDS });
  const answered = answeredOk(String(opts.url), result);
  return { ...answered, cpuMsPerRequest: Number(((cpuMs(pid) - before) / result.requests.total).toFixed(4)) };
}

async function main(): Promise<void> {
  const ranker = join(mkdtempSync(join(tmpdir(), 'dxops-floor-')), 'minimal-ranker.onnx');
  const made = spawnSync(PYTHON, [join(__dirname, 'minimal_ranker.py'), ranker, DISEASES], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`minimal_ranker.py failed (exit ${made.status}); run make install first`);
  const loadBefore = loadAverage();
  const hello = await startHello();
  const ceiling = await phase(hello.pid, { url: `${hello.url}/hello` });
  hello.stop();
  const floor = await startBenchServer('floor-server.ts', { FLOOR_RANKER: ranker, FLOOR_DISEASES: DISEASES }, 60_000);
  const post = (path: string) => ({
    url: `${floor.url}${path}`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
  try {
    const shape = await phase(floor.pid, post('/shape'));
    const onnx = await phase(floor.pid, post('/shape/onnx'));
    const rankerRoute = await phase(floor.pid, post('/shape/ranker'));
    const share = (r: { requestsPerSecond: number; cpuMsPerRequest: number }) => ({
      byThroughput: Number((r.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
      byCpu: Number((ceiling.cpuMsPerRequest / r.cpuMsPerRequest).toFixed(3)),
    });
    report({
      date: new Date().toISOString(),
      loadAverage: { before: loadBefore, after: loadAverage() },
      seconds: SECONDS,
      connections: CONNECTIONS,
      catalogDiseases: Number(DISEASES),
      helloWorldCeiling: ceiling,
      diagnosisShape: { ...shape, shareOfCeiling: share(shape) },
      diagnosisShapeWithFixtureOnnx: { ...onnx, shareOfCeiling: share(onnx) },
      diagnosisShapeWithMinimalRanker: { ...rankerRoute, shareOfCeiling: share(rankerRoute) },
      // the CPU per request at which a route would be at 30 % of the ceiling by CPU
      budgetAt30PercentCpuMs: Number((ceiling.cpuMsPerRequest / 0.3).toFixed(4)),
    });
  } finally {
    floor.stop();
  }
}

main().catch(fail);
