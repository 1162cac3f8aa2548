import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** Reads the files of one model package, wherever it lives. */
export interface PackageReader {
  /** Where the package is, for logs and readiness (`/path/to/dir` or `s3://bucket/prefix`). */
  readonly location: string;
  read(path: string): Promise<Buffer>;
}

/** Package paths come from the manifest: refuse anything that could leave the package directory. */
function safeRelative(path: string): string {
  const clean = normalize(path);
  if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\\')) {
    throw new Error(`package path '${path}' leaves the package`);
  }
  return clean;
}

export class DirPackageReader implements PackageReader {
  constructor(public readonly location: string) {}

  public read(path: string): Promise<Buffer> {
    return readFile(join(this.location, safeRelative(path)));
  }
}

export class S3PackageReader implements PackageReader {
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    public readonly location: string,
    private readonly client: S3Client,
  ) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
    if (!match) throw new Error(`model URI '${location}' is not s3://bucket/prefix`);
    this.bucket = match[1];
    this.prefix = match[2].replace(/\/?$/, '/').replace(/^\/$/, '');
  }

  public async read(path: string): Promise<Buffer> {
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${safeRelative(path)}` }),
    );
    if (!out.Body) throw new Error(`s3://${this.bucket}/${this.prefix}${path} has no body`);
    return Buffer.from(await out.Body.transformToByteArray());
  }
}

/** An S3 client for the model bucket; `endpoint` points it at an emulator on loopback in tests. */
export function s3Client(region: string, endpoint?: string): S3Client {
  return new S3Client({ region, endpoint, forcePathStyle: endpoint !== undefined });
}
