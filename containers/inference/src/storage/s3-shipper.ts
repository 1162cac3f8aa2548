import { open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Ships the local JSON Lines files (audit, feedback) to S3 in batches: each run uploads the bytes appended since the
 * last run, up to the last complete line, as one object `<prefix><file>.<from>-<to>`. The bucket encrypts with its
 * KMS key. What was shipped is remembered in `.shipped.json` beside the files, so a restart never uploads twice.
 * Until a batch is shipped the records live on the task's disk (already fsynced); see docs/api.md.
 */
export class S3Shipper {
  constructor(
    private readonly dir: string,
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Uploads what is new; returns the number of objects written. Failures are logged and retried on the next run. */
  public async ship(): Promise<number> {
    const state = await this.state();
    let uploaded = 0;
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => f.endsWith('.jsonl')).sort();
    } catch (err) {
      this.log.error({ err }, 'cannot list the files to ship; retried on the next run');
      return 0;
    }
    for (const file of files) {
      const from = state[file] ?? 0;
      const handle = await open(join(this.dir, file), 'r');
      try {
        const { size } = await handle.stat();
        if (size <= from) continue;
        const buffer = Buffer.alloc(size - from);
        await handle.read(buffer, 0, buffer.length, from);
        const end = buffer.lastIndexOf(0x0a) + 1; // whole lines only
        if (end === 0) continue;
        const key = `${this.prefix}${file}.${from}-${from + end}`;
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: buffer.subarray(0, end),
            ContentType: 'application/x-ndjson',
          }),
        );
        state[file] = from + end;
        await this.save(state);
        uploaded++;
      } catch (err) {
        this.log.error({ err, file }, 'shipping to S3 failed; retried on the next run');
      } finally {
        await handle.close();
      }
    }
    return uploaded;
  }

  private async state(): Promise<Record<string, number>> {
    try {
      return JSON.parse(await readFile(join(this.dir, '.shipped.json'), 'utf8'));
    } catch {
      return {};
    }
  }

  private async save(state: Record<string, number>): Promise<void> {
    const file = join(this.dir, '.shipped.json');
    await writeFile(`${file}.tmp`, JSON.stringify(state));
    await rename(`${file}.tmp`, file);
  }
}
