import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OpsKey } from '../../../lib/constructs/ops-key';

describe('OpsKey', () => {
  test('rotates and lets CloudWatch Logs and alarm publishers use it', () => {
    const stack = new Stack(undefined, 'S', { env: { region: 'eu-west-1', account: '123456789012' } });
    new OpsKey(stack, 'Key', { purpose: 'ops' })
      .allowCloudWatchLogs()
      .allowServicePublishers('cloudwatch.amazonaws.com');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'logs.eu-west-1.amazonaws.com' } }),
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ]),
      },
    });
  });

  test('rejects an empty purpose', () => {
    expect(() => new OpsKey(new Stack(), 'Key', { purpose: ' ' })).toThrow(/purpose must not be empty, got " "/);
  });
});
