/** The commands on the embedded default: local registry, local runner, local raw zone. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type ApprovalStatus, LocalRegistry, RegistryError } from '../../pipelines/definition/local-registry';
import { type RunRecord, runLocal } from '../../pipelines/definition/local-runner';
import type { ParameterName } from '../../pipelines/definition/steps';
import { type Context, REPO_ROOT } from './context';
import { CliError } from './errors';
import { type Output, pct, table } from './output';

function registry(ctx: Context): LocalRegistry {
  return new LocalRegistry(ctx.dxopsHome);
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RegistryError)
      throw new CliError(err.message, 'list the versions with: dxops models list --local');
    throw err;
  }
}

function metric(metrics: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], metrics);
}

export const KEY_METRICS: [string, string][] = [
  ['common', 'common.complete.top1'],
  ['half-ev', 'common.halfEvidence.top1'],
  ['orphan sim@10', 'orphan.simulated.top10'],
  ['orphan lit@10', 'orphan.timesplit.top10'],
];

export function modelsList(ctx: Context, out: Output): void {
  const reg = registry(ctx);
  const pkgs = reg.list();
  const served = reg.approvedVersion()?.version;
  out.result({ packages: pkgs, servedVersion: served ?? null }, () =>
    pkgs.length
      ? `${table(
          ['version', 'status', ...KEY_METRICS.map(([h]) => h), 'created', 'model version'],
          pkgs.map((p) => [
            `${p.version}${p.version === served ? '*' : ''}`,
            p.status,
            ...KEY_METRICS.map(([, path]) => pct(metric(p.metrics, path))),
            p.createdAt.slice(0, 16),
            p.modelVersion,
          ]),
        )}\n* = served by the local service`
      : `no model versions in ${reg.file}: run 'make demo' or 'dxops pipeline start --local'`,
  );
}

export function modelsShow(ctx: Context, out: Output, version: number): void {
  const pkg = wrap(() => registry(ctx).get(version));
  out.result(pkg, () =>
    [
      `version ${pkg.version} (${pkg.status}${pkg.statusReason ? `: ${pkg.statusReason}` : ''})`,
      `model version ${pkg.modelVersion}, created ${pkg.createdAt}, run ${pkg.runId ?? '-'}`,
      `package ${registry(ctx).packagePath(pkg)}`,
      ...KEY_METRICS.map(([h, path]) => `  ${h.padEnd(14)} ${pct(metric(pkg.metrics, path)) ?? '-'}`),
    ].join('\n'),
  );
}

export function modelsSetStatus(
  ctx: Context,
  out: Output,
  version: number,
  status: ApprovalStatus,
  reason: string,
): void {
  const pkg = wrap(() => registry(ctx).setStatus(version, status, reason));
  const served = registry(ctx).approvedVersion();
  out.result(
    { ...pkg, servedVersion: served?.version ?? null },
    () =>
      `version ${pkg.version} is now ${pkg.status}; the local service serves ${served ? `version ${served.version}` : 'no version (none approved)'} after its next poll`,
  );
}

export async function pipelineStart(ctx: Context, out: Output, params: Record<string, string>): Promise<RunRecord> {
  const record = await runLocal({
    dxopsHome: ctx.dxopsHome,
    repoRoot: REPO_ROOT,
    parameters: params as Partial<Record<ParameterName, string>>,
    log: ctx.json ? () => undefined : undefined,
  });
  out.result(record, () =>
    record.status === 'Succeeded'
      ? `run ${record.runId} succeeded; registered version ${record.registeredVersion} (approve it with: dxops models approve ${record.registeredVersion} --reason "...")`
      : `run ${record.runId} failed: ${record.failureReason}`,
  );
  if (record.status !== 'Succeeded')
    throw new CliError(`pipeline run ${record.runId} failed`, 'see the step log named above', 1);
  return record;
}

function runsDir(ctx: Context): string {
  return join(ctx.dxopsHome, 'runs');
}

export function readRuns(ctx: Context): RunRecord[] {
  if (!existsSync(runsDir(ctx))) return [];
  return readdirSync(runsDir(ctx))
    .filter((d) => existsSync(join(runsDir(ctx), d, 'run.json')))
    .sort()
    .map((d) => JSON.parse(readFileSync(join(runsDir(ctx), d, 'run.json'), 'utf8')) as RunRecord);
}

export function pipelineList(ctx: Context, out: Output): void {
  const runs = readRuns(ctx);
  out.result(runs, () =>
    runs.length
      ? table(
          ['run', 'status', 'started', 'registered', 'failure'],
          runs.map((r) => [
            r.runId,
            r.status,
            r.startedAt.slice(0, 19),
            r.registeredVersion,
            r.failureReason?.split('\n')[0],
          ]),
        )
      : 'no pipeline runs yet: dxops pipeline start --local',
  );
}

export function pipelineStatus(ctx: Context, out: Output, runId?: string): void {
  const runs = readRuns(ctx);
  const run = runId ? runs.find((r) => r.runId === runId) : runs[runs.length - 1];
  if (!run) {
    throw new CliError(
      runId ? `pipeline run ${runId} not found` : 'no pipeline runs yet',
      runs.length
        ? `known runs: ${runs.map((r) => r.runId).join(', ')}`
        : 'start one with: dxops pipeline start --local',
    );
  }
  out.result(run, () =>
    [
      `run ${run.runId}: ${run.status}`,
      table(
        ['step', 'status', 'seconds', 'note'],
        run.steps.map((s) => [s.name, s.status, s.seconds, s.message?.split('\n')[0]]),
      ),
    ].join('\n'),
  );
}

/** Copies files into the local raw zone (`<DXOPS_HOME>/raw/<source>/`), where the next run's Ingest reads them. */
export function dataUpload(ctx: Context, out: Output, path: string, source: string): void {
  if (!existsSync(path)) throw new CliError(`${path} does not exist`);
  const files = statSync(path).isDirectory() ? readdirSync(path).map((f) => join(path, f)) : [path];
  const target = join(ctx.dxopsHome, 'raw', source);
  mkdirSync(target, { recursive: true });
  const copied = files
    .filter((f) => statSync(f).isFile())
    .map((f) => {
      copyFileSync(f, join(target, basename(f)));
      return { file: f, to: join(target, basename(f)), bytes: statSync(f).size };
    });
  out.result(
    { source, files: copied },
    () => `${copied.length} file(s) copied to ${target}; the next 'dxops pipeline start --local' ingests them`,
  );
}
