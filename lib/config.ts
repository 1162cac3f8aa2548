/**
 * Typed, validated stage configuration. `bin/app.ts` is the only place that reads env and context;
 * everything below it receives a validated `StageConfig` through props.
 */
export type StageName = 'dev' | 'prod';

export interface StageConfig {
  /** Stage name, used in stack names and tags. */
  readonly stage: StageName;
  /** AWS account id (12 digits) or undefined for an environment-agnostic synth. */
  readonly account?: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Retain stateful resources (buckets, keys) on stack deletion. */
  readonly retainData: boolean;
}

/** Raised for a bad configuration value; the message names the setting and the value. */
export class ConfigError extends Error {
  constructor(setting: string, value: unknown, expected: string) {
    super(`Invalid config "${setting}": ${JSON.stringify(value)} (expected ${expected})`);
    this.name = 'ConfigError';
  }
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;

const DEFAULTS: Record<StageName, StageConfig> = {
  dev: { stage: 'dev', region: 'eu-west-1', retainData: false },
  prod: { stage: 'prod', region: 'eu-west-1', retainData: true },
};

/** Builds the config of one stage from its defaults plus overrides, and validates it. */
export function buildStageConfig(stage: string, overrides: Partial<StageConfig> = {}): StageConfig {
  if (!(stage in DEFAULTS)) {
    throw new ConfigError('stage', stage, `one of ${Object.keys(DEFAULTS).join(', ')}`);
  }
  const config = { ...DEFAULTS[stage as StageName], ...stripUndefined(overrides) };
  validateStageConfig(config);
  return config;
}

export function validateStageConfig(config: StageConfig): void {
  if (config.account !== undefined && !ACCOUNT.test(config.account)) {
    throw new ConfigError(`${config.stage}.account`, config.account, 'a 12-digit AWS account id');
  }
  if (!REGION.test(config.region)) {
    throw new ConfigError(`${config.stage}.region`, config.region, 'an AWS region such as eu-west-1');
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
