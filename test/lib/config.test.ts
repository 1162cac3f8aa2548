import { buildStageConfig, ConfigError, type StageOverrides } from '../../lib/config';

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

describe('stage settings', () => {
  test('prod defaults: manual approval, longer cooldown, three AZs, a monthly retraining schedule', () => {
    const prod = buildStageConfig('prod');
    expect(prod).toMatchObject({
      approvalMode: 'manual',
      network: { vpcCidr: '10.40.0.0/16', maxAzs: 3, natGateways: 2 },
      retraining: { cooldownHours: 72, scheduleDays: 30 },
      ml: { modelPackageGroupName: 'dxops-diagnosis-prod' },
    });
    expect(buildStageConfig('dev').approvalMode).toBe('auto');
  });

  test('nested overrides merge with the defaults; an existing VPC replaces the default CIDR', () => {
    const config = buildStageConfig('dev', { network: { vpcId: 'vpc-0123abcd' }, alarms: { driftPsi: 0.3 } });
    expect(config.network).toEqual({ vpcId: 'vpc-0123abcd', maxAzs: 2, natGateways: 1 });
    expect(config.alarms.driftPsi).toBe(0.3);
    expect(config.alarms.latencyP99Ms).toBe(500);
  });

  test.each([
    [{ domain: { domainName: 'Not A Domain' } }, /dev.domain.domainName": "Not A Domain"/],
    [{ domain: { signInDomainPrefix: 'aws-dxops' } }, /dev.domain.signInDomainPrefix": "aws-dxops"/],
    [{ domain: { signInDomainPrefix: 'DxOps_Dev' } }, /dev.domain.signInDomainPrefix": "DxOps_Dev"/],
    [
      { domain: { certificateArn: 'arn:aws:acm:eu-west-1:1:cert/x' } },
      /dev.domain.certificateArn": "arn:aws:acm:eu-west-1:1:cert\/x"/,
    ],
    [
      { domain: { hostedZoneId: 'Z0123ABC' } },
      /dev.domain.hostedZoneName": undefined \(expected set together with hostedZoneId\)/,
    ],
    [
      { domain: { domainName: 'dxops.a.example', hostedZoneId: 'Z0123ABC', hostedZoneName: 'b.example' } },
      /dev.domain.hostedZoneName": "b.example"/,
    ],
    [{ network: { vpcCidr: '10.0.0.0/8' } }, /dev.network.vpcCidr": "10.0.0.0\/8"/],
    [
      { network: { vpcCidr: '10.0.0.0/16', vpcId: 'vpc-0123abcd' } },
      /dev.network.vpcId": "vpc-0123abcd" \(expected exactly one/,
    ],
    [{ network: { natGateways: 5 } }, /dev.network.natGateways": 5/],
    [{ serving: { cpu: 300 } }, /dev.serving.cpu": 300/],
    [{ serving: { memoryMiB: 100 } }, /dev.serving.memoryMiB": 100 \(expected 1024-4096/],
    [{ serving: { minCapacity: 3, maxCapacity: 2 } }, /dev.serving.maxCapacity": 2/],
    [{ ml: { instanceType: 'm5.xlarge' } }, /dev.ml.instanceType": "m5.xlarge"/],
    [{ alarms: { driftPsi: -1 } }, /dev.alarms.driftPsi": -1/],
    [{ retraining: { cooldownHours: 0 } }, /dev.retraining.cooldownHours": 0/],
    [{ approvalMode: 'sometimes' as never }, /dev.approvalMode": "sometimes"/],
    [{ ingestionSchedule: 'rate(1 day)' }, /dev.ingestionSchedule": "rate\(1 day\)"/],
    [{ alertEmail: 'ops' }, /dev.alertEmail": "ops"/],
    [{ logRetentionDays: 10 }, /dev.logRetentionDays": 10/],
  ])('bad setting %j fails naming the setting and the value', (overrides, message) => {
    expect(() => buildStageConfig('dev', overrides as StageOverrides)).toThrow(ConfigError);
    expect(() => buildStageConfig('dev', overrides as StageOverrides)).toThrow(message);
  });
});
