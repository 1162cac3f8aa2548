import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirLockedError, LOCK_FILE } from '../../../containers/inference/src/storage/dir-lock';
import { JsonlWriter } from '../../../containers/inference/src/storage/jsonl-writer';
import { FIXTURES, makeHome } from './helpers';
import { startServer } from './server-process';

/** A pid that was a process a moment ago and is not any more: a crashed service's. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', '']);
  if (run.pid === undefined) throw new Error('could not start a process to take its pid');
  return run.pid;
}

describe('one writer per audit or feedback directory (a lock file holding the pid)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dxops-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lock = () => join(dir, LOCK_FILE);

  test('the lock holds the pid while the writer is open and is removed when it closes', async () => {
    // WHEN
    const writer = new JsonlWriter(dir, 'audit');
    // THEN
    expect(readFileSync(lock(), 'utf8')).toBe(String(process.pid));
    await writer.append({ i: 1 });
    await writer.close();
    expect(existsSync(lock())).toBe(false);
    await writer.close(); // a second close (the test helper's and the app's) is harmless
  });

  test('a lock held by a live process is refused, naming the directory and its pid', () => {
    // GIVEN a lock of a process that is running (the one that started this test)
    writeFileSync(lock(), String(process.ppid));
    // WHEN / THEN
    expect(() => new JsonlWriter(dir, 'audit')).toThrow(DirLockedError);
    expect(() => new JsonlWriter(dir, 'audit')).toThrow(
      `${dir} is in use by another dxops inference process (pid ${process.ppid}, lock ${lock()})`,
    );
    // and the other process's lock is left alone
    expect(readFileSync(lock(), 'utf8')).toBe(String(process.ppid));
  });

  test('a second writer in the same process is refused too', async () => {
    const writer = new JsonlWriter(dir, 'audit');
    expect(() => new JsonlWriter(dir, 'audit')).toThrow(/is already written by this process/);
    await writer.close();
    // once the first is closed, the directory can be opened again
    await new JsonlWriter(dir, 'audit').close();
  });

  test.each([
    ['a crashed process', () => String(deadPid())],
    ['this pid, not held here (a restarted container is pid 1 again)', () => String(process.pid)],
    ['no pid at all', () => ''],
  ])('a stale lock of %s is taken over', async (_name, holder) => {
    // GIVEN
    writeFileSync(lock(), holder());
    // WHEN
    const writer = new JsonlWriter(dir, 'audit');
    await writer.append({ i: 1 });
    // THEN
    expect(readFileSync(lock(), 'utf8')).toBe(String(process.pid));
    await writer.close();
    expect(existsSync(lock())).toBe(false);
  });
});

describe('two service processes on one DXOPS_HOME', () => {
  test('the second refuses to start, naming the directory and the first one’s pid; a clean stop frees it', async () => {
    // GIVEN a running service
    const home = makeHome();
    const env = { MODEL_DIR: join(FIXTURES, 'v1'), DXOPS_HOME: home };
    const first = await startServer(env);
    try {
      // WHEN a second one starts on the same home
      const second = await startServer(env).then(
        (s) => s.stop().then(() => 'started'),
        (err: Error) => err.message,
      );
      // THEN it exits with the reason, and the first one's files are untouched
      expect(second).toMatch(/server exited with 2/);
      expect(second).toContain(
        `dxops inference: ${join(home, 'audit')} is in use by another dxops inference process (pid ${first.child.pid}`,
      );
      expect(readFileSync(join(home, 'audit', LOCK_FILE), 'utf8')).toBe(String(first.child.pid));
      // WHEN the first stops THEN its locks are gone
      await first.stop();
      expect(existsSync(join(home, 'audit', LOCK_FILE))).toBe(false);
      expect(existsSync(join(home, 'feedback', LOCK_FILE))).toBe(false);
    } finally {
      await first.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
