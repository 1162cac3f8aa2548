import { mkdirSync } from 'node:fs';
import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DirLock } from './dir-lock';

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Append-only JSON Lines files, one per UTC day (`<prefix>-YYYY-MM-DD.jsonl`), with group commit: records that arrive
 * while a flush is running are written together and share one fdatasync. `append()` resolves only once its record is
 * on disk, so a caller that waits for it before answering can promise the record survives a crash.
 * A failed or short write (disk full) is truncated back to the last complete record, so the file never holds a torn
 * line from a failed write. A torn last line left by a crash (kill -9 during a write: a record that was never
 * acknowledged) is found when the file is opened again: it is moved to `<file>.<offset>.torn` beside the file and
 * the file truncated to its last whole line, so the next record starts on a line of its own.
 * Both repairs assume this writer is the directory's only one: it holds the directory's lock (dir-lock.ts) from
 * construction until `close()`, and a second process on the same directory refuses to start.
 */
export class JsonlWriter {
  private pending: Pending[] = [];
  private flushing?: Promise<void>;
  private file?: { readonly day: string; readonly handle: FileHandle; size: number };
  private readonly lock: DirLock;

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    /** Told when a torn last line was moved aside on open (the service logs it). */
    private readonly onRepair?: (repair: { file: string; offset: number; bytes: number; movedTo: string }) => void,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.lock = DirLock.acquire(dir);
  }

  public append(record: object): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.kick();
    });
  }

  public async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    try {
      await this.file?.handle.close();
    } finally {
      this.file = undefined;
      this.lock.release();
    }
  }

  /**
   * Starts a flush unless one is running. A record appended after the running flush checked its queue for the last
   * time (its `finally` has not run yet) would be stranded, so the end of every flush looks at the queue again.
   */
  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.write(batch.map((p) => p.line).join(''));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
      }
    }
  }

  private async write(text: string): Promise<void> {
    const file = await this.handleFor(new Date().toISOString().slice(0, 10));
    const data = Buffer.from(text, 'utf8');
    try {
      // write(2) may write only part of the buffer (a full disk fills up in the middle of a record): loop until all
      // of it is written or the kernel reports the error, never count a short write as done.
      for (let done = 0; done < data.length; ) {
        const { bytesWritten } = await file.handle.write(data, done, data.length - done, file.size + done);
        if (bytesWritten === 0) throw Object.assign(new Error('write wrote 0 bytes'), { code: 'EIO' });
        done += bytesWritten;
      }
      await file.handle.datasync();
      file.size += data.length;
    } catch (err) {
      // Back to the last whole record; if even that fails, drop the handle: the next open repairs the tail.
      await file.handle.truncate(file.size).catch(async () => {
        await file.handle.close().catch(() => undefined);
        if (this.file === file) this.file = undefined;
      });
      throw err;
    }
  }

  private async handleFor(day: string) {
    if (this.file?.day === day) return this.file;
    await this.file?.handle.close();
    this.file = undefined;
    const path = join(this.dir, `${this.prefix}-${day}.jsonl`);
    const handle = await open(path, 'a+', 0o600);
    try {
      // A new file's directory entry must be durable too; an existing one may end in a line torn by a crash.
      let size = (await handle.stat()).size;
      if (size === 0) await this.syncDir();
      else size = await this.repairTail(handle, path, size);
      this.file = { day, handle, size };
      return this.file;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /** Moves a last line without its newline (a write torn by a crash) aside; returns the size of the whole lines. */
  private async repairTail(handle: FileHandle, path: string, size: number): Promise<number> {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return size;
    let end = size;
    let lineStart = 0;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const from = Math.max(0, end - chunk.length);
      await handle.read(chunk, 0, end - from, from);
      const nl = chunk.subarray(0, end - from).lastIndexOf(0x0a);
      if (nl >= 0) {
        lineStart = from + nl + 1;
        break;
      }
      end = from;
    }
    const torn = Buffer.alloc(size - lineStart);
    await handle.read(torn, 0, torn.length, lineStart);
    const movedTo = `${path}.${lineStart}.torn`;
    await writeFile(movedTo, torn, { mode: 0o600, flush: true });
    await handle.truncate(lineStart);
    await handle.datasync();
    this.onRepair?.({ file: path, offset: lineStart, bytes: torn.length, movedTo });
    return lineStart;
  }

  private async syncDir(): Promise<void> {
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
