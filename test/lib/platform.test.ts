import { Template } from 'aws-cdk-lib/assertions';
import { fixturePlatform } from '../helpers/platform';

/** Where each resource type keeps its encryption setting. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON
const ENCRYPTION: Record<string, (properties: Record<string, any>) => unknown> = {
  'AWS::S3::Bucket': (p) => p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault,
  'AWS::SNS::Topic': (p) => p.KmsMasterKeyId,
  'AWS::SQS::Queue': (p) => p.KmsMasterKeyId,
  'AWS::Logs::LogGroup': (p) => p.KmsKeyId,
  'AWS::DynamoDB::Table': (p) => p.SSESpecification?.KMSMasterKeyId,
  'AWS::Glue::Job': (p) => p.SecurityConfiguration,
};

/** Buckets that AWS can only deliver logs to with SSE-S3 (server access logs, ALB access logs). */
const SSE_S3_ONLY = /^(AccessLogsBucket|InferenceAccessLogs)/;

describe('the platform of one stage', () => {
  const platform = fixturePlatform('prod');
  const stacks = Object.values(platform);

  test('has six stacks named DxOps-<stage>-<part>', () => {
    expect(stacks.map((s) => s.stackName)).toEqual([
      'DxOps-prod-Network',
      'DxOps-prod-Data',
      'DxOps-prod-Ml',
      'DxOps-prod-Retraining',
      'DxOps-prod-Serving',
      'DxOps-prod-Monitoring',
    ]);
  });

  test('every bucket, topic, queue, log group, table and Glue job is encrypted with KMS', () => {
    const unencrypted: string[] = [];
    for (const stack of stacks) {
      const template = Template.fromStack(stack);
      for (const [type, encryption] of Object.entries(ENCRYPTION)) {
        for (const [id, resource] of Object.entries(template.findResources(type))) {
          const setting = encryption(resource.Properties ?? {}) as { SSEAlgorithm?: string } | undefined;
          const kms = type !== 'AWS::S3::Bucket' || setting?.SSEAlgorithm === 'aws:kms' || SSE_S3_ONLY.test(id);
          if (setting === undefined || !kms) unencrypted.push(`${stack.stackName}/${id}`);
        }
      }
    }
    expect(unencrypted).toEqual([]);
  });

  test('stacks only reference stacks below them (no cycles, stateful data never depends on stateless stacks)', () => {
    const deps = Object.fromEntries(
      stacks.map((s) => [s.stackName, s.dependencies.map((d: { stackName: string }) => d.stackName).sort()]),
    );
    expect(deps).toEqual({
      'DxOps-prod-Network': [],
      'DxOps-prod-Data': [],
      'DxOps-prod-Ml': ['DxOps-prod-Data', 'DxOps-prod-Network'],
      'DxOps-prod-Retraining': ['DxOps-prod-Data', 'DxOps-prod-Ml'],
      'DxOps-prod-Serving': ['DxOps-prod-Data', 'DxOps-prod-Ml', 'DxOps-prod-Network'],
      'DxOps-prod-Monitoring': ['DxOps-prod-Retraining', 'DxOps-prod-Serving'],
    });
  });
});
