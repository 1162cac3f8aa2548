import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../containers/inference/src/app';
import { loadConfig } from '../../../containers/inference/src/config';

// Two dependencies are ESM only: Node >= 20.19 require()s them natively, jest's module runtime (before Node 24.9)
// cannot. Neither code path is used here: content-disposition serves @fastify/static's reply.download() and cookie
// serves light-my-request's request cookies. (jose, also ESM only, is loaded only when auth is on: see auth.test.ts.)
jest.mock('content-disposition', () => ({ create: () => 'attachment' }));
jest.mock('cookie', () => ({ stringifySetCookie: () => '' }));

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'model-package');

export interface RegistryEntry {
  readonly version: number;
  readonly status: 'Approved' | 'Rejected' | 'PendingManualApproval';
  readonly packageDir: string;
}

/** A fresh DXOPS_HOME with the fixture packages copied to registry/packages/<n> (n = 1, 2). */
export function makeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'dxops-inference-'));
  for (const v of [1, 2])
    cpSync(join(FIXTURES, `v${v}`), join(home, 'registry', 'packages', String(v)), { recursive: true });
  return home;
}

/** Writes registry.json the way the pipeline does: a temp file renamed into place. */
export function writeRegistry(home: string, packages: RegistryEntry[]): void {
  const file = join(home, 'registry', 'registry.json');
  const body = packages.map((p) => ({
    ...p,
    modelVersion: `fixture-${p.version}`,
    createdAt: '2026-11-24T07:12:00Z',
    updatedAt: '2026-11-24T07:13:00Z',
  }));
  writeFileSync(`${file}.tmp`, JSON.stringify({ modelPackageGroupName: 'dxops-diagnosis', packages: body }));
  renameSync(`${file}.tmp`, file);
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly home: string;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly emf: string[];
}

/** The app on a fresh home serving fixture v1 through the local registry (no polling timer: tests call refresh). */
export async function startApp(env: Record<string, string> = {}, home = makeHome()): Promise<TestApp> {
  if (!env.SKIP_REGISTRY) writeRegistry(home, [{ version: 1, status: 'Approved', packageDir: 'packages/1' }]);
  const logs: Record<string, unknown>[] = [];
  const emf: string[] = [];
  const config = loadConfig({ DXOPS_HOME: home, MODEL_POLL_MS: '0', EMF_INTERVAL_MS: '0', ...env });
  const app = await buildApp(config, {
    logger: { level: 'info', stream: { write: (line: string) => logs.push(JSON.parse(line)) } },
    emfSink: (line) => emf.push(line),
  });
  app.addHook('onClose', async () => {
    await Promise.all([app.dx.audit.close(), app.dx.feedback.close()]);
    rmSync(home, { recursive: true, force: true });
  });
  await app.ready();
  return { app, home, logs, emf };
}

export function readJsonl(dir: string): Record<string, unknown>[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

/** A realistic request: a febrile seizure in a 3-year-old, with developmental findings. */
export const DRAVET_LIKE = {
  phenotypes: [{ id: 'HP:0002373' }, { id: 'HP:0001249' }, { id: 'HP:0001263' }, { id: 'HP:0012735', excluded: true }],
  age: { years: 3 },
  sex: 'female',
  topK: 5,
};
