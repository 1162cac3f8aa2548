import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Append-only JSON Lines files, one per UTC day (`<prefix>-YYYY-MM-DD.jsonl`), with group commit: records that arrive
 * while a flush is running are written together and share one fdatasync. `append()` resolves only once its record is
 * on disk, so a caller that waits for it before answering can promise the record survives a crash.
 * A failed write (disk full) is truncated back to the last complete record, so the file never holds a torn line.
 */
export class JsonlWriter {
  private pending: Pending[] = [];
  private flushing?: Promise<void>;
  private file?: { readonly day: string; readonly handle: FileHandle; size: number };

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  public append(record: object): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.kick();
    });
  }

  public async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.file?.handle.close();
    this.file = undefined;
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
      await file.handle.write(data, 0, data.length, file.size);
      await file.handle.datasync();
      file.size += data.length;
    } catch (err) {
      await file.handle.truncate(file.size).catch(() => undefined);
      throw err;
    }
  }

  private async handleFor(day: string) {
    if (this.file?.day === day) return this.file;
    await this.file?.handle.close();
    this.file = undefined;
    const handle = await open(join(this.dir, `${this.prefix}-${day}.jsonl`), 'a+', 0o600);
    this.file = { day, handle, size: (await handle.stat()).size };
    return this.file;
  }
}
