import { requireEnv } from '../../../lambda/common/env';
import { AppError, ConfigurationError, InvalidEventError } from '../../../lambda/common/errors';
import { createLogger } from '../../../lambda/common/logger';

describe('lambda/common', () => {
  test('requireEnv returns the value and names a missing or blank variable', () => {
    expect(requireEnv('A', { A: 'x' })).toBe('x');
    expect(() => requireEnv('B', { B: ' ' })).toThrow(ConfigurationError);
    expect(() => requireEnv('C', {})).toThrow(/environment variable C is required/);
  });

  test('domain errors share one AppError base with a stable code and their own name', () => {
    const error = new InvalidEventError('bad');
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.name).toBe('InvalidEventError');
  });

  test('the logger writes one JSON line per entry at or above its level', () => {
    const lines: string[] = [];
    const log = createLogger('svc', 'info', (line) => lines.push(line));
    log.debug('hidden');
    log.warn('shown', { uri: 's3://b/k' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', service: 'svc', message: 'shown', uri: 's3://b/k' });
  });
});
