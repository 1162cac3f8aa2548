/**
 * `dxops data upload`: files into the raw zone, each with its SHA-256, and a progress bar on a terminal. Locally the
 * zone is `<DXOPS_HOME>/raw/<source>/` and each copy is read back and compared; on AWS it is the raw bucket (SSE-KMS),
 * where S3 verifies the SHA-256 of every request, in 8 MiB parts above 8 MiB (memory stays bounded by one part).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { aws, clientConfig } from './aws';
import type { Context } from './context';
import { CliError } from './errors';
import type { Output } from './output';

export const SOURCES = ['ddxplus', 'kaggle', 'phenopackets'] as const;
/** S3 accepts single PUTs up to 5 GiB, but parts make large uploads bounded in memory and retryable per part. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface UploadFile {
  readonly path: string;
  readonly bytes: number;
}

/** The regular files of `path` (a file, or a directory's files); a missing or empty path is an error. */
export function filesToUpload(path: string): UploadFile[] {
  if (!existsSync(path)) throw new CliError(`${path} does not exist`, 'give a file or a directory of files');
  const paths = statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .map((f) => join(path, f))
    : [path];
  const files = paths.filter((p) => statSync(p).isFile()).map((p) => ({ path: p, bytes: statSync(p).size }));
  if (!files.length) throw new CliError(`${path} holds no files`, 'give a file or a directory of files');
  return files;
}

export function assertSource(source: string): void {
  if (!(SOURCES as readonly string[]).includes(source))
    throw new CliError(`unknown source '${source}'`, `use --source ${SOURCES.join('|')}`);
}

/** A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal. */
export class ProgressBar {
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly write: ((text: string) => void) | undefined,
  ) {}

  static forContext(ctx: Context, total: number): ProgressBar {
    const tty = process.stderr.isTTY && !ctx.json;
    return new ProgressBar(total, tty ? (t) => void process.stderr.write(t) : undefined);
  }

  advance(bytes: number, label: string): void {
    this.done += bytes;
    if (!this.write) return;
    const share = this.total ? this.done / this.total : 1;
    const filled = Math.round(share * 30);
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    this.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${mib(this.done)}/${mib(this.total)} MiB  ${label}\x1b[K`,
    );
  }

  finish(): void {
    this.write?.('\n');
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Copies into the local raw zone, hashing on the way, then reads the copy back: a mismatch is an error. */
export async function uploadLocal(ctx: Context, out: Output, path: string, source: string): Promise<void> {
  const files = filesToUpload(path);
  const target = join(ctx.dxopsHome, 'raw', source);
  mkdirSync(target, { recursive: true });
  const bar = ProgressBar.forContext(
    ctx,
    files.reduce((a, f) => a + f.bytes, 0),
  );
  const copied: { file: string; to: string; bytes: number; sha256: string }[] = [];
  for (const f of files) {
    const to = join(target, basename(f.path));
    const hash = createHash('sha256');
    const source$ = createReadStream(f.path);
    source$.on('data', (chunk) => {
      hash.update(chunk as Buffer);
      bar.advance(chunk.length, basename(f.path));
    });
    await pipeline(source$, createWriteStream(to));
    const sha256 = hash.digest('hex');
    if ((await sha256Of(to)) !== sha256) throw new CliError(`the copy of ${f.path} differs from it`, 'upload it again');
    copied.push({ file: f.path, to, bytes: f.bytes, sha256 });
  }
  bar.finish();
  out.result({ source, files: copied }, () =>
    [
      ...copied.map((c) => `${c.sha256}  ${c.to}`),
      `${copied.length} file(s) copied to ${target} and verified (SHA-256); the next 'dxops pipeline start --local' ingests them`,
    ].join('\n'),
  );
}

/** One file to s3://bucket/<source>/<name> with SSE-KMS; every request carries its SHA-256, which S3 verifies. */
async function uploadOne(
  s3: S3Client,
  f: UploadFile,
  bucket: string,
  key: string,
  sse: { ServerSideEncryption: 'aws:kms'; SSEKMSKeyId?: string },
  bar: ProgressBar,
) {
  const whole = createHash('sha256');
  const handle = await open(f.path, 'r');
  const read = async (offset: number) => {
    const buffer = Buffer.alloc(Math.min(PART_BYTES, f.bytes - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    whole.update(buffer);
    return { buffer, checksum: createHash('sha256').update(buffer).digest('base64') };
  };
  try {
    if (f.bytes <= PART_BYTES) {
      const { buffer, checksum } = await read(0);
      await aws(() =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: buffer, ChecksumSHA256: checksum, ...sse })),
      );
      bar.advance(f.bytes, basename(f.path));
      return { parts: 1, sha256: whole.digest('hex') };
    }
    const upload = await aws(() =>
      s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256', ...sse })),
    );
    try {
      const parts: { PartNumber: number; ETag?: string; ChecksumSHA256?: string }[] = [];
      for (let offset = 0, n = 1; offset < f.bytes; offset += PART_BYTES, n++) {
        const { buffer, checksum } = await read(offset);
        const res = await aws(() =>
          s3.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: upload.UploadId,
              PartNumber: n,
              Body: buffer,
              ChecksumSHA256: checksum,
            }),
          ),
        );
        parts.push({ PartNumber: n, ETag: res.ETag, ChecksumSHA256: res.ChecksumSHA256 ?? checksum });
        bar.advance(buffer.length, `${basename(f.path)} part ${n}`);
      }
      await aws(() =>
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: upload.UploadId,
            MultipartUpload: { Parts: parts },
          }),
        ),
      );
      return { parts: parts.length, sha256: whole.digest('hex') };
    } catch (err) {
      // Parts of an unfinished upload are stored (and billed) until aborted.
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId }));
      throw err;
    }
  } finally {
    await handle.close();
  }
}

export async function uploadS3(
  ctx: Context,
  out: Output,
  path: string,
  source: string,
  bucket: string,
  kmsKeyId?: string,
): Promise<void> {
  const files = filesToUpload(path);
  const s3 = new S3Client(clientConfig(ctx));
  const sse = { ServerSideEncryption: 'aws:kms' as const, ...(kmsKeyId ? { SSEKMSKeyId: kmsKeyId } : {}) };
  const bar = ProgressBar.forContext(
    ctx,
    files.reduce((a, f) => a + f.bytes, 0),
  );
  const uploaded: { file: string; bucket: string; key: string; bytes: number; parts: number; sha256: string }[] = [];
  for (const f of files) {
    const key = `${source}/${basename(f.path)}`;
    const { parts, sha256 } = await uploadOne(s3, f, bucket, key, sse, bar);
    uploaded.push({ file: f.path, bucket, key, bytes: f.bytes, parts, sha256 });
  }
  bar.finish();
  out.result({ source, files: uploaded }, () =>
    [
      ...uploaded.map((u) => `${u.sha256}  s3://${bucket}/${u.key} (${u.bytes} bytes, ${u.parts} part(s))`),
      `${uploaded.length} file(s) uploaded with SSE-KMS, SHA-256 verified by S3; their arrival starts ingestion`,
    ].join('\n'),
  );
}
