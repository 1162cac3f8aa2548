import { buildStageConfig, ConfigError } from '../../lib/config';

describe('buildStageConfig', () => {
  test('dev and prod have defaults that validate', () => {
    expect(buildStageConfig('dev').retainData).toBe(false);
    expect(buildStageConfig('prod').retainData).toBe(true);
  });

  test('overrides replace defaults but undefined values do not', () => {
    const config = buildStageConfig('dev', { region: 'us-east-1', account: undefined });
    expect(config.region).toBe('us-east-1');
    expect(config.account).toBeUndefined();
  });

  test('an unknown stage names the setting and the value', () => {
    expect(() => buildStageConfig('qa')).toThrow(/Invalid config "stage": "qa"/);
  });

  test('a malformed account id is rejected with the bad value', () => {
    expect(() => buildStageConfig('prod', { account: '12345' })).toThrow(ConfigError);
    expect(() => buildStageConfig('prod', { account: '12345' })).toThrow(/prod.account": "12345"/);
  });

  test('a malformed region is rejected', () => {
    expect(() => buildStageConfig('dev', { region: 'europe' })).toThrow(/dev.region": "europe"/);
  });
});
