import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lock's name in the directory it guards; hidden, so the readers of `*.jsonl` files never see it. */
export const LOCK_FILE = '.lock';

/** Another live process holds the directory; the message names the directory, the process and the lock file. */
export class DirLockedError extends Error {}

/** Lock files this process holds: a second writer in the same process would corrupt the files just the same. */
const held = new Set<string>();

/** A stale lock that another starting process takes over at the same time makes us look again, a few times. */
const ATTEMPTS = 5;

/**
 * One writer per directory. Each JsonlWriter tracks its file's size on its own, truncates back to it after a failed
 * write and moves a torn last line aside when it opens a file: a second process appending to the same files would
 * have its records cut off or moved aside. The lock file holds the holder's pid. It is written under a name of its
 * own, then hard-linked into place: link(2) fails if the lock exists, so creating it is atomic with its content
 * (a file created in place would be seen empty between its creation and the write of the pid).
 * A lock whose process is gone (a crash, kill -9) is stale and taken over; so is one holding our own pid that this
 * process does not hold: a restarted container's service is often pid 1 again.
 */
export class DirLock {
  private constructor(
    private readonly path: string,
    private readonly owner: string,
  ) {}

  public static acquire(dir: string): DirLock {
    const path = join(dir, LOCK_FILE);
    const owner = String(process.pid);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (held.has(path)) throw new DirLockedError(`${dir} is already written by this process (lock ${path})`);
      if (create(path, owner)) {
        held.add(path);
        return new DirLock(path, owner);
      }
      const holder = readHolder(path);
      if (holder === undefined) continue; // released meanwhile
      const pid = Number(holder);
      if (/^\d+$/.test(holder) && pid !== process.pid && isAlive(pid)) {
        throw new DirLockedError(
          `${dir} is in use by another dxops inference process (pid ${pid}, lock ${path}): two processes ` +
            "appending to the same audit or feedback files corrupt each other's records. Stop that process or give " +
            `this one its own DXOPS_HOME; remove the lock only if pid ${pid} is not a dxops inference service`,
        );
      }
      takeOver(path, holder);
    }
    throw new DirLockedError(`${dir}: its lock ${path} kept changing hands; another process is starting there`);
  }

  /** Removes the lock if it is still ours; a second call does nothing. */
  public release(): void {
    if (!held.delete(this.path)) return;
    if (readHolder(this.path) === this.owner) unlinkSync(this.path);
  }
}

/** Writes `content` to the lock at `path` unless a lock is there already; whether it did. */
function create(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}.new`;
  writeFileSync(draft, content, { mode: 0o600 });
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(draft);
  }
}

/** The lock's content (a pid), or undefined when there is no lock. */
function readHolder(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // it exists, under another user
  }
}

/**
 * Removes a stale lock, unless another process replaced it since it was read: the lock is moved to a name of our
 * own first, and put back if what was moved is not the stale one.
 */
function takeOver(path: string, stale: string): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // taken over by another process already
    throw err;
  }
  const moved = readHolder(aside);
  if (moved !== stale && moved !== undefined) {
    try {
      linkSync(aside, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  unlinkSync(aside);
}
