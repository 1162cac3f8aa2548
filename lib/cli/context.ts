/**
 * Where a command acts: the embedded default (local runner, local registry, local service) or AWS. AWS is used only
 * when asked (`--aws`) or when AWS configuration is present and `--local` is not given.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface GlobalOptions {
  json?: boolean;
  local?: boolean;
  aws?: boolean;
  home?: string;
  endpointUrl?: string;
  region?: string;
}

export interface Context {
  readonly mode: 'local' | 'aws';
  readonly dxopsHome: string;
  readonly json: boolean;
  readonly endpointUrl?: string;
  readonly region: string;
}

export function hasAwsConfig(env: NodeJS.ProcessEnv = process.env): boolean {
  if (
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    // ECS tasks and CodeBuild set the relative URI; the full one is for other container hosts.
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  )
    return true;
  // The files the SDK reads, where it reads them.
  const home = env.HOME || homedir();
  return (
    existsSync(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')) ||
    existsSync(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'))
  );
}

export function resolveContext(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const mode = opts.local ? 'local' : opts.aws || hasAwsConfig(env) ? 'aws' : 'local';
  return {
    mode,
    dxopsHome: resolve(opts.home ?? env.DXOPS_HOME ?? join(REPO_ROOT, '.dxops')),
    json: Boolean(opts.json),
    endpointUrl: opts.endpointUrl ?? env.DXOPS_AWS_ENDPOINT,
    region: opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'eu-west-1',
  };
}
