import { ConfigurationError } from './errors';

/** Reads a required environment variable; call at module load so a misconfigured function fails on cold start. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is required`);
  }
  return value;
}
