import { isAbsolute, join, resolve } from 'node:path';

/** Everything the service reads from its environment, validated once at start (`loadConfig`). */
export interface ServiceConfig {
  readonly port: number;
  readonly host: string;
  /** Root of the embedded default's state: registry, audit and feedback files. */
  readonly dxopsHome: string;
  readonly model: ModelSourceConfig;
  /** How often the registry file or SSM parameter is polled for a newly approved model. */
  readonly pollIntervalMs: number;
  /** JWT bearer authentication; `undefined` means auth is off and the server may only bind to loopback. */
  readonly auth?: AuthConfig;
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  /** Time a client has to send a whole request (headers and body); slower ones get a 408 and are disconnected. */
  readonly requestTimeoutMs: number;
  /** Requests in progress (health checks aside) beyond which new ones get an immediate 503 instead of queueing. */
  readonly maxInFlight: number;
  /** Number of recent predictions the drift histograms are computed over. */
  readonly driftWindow: number;
  /** Interval of the CloudWatch EMF lines (drift, specialist-review rate); 0 disables them. */
  readonly emfIntervalMs: number;
  readonly metricsNamespace: string;
  /** AWS: the encrypted bucket the audit and feedback files are shipped to (the serving stack sets AUDIT_BUCKET). */
  readonly auditShipping?: {
    readonly bucket: string;
    readonly region: string;
    readonly intervalMs: number;
    readonly s3Endpoint?: string;
  };
  readonly stage: string;
  readonly logLevel: string;
}

export type ModelSourceConfig =
  | { readonly kind: 'dir'; readonly dir: string }
  | { readonly kind: 'registry'; readonly registryFile: string }
  | {
      readonly kind: 'ssm';
      readonly parameterName: string;
      readonly region: string;
      readonly ssmEndpoint?: string;
      readonly s3Endpoint?: string;
    };

export interface AuthConfig {
  readonly issuer: string;
  /** App client ids whose tokens are accepted (`aud` of ID tokens, `client_id` of Cognito access tokens). */
  readonly audiences: readonly string[];
  readonly jwksUrl: string;
  /**
   * A header a trusted proxy sets with the signed-in user's token when the request has no `Authorization` header
   * (the ALB's `x-amzn-oidc-accesstoken` after its Cognito sign-in). The token is verified all the same.
   */
  readonly tokenHeader?: string;
}

export class ConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got '${raw}'`);
  }
  return value;
}

function modelSource(env: NodeJS.ProcessEnv, home: string): ModelSourceConfig {
  // MODEL_SSM_PARAMETER is what the serving stack sets (lib/stacks/serving-stack.ts): it implies S3.
  const source = env.MODEL_SOURCE ?? (env.MODEL_SSM_PARAMETER ? 's3' : 'local');
  if (source === 's3') {
    if (!env.MODEL_SSM_PARAMETER) throw new ConfigError('MODEL_SOURCE=s3 needs MODEL_SSM_PARAMETER');
    return {
      kind: 'ssm',
      parameterName: env.MODEL_SSM_PARAMETER,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      ssmEndpoint: env.SSM_ENDPOINT || undefined,
      s3Endpoint: env.S3_ENDPOINT || undefined,
    };
  }
  if (source !== 'local') throw new ConfigError(`MODEL_SOURCE must be 'local' or 's3', got '${source}'`);
  if (env.MODEL_DIR) return { kind: 'dir', dir: resolve(env.MODEL_DIR) };
  return { kind: 'registry', registryFile: join(home, 'registry', 'registry.json') };
}

function auth(env: NodeJS.ProcessEnv): AuthConfig | undefined {
  // COGNITO_* are the names the serving stack sets; AUTH_* override them (and are what tests use).
  const issuer = env.AUTH_ISSUER ?? env.COGNITO_ISSUER;
  const audience = env.AUTH_AUDIENCE ?? env.COGNITO_CLIENT_ID;
  if (!issuer && !audience) return undefined;
  if (!issuer || !audience) throw new ConfigError('auth needs both AUTH_ISSUER and AUTH_AUDIENCE');
  const audiences = audience
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const tokenHeader = env.AUTH_TOKEN_HEADER?.trim().toLowerCase() || undefined;
  if (tokenHeader === 'authorization')
    throw new ConfigError('AUTH_TOKEN_HEADER names another header than Authorization');
  return {
    issuer,
    audiences,
    jwksUrl: env.AUTH_JWKS_URL ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    tokenHeader,
  };
}

/** Reads and validates the configuration; throws `ConfigError` naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const home = resolve(env.DXOPS_HOME ?? '.dxops');
  const host = env.HOST ?? '127.0.0.1';
  const authConfig = auth(env);
  if (!authConfig && !LOOPBACK.has(host)) {
    // Without authentication anyone who can reach the port could query the model: loopback only.
    throw new ConfigError(`HOST=${host} needs authentication (AUTH_ISSUER, AUTH_AUDIENCE); without it bind 127.0.0.1`);
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host,
    dxopsHome: isAbsolute(home) ? home : resolve(home),
    model: modelSource(env, home),
    pollIntervalMs: int(env, 'MODEL_POLL_MS', 10_000, 0, 86_400_000),
    auth: authConfig,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 65_536, 1024, 10_485_760),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
    maxInFlight: int(env, 'MAX_IN_FLIGHT', 64, 1, 100_000),
    driftWindow: int(env, 'DRIFT_WINDOW', 1000, 10, 1_000_000),
    emfIntervalMs: int(env, 'EMF_INTERVAL_MS', 60_000, 0, 86_400_000),
    metricsNamespace: env.METRICS_NAMESPACE ?? 'DxOps/Inference',
    auditShipping: env.AUDIT_BUCKET
      ? {
          bucket: env.AUDIT_BUCKET,
          region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
          intervalMs: int(env, 'AUDIT_SHIP_INTERVAL_MS', 60_000, 0, 86_400_000),
          s3Endpoint: env.S3_ENDPOINT || undefined,
        }
      : undefined,
    stage: env.STAGE ?? 'local',
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
