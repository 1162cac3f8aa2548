/** What every AWS command shares: client configuration, required settings, SDK errors as next steps. */
import type { Context } from './context';
import { CliError } from './errors';

export function clientConfig(ctx: Context) {
  return { region: ctx.region, ...(ctx.endpointUrl ? { endpoint: ctx.endpointUrl, forcePathStyle: true } : {}) };
}

export function setting(name: string, value: string | undefined, what: string): string {
  if (!value)
    throw new CliError(
      `${what} is not set`,
      `pass it as an option or set ${name} (an output of the deployed stacks); for the embedded default add --local`,
    );
  return value;
}

const NOT_FOUND = new Set([
  'ResourceNotFound',
  'ResourceNotFoundException',
  'ValidationException',
  'ExecutionDoesNotExist',
  'StateMachineDoesNotExist',
  'NoSuchBucket',
  'NoSuchKey',
]);

/** SDK failures as one line with the next step; anything unexpected keeps its name and message. */
export async function aws<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as { name?: string; message?: string };
    if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) {
      throw new CliError(
        'no AWS credentials found',
        'configure credentials (aws configure, or AWS_PROFILE), or add --local for the embedded default',
      );
    }
    if (e.name === 'ExpiredTokenException' || e.name === 'ExpiredToken') {
      throw new CliError('the AWS session has expired', 'refresh it (aws sso login, or new credentials)');
    }
    if (e.name && NOT_FOUND.has(e.name)) {
      throw new CliError(e.message || e.name, 'check the name or ARN (the deployed stacks output them)');
    }
    if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied') {
      throw new CliError(`access denied: ${e.message}`, 'use a role with the DxOps operator permissions');
    }
    throw new CliError(`AWS call failed: ${e.name}: ${e.message}`);
  }
}
