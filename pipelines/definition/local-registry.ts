/**
 * The embedded default's model registry: SageMaker's model package group, approval states included, as one JSON
 * file (`<DXOPS_HOME>/registry/registry.json`, format in docs/model-package.md). Writes are atomic (temp file +
 * rename) so the service polling the file never reads half of it.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';
export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['PendingManualApproval', 'Approved', 'Rejected'];

export interface RegisteredPackage {
  version: number;
  modelVersion: string;
  status: ApprovalStatus;
  createdAt: string;
  updatedAt: string;
  /** Relative to the registry directory. */
  packageDir: string;
  metrics: Record<string, unknown>;
  statusReason?: string;
  /** The local pipeline run that produced it. */
  runId?: string;
}

export interface RegistryFile {
  modelPackageGroupName: string;
  packages: RegisteredPackage[];
}

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export class LocalRegistry {
  readonly dir: string;
  readonly file: string;

  constructor(
    dxopsHome: string,
    private readonly groupName = 'dxops-diagnosis',
  ) {
    this.dir = join(dxopsHome, 'registry');
    this.file = join(this.dir, 'registry.json');
  }

  read(): RegistryFile {
    if (!existsSync(this.file)) return { modelPackageGroupName: this.groupName, packages: [] };
    return JSON.parse(readFileSync(this.file, 'utf8')) as RegistryFile;
  }

  list(): RegisteredPackage[] {
    return [...this.read().packages].sort((a, b) => a.version - b.version);
  }

  get(version: number): RegisteredPackage {
    const found = this.read().packages.find((p) => p.version === version);
    if (!found) {
      const known = this.list().map((p) => p.version);
      throw new RegistryError(
        `unknown version ${version}: ${known.length ? `known versions are ${known.join(', ')}` : 'the registry is empty (run the pipeline first)'}`,
      );
    }
    return found;
  }

  /** The version the service serves: the highest one whose status is Approved. */
  approvedVersion(): RegisteredPackage | undefined {
    return this.list()
      .filter((p) => p.status === 'Approved')
      .pop();
  }

  packagePath(pkg: RegisteredPackage): string {
    return join(this.dir, pkg.packageDir);
  }

  /** Copies a package directory into the registry as the next version. */
  register(
    packageDir: string,
    opts: { modelVersion: string; metrics: Record<string, unknown>; status?: ApprovalStatus; runId?: string },
  ): RegisteredPackage {
    if (!existsSync(join(packageDir, 'manifest.json'))) {
      throw new RegistryError(`${packageDir} is not a model package: manifest.json is missing`);
    }
    const registry = this.read();
    const version = Math.max(0, ...registry.packages.map((p) => p.version)) + 1;
    const relative = join('packages', String(version));
    cpSync(packageDir, join(this.dir, relative), { recursive: true });
    const now = new Date().toISOString();
    const entry: RegisteredPackage = {
      version,
      modelVersion: opts.modelVersion,
      status: opts.status ?? 'PendingManualApproval',
      createdAt: now,
      updatedAt: now,
      packageDir: relative,
      metrics: opts.metrics,
      runId: opts.runId,
    };
    registry.packages.push(entry);
    this.write(registry);
    return entry;
  }

  setStatus(version: number, status: ApprovalStatus, reason: string): RegisteredPackage {
    if (!APPROVAL_STATUSES.includes(status)) {
      throw new RegistryError(`unknown status ${status}: use one of ${APPROVAL_STATUSES.join(', ')}`);
    }
    const registry = this.read();
    const entry = registry.packages.find((p) => p.version === version);
    if (!entry) this.get(version); // throws the helpful error
    const updated = entry as RegisteredPackage;
    updated.status = status;
    updated.statusReason = reason;
    updated.updatedAt = new Date().toISOString();
    this.write(registry);
    return updated;
  }

  private write(registry: RegistryFile): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(registry, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
