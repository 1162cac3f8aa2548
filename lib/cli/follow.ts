/** `pipeline status --watch`: polls a run and prints each step as its status changes, until the run ends. */
import { CliError } from './errors';

export interface StepSnapshot {
  readonly name: string;
  readonly status: string;
  readonly detail?: string;
}

export interface RunSnapshot {
  readonly id: string;
  readonly status: string;
  readonly steps: readonly StepSnapshot[];
  /** True once the run has ended (succeeded, failed or stopped). */
  readonly done: boolean;
  readonly failure?: string;
}

export interface FollowOptions {
  readonly intervalMs: number;
  /** Give up after this long (a crashed local run stays "Executing"). */
  readonly timeoutMs: number;
  /** Where progress lines go (nothing in --json mode). */
  readonly print: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const MARK: Record<string, string> = {
  Executing: '▶',
  Starting: '▶',
  Succeeded: '✔',
  Failed: '✘',
  Stopped: '■',
  Stopping: '■',
  Skipped: '·',
};

/** The snapshot's steps whose status differs from `before`, as progress lines. */
export function changes(before: RunSnapshot | undefined, now: RunSnapshot): string[] {
  const seen = new Map(before?.steps.map((s) => [s.name, s.status]));
  return now.steps
    .filter((s) => seen.get(s.name) !== s.status)
    .map((s) => `${MARK[s.status] ?? '?'} ${s.name} ${s.status.toLowerCase()}${s.detail ? `: ${s.detail}` : ''}`);
}

export async function follow(read: () => Promise<RunSnapshot>, opts: FollowOptions): Promise<RunSnapshot> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + opts.timeoutMs;
  let last: RunSnapshot | undefined;
  for (;;) {
    const now = await read();
    if (!last) opts.print(`run ${now.id}: ${now.status}`);
    for (const line of changes(last, now)) opts.print(line);
    last = now;
    if (now.done) {
      opts.print(`run ${now.id} ${now.status.toLowerCase()}${now.failure ? `: ${now.failure}` : ''}`);
      return now;
    }
    if (Date.now() >= deadline)
      throw new CliError(
        `run ${now.id} is still ${now.status} after ${Math.round(opts.timeoutMs / 60_000)} min`,
        'watch it again (dxops pipeline status --watch), or look at its step logs',
      );
    await sleep(opts.intervalMs);
  }
}
