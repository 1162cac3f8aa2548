/** The commands on the embedded default: local registry, local runner, local raw zone. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApprovalStatus, LocalRegistry, RegistryError } from '../../pipelines/definition/local-registry';
import { type RunRecord, runLocal } from '../../pipelines/definition/local-runner';
import type { ParameterName } from '../../pipelines/definition/steps';
import { type Context, REPO_ROOT } from './context';
import { CliError } from './errors';
import { type FollowOptions, follow, type RunSnapshot } from './follow';
import { type CompareOptions, compareWithLineage, comparisonText } from './model-compare';
import { versionDetail, versionsTable } from './model-views';
import { type Output, table } from './output';

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

export function modelsList(ctx: Context, out: Output): void {
  const reg = registry(ctx);
  const pkgs = reg.list();
  const served = reg.approvedVersion()?.version;
  out.result({ packages: pkgs, servedVersion: served ?? null }, () =>
    pkgs.length
      ? `${versionsTable(pkgs, served)}\n* = served by the local service`
      : `no model versions in ${reg.file}: run 'make demo' or 'dxops pipeline start --local'`,
  );
}

export function modelsShow(ctx: Context, out: Output, version: number): void {
  const pkg = wrap(() => registry(ctx).get(version));
  out.result(pkg, () =>
    versionDetail(pkg, [
      `model version ${pkg.modelVersion}, created ${pkg.createdAt}, run ${pkg.runId ?? '-'}`,
      `package ${registry(ctx).packagePath(pkg)}`,
    ]),
  );
}

export async function modelsCompare(ctx: Context, out: Output, a: number, b: number, o: CompareOptions): Promise<void> {
  const reg = registry(ctx);
  const [left, right] = wrap(() => [reg.get(a), reg.get(b)]);
  const comparison = await compareWithLineage(
    left,
    right,
    o.tolerance,
    (p) => JSON.parse(readFileSync(join(reg.packagePath(p), 'manifest.json'), 'utf8')).lineage ?? [],
  );
  out.result(comparison, () => comparisonText(comparison, o.all));
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

function findRun(ctx: Context, runId?: string): RunRecord {
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
  return run;
}

function snapshot(run: RunRecord): RunSnapshot {
  return {
    id: run.runId,
    status: run.status,
    done: run.status !== 'Executing',
    failure: run.failureReason?.split('\n')[0],
    steps: run.steps.map((s) => ({
      name: s.name,
      status: s.status,
      detail: s.status === 'Failed' ? s.message?.split('\n')[0] : undefined,
    })),
  };
}

/** A run step by step; with `watch`, follows a run in progress (started in another terminal) until it ends. */
export async function pipelineStatus(
  ctx: Context,
  out: Output,
  runId?: string,
  watch?: Omit<FollowOptions, 'print'>,
): Promise<void> {
  const id = findRun(ctx, runId).runId;
  if (watch) {
    const final = await follow(async () => snapshot(findRun(ctx, id)), {
      ...watch,
      print: ctx.json ? () => undefined : (line) => process.stderr.write(`${line}\n`),
    });
    out.result(findRun(ctx, id), () => `run ${id}: ${final.status}`);
    if (final.status !== 'Succeeded')
      throw new CliError(
        `pipeline run ${id} ${final.status}`,
        `see ${join(ctx.dxopsHome, 'runs', id)}/<Step>/stderr.log`,
      );
    return;
  }
  const run = findRun(ctx, id);
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
