/**
 * Typed, validated stage configuration. `bin/app.ts` is the only place that reads env and context;
 * everything below it receives a validated `StageConfig` through props.
 */
import { ConfigError, validateStageConfig } from './config-validation';

export type StageName = 'dev' | 'prod';

/** How a newly registered model package is approved. */
export enum ApprovalMode {
  /** Packages are registered `PendingManualApproval`; a person approves them in the registry. */
  MANUAL = 'manual',
  /** Packages that pass the pipeline's evaluation gate are registered `Approved` and deployed at once. */
  AUTO = 'auto',
}

/** The public name of the service and how its TLS certificate is obtained. */
export interface DomainConfig {
  /** Fully qualified name clinicians use, e.g. `dxops.hospital.example`. */
  readonly domainName: string;
  /** Route 53 hosted zone id: a DNS-validated certificate and an alias record are created in it. */
  readonly hostedZoneId?: string;
  /** Name of that hosted zone (required with `hostedZoneId`). */
  readonly hostedZoneName?: string;
  /** An existing ACM certificate for `domainName` (takes precedence over creating one). */
  readonly certificateArn?: string;
  /**
   * Prefix of the Cognito sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`); globally unique.
   * @default `dxops-<stage>-<account id>`
   */
  readonly signInDomainPrefix?: string;
}

/** Where the platform's network lives. Exactly one of `vpcCidr` and `vpcId` is set. */
export interface NetworkConfig {
  /** CIDR of a new VPC, e.g. `10.40.0.0/16`. */
  readonly vpcCidr?: string;
  /** An existing VPC (looked up at synth, which then needs credentials once; the result is cached). */
  readonly vpcId?: string;
  /** Availability zones used (2 or 3). */
  readonly maxAzs: number;
  /** NAT gateways for egress (the service fetches the Cognito signing keys); 0 disables egress. */
  readonly natGateways: number;
}

/** The inference service on Fargate (ARM64). */
export interface ServingConfig {
  /** Task CPU units (256, 512, 1024, 2048, 4096). */
  readonly cpu: number;
  /** Task memory in MiB, valid for the CPU size. */
  readonly memoryMiB: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Target CPU utilisation of the autoscaling policy, in percent. */
  readonly cpuTargetPercent: number;
  /** Target requests per task per minute of the request-count scaling policy. */
  readonly requestsPerTarget: number;
}

/** The SageMaker pipeline. */
export interface MlConfig {
  /** Instance type of the processing and training steps, e.g. `ml.m5.xlarge`. */
  readonly instanceType: string;
  /** Name of the model package group (the registry). */
  readonly modelPackageGroupName: string;
}

/** Alarm thresholds. */
export interface AlarmConfig {
  /** Population stability index above which a feature family has drifted (0.2 is the usual "significant"). */
  readonly driftPsi: number;
  /** Consecutive 15-minute periods above `driftPsi` before a drift alarm fires. */
  readonly driftPeriods: number;
  /** p99 latency of the load balancer's targets, in milliseconds. */
  readonly latencyP99Ms: number;
  /** Share of 5xx responses (percent of requests) over 5 minutes. */
  readonly http5xxPercent: number;
}

/** The retraining workflow. */
export interface RetrainingConfig {
  /** Hours after a successful retraining during which new triggers are ignored. */
  readonly cooldownHours: number;
  /** Periodic retraining, in days (0 disables the schedule). */
  readonly scheduleDays: number;
  /** Hours a pipeline execution may run before the workflow gives up (and the lock expires). */
  readonly timeoutHours: number;
}

export interface StageConfig {
  /** Stage name, used in stack names and tags. */
  readonly stage: StageName;
  /** AWS account id (12 digits) or undefined for an environment-agnostic synth. */
  readonly account?: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Retain stateful resources (buckets, keys) on stack deletion. */
  readonly retainData: boolean;
  readonly domain: DomainConfig;
  readonly network: NetworkConfig;
  readonly serving: ServingConfig;
  readonly ml: MlConfig;
  readonly alarms: AlarmConfig;
  readonly approvalMode: ApprovalMode;
  readonly retraining: RetrainingConfig;
  /** Cron expression (EventBridge syntax, 6 fields) of the scheduled ingestion run. */
  readonly ingestionSchedule: string;
  /** E-mail subscribed to the notifications topic (optional). */
  readonly alertEmail?: string;
  /** Retention of every log group, in days. */
  readonly logRetentionDays: number;
}

/** Overrides accepted by `buildStageConfig`: top-level values and partial nested groups. */
export type StageOverrides = Partial<
  Omit<StageConfig, 'domain' | 'network' | 'serving' | 'ml' | 'alarms' | 'retraining'>
> & {
  readonly domain?: Partial<DomainConfig>;
  readonly network?: Partial<NetworkConfig>;
  readonly serving?: Partial<ServingConfig>;
  readonly ml?: Partial<MlConfig>;
  readonly alarms?: Partial<AlarmConfig>;
  readonly retraining?: Partial<RetrainingConfig>;
};

function defaults(stage: StageName): StageConfig {
  const prod = stage === 'prod';
  return {
    stage,
    region: 'eu-west-1',
    retainData: prod,
    // example.org is reserved (RFC 2606): a deploy needs a real name from context (docs/runbooks/deploy.md).
    domain: { domainName: `${stage}.dxops.example.org` },
    network: { vpcCidr: prod ? '10.40.0.0/16' : '10.41.0.0/16', maxAzs: prod ? 3 : 2, natGateways: prod ? 2 : 1 },
    serving: {
      cpu: prod ? 1024 : 512,
      memoryMiB: prod ? 2048 : 1024,
      minCapacity: prod ? 2 : 1,
      maxCapacity: prod ? 8 : 2,
      cpuTargetPercent: 60,
      requestsPerTarget: 600,
    },
    ml: { instanceType: 'ml.m5.xlarge', modelPackageGroupName: `dxops-diagnosis-${stage}` },
    alarms: { driftPsi: 0.2, driftPeriods: 4, latencyP99Ms: 500, http5xxPercent: 1 },
    approvalMode: prod ? ApprovalMode.MANUAL : ApprovalMode.AUTO,
    retraining: { cooldownHours: prod ? 72 : 12, scheduleDays: prod ? 30 : 0, timeoutHours: 12 },
    ingestionSchedule: 'cron(0 2 * * ? *)',
    logRetentionDays: prod ? 400 : 30,
  };
}

const STAGES: readonly StageName[] = ['dev', 'prod'];

/** Builds the config of one stage from its defaults plus overrides, and validates it. */
export function buildStageConfig(stage: string, overrides: StageOverrides = {}): StageConfig {
  if (!STAGES.includes(stage as StageName)) {
    throw new ConfigError('stage', stage, `one of ${STAGES.join(', ')}`);
  }
  const base = defaults(stage as StageName);
  const o = stripUndefined(overrides);
  const network = { ...base.network, ...stripUndefined(o.network ?? {}) };
  // Giving an existing VPC replaces the default CIDR rather than conflicting with it.
  if (o.network?.vpcId !== undefined && o.network.vpcCidr === undefined)
    delete (network as { vpcCidr?: string }).vpcCidr;
  const config: StageConfig = {
    ...base,
    ...o,
    domain: { ...base.domain, ...stripUndefined(o.domain ?? {}) },
    network,
    serving: { ...base.serving, ...stripUndefined(o.serving ?? {}) },
    ml: { ...base.ml, ...stripUndefined(o.ml ?? {}) },
    alarms: { ...base.alarms, ...stripUndefined(o.alarms ?? {}) },
    retraining: { ...base.retraining, ...stripUndefined(o.retraining ?? {}) },
  };
  validateStageConfig(config);
  return config;
}

export { ConfigError, validateStageConfig };

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
