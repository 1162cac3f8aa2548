/**
 * `dxops pipeline prune --local`: retention for the embedded default's run directories. Each local run keeps every
 * step's inputs and outputs (about 100 MB, most of it the knowledge base and the exported package), so a data
 * scientist comparing runs fills a laptop's disk within weeks. The registry holds its own copy of each package, so a
 * run directory is needed only for its logs, report and intermediate outputs; on AWS the artifacts stay in S3 as the
 * registered packages' lineage, and nothing is pruned there.
 */
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRegistry } from '../../pipelines/definition/local-registry';
import type { RunRecord } from '../../pipelines/definition/local-runner';
import type { Context } from './context';
import { readRuns } from './local-commands';
import { type Output, table } from './output';

export interface PruneDecision {
  runId: string;
  status: RunRecord['status'];
  registeredVersion?: number;
  /** Why the run stays; undefined when it is removed. */
  kept?: string;
}

/**
 * Which runs stay: the `keep` newest, any still executing (another terminal may be running it), and the one that
 * produced the served version (the highest approved; its report is the evidence behind what clinicians get). Older
 * approved versions keep their metrics and approval reason in the registry. Runs come oldest first.
 */
export function planPrune(runs: RunRecord[], servedVersion: number | undefined, keep: number): PruneDecision[] {
  return runs.map((run, i) => {
    const reasons: string[] = [];
    if (i >= runs.length - keep) reasons.push(`one of the ${keep} newest`);
    if (run.status === 'Executing') reasons.push('executing');
    if (servedVersion !== undefined && run.registeredVersion === servedVersion)
      reasons.push(`produced served version ${servedVersion}`);
    return {
      runId: run.runId,
      status: run.status,
      registeredVersion: run.registeredVersion,
      kept: reasons.length ? reasons.join(', ') : undefined,
    };
  });
}

/** Bytes under a directory, symbolic links not followed (the runner links step inputs to earlier outputs). */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else total += lstatSync(path).size;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export function pipelinePrune(ctx: Context, out: Output, keep: number, dryRun: boolean): void {
  const runsDir = join(ctx.dxopsHome, 'runs');
  const served = new LocalRegistry(ctx.dxopsHome).approvedVersion()?.version;
  const plan = planPrune(readRuns(ctx), served, keep).map((d) => {
    const dir = join(runsDir, d.runId);
    return { ...d, bytes: existsSync(dir) ? directoryBytes(dir) : 0 };
  });
  const removed = plan.filter((d) => !d.kept);
  if (!dryRun) for (const d of removed) rmSync(join(runsDir, d.runId), { recursive: true, force: true });
  const freed = removed.reduce((sum, d) => sum + d.bytes, 0);
  out.result({ dryRun, keep, freedBytes: freed, runs: plan }, () =>
    [
      plan.length
        ? table(
            ['run', 'status', 'registered', 'size', dryRun ? 'would be' : 'now'],
            plan.map((d) => [
              d.runId,
              d.status,
              d.registeredVersion,
              mb(d.bytes),
              d.kept ? `kept: ${d.kept}` : 'removed',
            ]),
          )
        : 'no pipeline runs yet: dxops pipeline start --local',
      `${dryRun ? 'would remove' : 'removed'} ${removed.length} of ${plan.length} runs, ${mb(freed)}; the registry's packages are untouched`,
    ].join('\n'),
  );
}
