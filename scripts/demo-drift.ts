/**
 * `make demo-drift`: the closed loop on the embedded default, stage by stage.
 *   1. a shifted stream of requests (elderly men with cardiovascular findings) reaches the local service;
 *   2. its drift statistic (PSI per feature family on /metrics) crosses the threshold: the local stand-in for the
 *      CloudWatch drift alarm;
 *   3. that starts retraining: the same pipeline steps through the local runner, registering a new version as
 *      PendingManualApproval;
 *   4. `dxops models approve` approves it;
 *   5. the service hot-reloads the new version.
 * Needs an approved model (`make demo` first). Starts the service if none answers on HOST:PORT.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { LocalRegistry } from '../pipelines/definition/local-registry';
import { runLocal } from '../pipelines/definition/local-runner';

const ROOT = resolve(__dirname, '..');
const HOME = resolve(process.env.DXOPS_HOME ?? join(ROOT, '.dxops'));
const URL_BASE = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '8080'}`;
/** The same line as the AWS drift alarms (`alarms.driftPsi` in lib/config.ts): PSI above 0.2 is a significant shift. */
const THRESHOLD = Number(process.env.DRIFT_THRESHOLD ?? 0.2);
const MAX_REQUESTS = 3000;
const CARDIO = ['HP:0001635', 'HP:0011675', 'HP:0001681', 'HP:0002094', 'HP:0000822', 'HP:0001962', 'HP:0005110'];

const say = (stage: string, msg: string) => process.stdout.write(`\x1b[1mdxops drift [${stage}]\x1b[0m ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(): Promise<string | undefined> {
  try {
    const res = await fetch(`${URL_BASE}/readyz`);
    return res.ok ? ((await res.json()) as { modelVersion?: string }).modelVersion : undefined;
  } catch {
    return undefined;
  }
}

async function ensureService(): Promise<ChildProcess | undefined> {
  if (await ready()) return undefined;
  say('service', `starting the local service on ${URL_BASE} (drift window 200 requests, registry polled every 2 s)`);
  const child = spawn(join(ROOT, 'scripts', 'serve.sh'), [], {
    env: { ...process.env, DXOPS_HOME: HOME, DRIFT_WINDOW: '200', MODEL_POLL_MS: '2000', LOG_LEVEL: 'warn' },
    // stderr kept: a service that refuses to start (another one writes this DXOPS_HOME's audit log) says why there
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so stopping it also stops the node process npx started
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  for (let i = 0; i < 120 && child.exitCode === null && !(await ready()); i++) await sleep(500);
  if (child.exitCode !== null) throw new Error(`the service exited (code ${child.exitCode}): ${stderr.trim()}`);
  if (!(await ready())) throw new Error(`the service did not become ready on ${URL_BASE}`);
  return child;
}

async function driftPsi(): Promise<Record<string, number>> {
  const text = await (await fetch(`${URL_BASE}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^dxops_drift_psi\{family="([^"]+)"\} ([0-9.eE+-]+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

function shiftedRequest(i: number) {
  const terms = [CARDIO[i % CARDIO.length], CARDIO[(i * 3 + 1) % CARDIO.length]];
  return { phenotypes: terms.map((id) => ({ id })), age: { years: 75 + (i % 15) }, sex: 'male', topK: 5 };
}

async function sendShiftedTraffic(): Promise<Record<string, number>> {
  for (let sent = 0; sent < MAX_REQUESTS; sent += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        fetch(`${URL_BASE}/v1/diagnoses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(shiftedRequest(sent + k)),
        }).then((r) => r.arrayBuffer()),
      ),
    );
    const psi = await driftPsi();
    const [family, value] = Object.entries(psi).sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
    say('traffic', `${sent + 50} shifted requests; highest drift ${family} PSI ${value.toFixed(3)}`);
    if (value >= THRESHOLD) return psi;
  }
  throw new Error(`no feature family drifted past PSI ${THRESHOLD} after ${MAX_REQUESTS} requests`);
}

async function main(): Promise<void> {
  const registry = new LocalRegistry(HOME);
  if (!registry.approvedVersion()) throw new Error(`no approved model in ${HOME}: run 'make demo' first`);
  const service = await ensureService();
  try {
    say('serving', `model ${await ready()}`);
    const psi = await sendShiftedTraffic();
    say(
      'alarm',
      `drift above ${THRESHOLD}: ${Object.entries(psi)
        .map(([f, v]) => `${f}=${v.toFixed(2)}`)
        .join(', ')}`,
    );
    say('retrain', 'starting the training pipeline (local runner, same steps as SageMaker)');
    const run = await runLocal({
      dxopsHome: HOME,
      repoRoot: ROOT,
      parameters: { ModelApprovalStatus: 'PendingManualApproval' },
    });
    if (run.status !== 'Succeeded' || run.registeredVersion === undefined)
      throw new Error(`retraining failed: ${run.failureReason}`);
    const version = run.registeredVersion;
    say('registry', `version ${version} registered as PendingManualApproval`);
    const approve = [
      'models',
      'approve',
      String(version),
      '--reason',
      'retrained after input drift; metrics reviewed',
      '--local',
      '--home',
      HOME,
    ];
    say('approve', `npx dxops ${approve.join(' ')}`);
    process.stdout.write(
      execFileSync(process.execPath, [join(ROOT, 'bin', 'dxops.js'), ...approve], { encoding: 'utf8' }),
    );
    const expected = registry.get(version).modelVersion;
    for (let i = 0; i < 120 && (await ready()) !== expected; i++) await sleep(500);
    const now = await ready();
    if (now !== expected) throw new Error(`the service still serves ${now}, expected ${expected}`);
    say('reloaded', `the service now serves ${now}`);
  } finally {
    if (service?.pid) process.kill(-service.pid, 'SIGTERM');
  }
}

main().catch((err: Error) => {
  process.stderr.write(`dxops drift: ${err.message}\n`);
  process.exit(1);
});
