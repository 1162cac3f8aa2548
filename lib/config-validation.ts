/**
 * Validation of a `StageConfig`: every check names the setting (`<stage>.<group>.<field>`) and the bad value,
 * so a typo in a context value fails `cdk synth` with a message that says what to fix.
 */
import type { StageConfig } from './config';

/** Raised for a bad configuration value; the message names the setting and the value. */
export class ConfigError extends Error {
  constructor(setting: string, value: unknown, expected: string) {
    super(`Invalid config "${setting}": ${JSON.stringify(value)} (expected ${expected})`);
    this.name = 'ConfigError';
  }
}

const SIGN_IN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{4,32}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;
/** Valid Fargate CPU/memory pairs: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html */
const FARGATE_MEMORY: Record<number, [number, number, number]> = {
  256: [512, 2048, 1024],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
};

export function validateStageConfig(config: StageConfig): void {
  const s = config.stage;
  if (config.account !== undefined && !ACCOUNT.test(config.account)) {
    throw new ConfigError(`${s}.account`, config.account, 'a 12-digit AWS account id');
  }
  if (!REGION.test(config.region)) {
    throw new ConfigError(`${s}.region`, config.region, 'an AWS region such as eu-west-1');
  }
  validateDomain(config);
  validateNetwork(config);
  validateServing(config);
  validateMl(config);
  validateAlarms(config);
  validateRetraining(config);
  if (!['manual', 'auto'].includes(config.approvalMode)) {
    throw new ConfigError(`${s}.approvalMode`, config.approvalMode, 'manual or auto');
  }
  if (!CRON.test(config.ingestionSchedule)) {
    throw new ConfigError(`${s}.ingestionSchedule`, config.ingestionSchedule, 'an EventBridge cron(...) with 6 fields');
  }
  if (config.alertEmail !== undefined && !EMAIL.test(config.alertEmail)) {
    throw new ConfigError(`${s}.alertEmail`, config.alertEmail, 'an e-mail address');
  }
  // CloudWatch Logs accepts only these retention values.
  const retentions = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922];
  if (!retentions.includes(config.logRetentionDays)) {
    throw new ConfigError(`${s}.logRetentionDays`, config.logRetentionDays, `one of ${retentions.join(', ')}`);
  }
}

function validateDomain({ stage: s, domain }: StageConfig): void {
  if (!DOMAIN.test(domain.domainName)) {
    throw new ConfigError(`${s}.domain.domainName`, domain.domainName, 'a lower-case fully qualified domain name');
  }
  const prefix = domain.signInDomainPrefix;
  if (prefix !== undefined && (!SIGN_IN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix))) {
    throw new ConfigError(
      `${s}.domain.signInDomainPrefix`,
      prefix,
      'lower-case letters, digits and inner hyphens (at most 63), without aws, amazon or cognito',
    );
  }
  if (domain.certificateArn !== undefined && !CERTIFICATE_ARN.test(domain.certificateArn)) {
    throw new ConfigError(`${s}.domain.certificateArn`, domain.certificateArn, 'an ACM certificate ARN');
  }
  if (domain.hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(domain.hostedZoneId)) {
    throw new ConfigError(
      `${s}.domain.hostedZoneId`,
      domain.hostedZoneId,
      'a Route 53 hosted zone id such as Z0123ABC',
    );
  }
  if ((domain.hostedZoneId === undefined) !== (domain.hostedZoneName === undefined)) {
    throw new ConfigError(`${s}.domain.hostedZoneName`, domain.hostedZoneName, 'set together with hostedZoneId');
  }
  const zone = domain.hostedZoneName;
  if (zone !== undefined && domain.domainName !== zone && !domain.domainName.endsWith(`.${zone}`)) {
    throw new ConfigError(`${s}.domain.hostedZoneName`, zone, `the zone that contains ${domain.domainName}`);
  }
}

function validateNetwork({ stage: s, network }: StageConfig): void {
  if ((network.vpcCidr === undefined) === (network.vpcId === undefined)) {
    throw new ConfigError(`${s}.network.vpcId`, network.vpcId, 'exactly one of network.vpcCidr and network.vpcId');
  }
  if (network.vpcId !== undefined && !VPC_ID.test(network.vpcId)) {
    throw new ConfigError(`${s}.network.vpcId`, network.vpcId, 'a VPC id such as vpc-0123abcd');
  }
  if (network.vpcCidr !== undefined) {
    const m = CIDR.exec(network.vpcCidr);
    const octetsOk = m?.slice(1, 5).every((o) => Number(o) <= 255) === true;
    if (!m || !octetsOk || Number(m[5]) < 16 || Number(m[5]) > 24) {
      throw new ConfigError(`${s}.network.vpcCidr`, network.vpcCidr, 'an IPv4 CIDR from /16 to /24');
    }
  }
  integerIn(`${s}.network.maxAzs`, network.maxAzs, 2, 3);
  integerIn(`${s}.network.natGateways`, network.natGateways, 0, network.maxAzs);
}

function validateServing({ stage: s, serving }: StageConfig): void {
  const memory = FARGATE_MEMORY[serving.cpu];
  if (!memory) {
    throw new ConfigError(`${s}.serving.cpu`, serving.cpu, `one of ${Object.keys(FARGATE_MEMORY).join(', ')}`);
  }
  const [min, max, step] = memory;
  if (
    !Number.isInteger(serving.memoryMiB) ||
    serving.memoryMiB < min ||
    serving.memoryMiB > max ||
    serving.memoryMiB % step !== 0
  ) {
    throw new ConfigError(
      `${s}.serving.memoryMiB`,
      serving.memoryMiB,
      `${min}-${max} in steps of ${step} for cpu ${serving.cpu}`,
    );
  }
  integerIn(`${s}.serving.minCapacity`, serving.minCapacity, 1, 100);
  integerIn(`${s}.serving.maxCapacity`, serving.maxCapacity, serving.minCapacity, 100);
  integerIn(`${s}.serving.cpuTargetPercent`, serving.cpuTargetPercent, 10, 90);
  integerIn(`${s}.serving.requestsPerTarget`, serving.requestsPerTarget, 1, 1_000_000);
}

function validateMl({ stage: s, ml }: StageConfig): void {
  if (!INSTANCE_TYPE.test(ml.instanceType)) {
    throw new ConfigError(`${s}.ml.instanceType`, ml.instanceType, 'a SageMaker instance type such as ml.m5.xlarge');
  }
  if (!GROUP_NAME.test(ml.modelPackageGroupName)) {
    throw new ConfigError(
      `${s}.ml.modelPackageGroupName`,
      ml.modelPackageGroupName,
      'letters, digits and hyphens, at most 63',
    );
  }
}

function validateAlarms({ stage: s, alarms }: StageConfig): void {
  numberIn(`${s}.alarms.driftPsi`, alarms.driftPsi, 0.01, 10);
  integerIn(`${s}.alarms.driftPeriods`, alarms.driftPeriods, 1, 96);
  numberIn(`${s}.alarms.latencyP99Ms`, alarms.latencyP99Ms, 1, 60_000);
  numberIn(`${s}.alarms.http5xxPercent`, alarms.http5xxPercent, 0.01, 100);
}

function validateRetraining({ stage: s, retraining }: StageConfig): void {
  integerIn(`${s}.retraining.cooldownHours`, retraining.cooldownHours, 1, 24 * 90);
  integerIn(`${s}.retraining.scheduleDays`, retraining.scheduleDays, 0, 365);
  // Step Functions standard workflows run at most one year; a pipeline run longer than 2 days is a bug.
  integerIn(`${s}.retraining.timeoutHours`, retraining.timeoutHours, 1, 48);
}

function integerIn(setting: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(setting, value, `an integer from ${min} to ${max}`);
  }
}

function numberIn(setting: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(setting, value, `a number from ${min} to ${max}`);
  }
}
