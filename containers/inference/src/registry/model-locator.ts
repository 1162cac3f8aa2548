import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ModelSourceConfig } from '../config';
import { DirPackageReader, type PackageReader, S3PackageReader, s3Client } from '../model/package-reader';

/** The SSM parameter's value while no version is approved (lambda/deploy-approved-model writes it). */
export const NO_MODEL = 'none';

/** Where the package to serve is now; `undefined` while nothing is approved. */
export interface ModelLocator {
  locate(): Promise<PackageReader | undefined>;
}

interface RegistryPackage {
  readonly version: number;
  readonly status: string;
  readonly packageDir: string;
}

/** A fixed directory (MODEL_DIR): no registry, no reload. */
export class DirLocator implements ModelLocator {
  constructor(private readonly dir: string) {}

  public async locate(): Promise<PackageReader> {
    return new DirPackageReader(this.dir);
  }
}

/** The embedded registry file: the highest `version` whose status is `Approved` (docs/model-package.md). */
export class LocalRegistryLocator implements ModelLocator {
  constructor(private readonly registryFile: string) {}

  public async locate(): Promise<PackageReader | undefined> {
    let text: string;
    try {
      text = await readFile(this.registryFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    // Writers rename the file into place, so a parse error means a bad writer, not a torn read.
    const registry = JSON.parse(text) as { packages?: RegistryPackage[] };
    const approved = (registry.packages ?? [])
      .filter((p) => p.status === 'Approved' && Number.isInteger(p.version) && typeof p.packageDir === 'string')
      .sort((a, b) => b.version - a.version)[0];
    return approved && new DirPackageReader(resolve(dirname(this.registryFile), approved.packageDir));
  }
}

/** AWS: the SSM parameter the deploy-approved-model Lambda writes holds the S3 prefix of the approved package. */
export class SsmLocator implements ModelLocator {
  private readonly ssm: SSMClient;
  private readonly s3: ReturnType<typeof s3Client>;

  constructor(private readonly config: Extract<ModelSourceConfig, { kind: 'ssm' }>) {
    this.ssm = new SSMClient({ region: config.region, endpoint: config.ssmEndpoint });
    this.s3 = s3Client(config.region, config.s3Endpoint);
  }

  public async locate(): Promise<PackageReader | undefined> {
    const out = await this.ssm.send(new GetParameterCommand({ Name: this.config.parameterName }));
    const uri = out.Parameter?.Value?.trim();
    // `none` is what the deploy-approved-model Lambda writes when no version is approved (and the initial value).
    return uri && uri !== NO_MODEL ? new S3PackageReader(uri, this.s3) : undefined;
  }
}

export function createLocator(source: ModelSourceConfig): ModelLocator {
  switch (source.kind) {
    case 'dir':
      return new DirLocator(source.dir);
    case 'registry':
      return new LocalRegistryLocator(source.registryFile);
    case 'ssm':
      return new SsmLocator(source);
  }
}
