import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SecureBucket } from '../../../lib/constructs/secure-bucket';

describe('SecureBucket', () => {
  test('encrypts with the given key, versions, blocks public access and expires old versions', () => {
    // GIVEN
    const stack = new Stack();
    const key = new kms.Key(stack, 'Key');
    // WHEN
    new SecureBucket(stack, 'Raw', { encryptionKey: key, noncurrentVersionExpirationDays: 30 });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } })],
      },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  test('denies requests without TLS', () => {
    const stack = new Stack();
    new SecureBucket(stack, 'Raw', { encryptionKey: new kms.Key(stack, 'Key') });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('rejects a non-positive version expiry, naming the prop', () => {
    const stack = new Stack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new SecureBucket(stack, 'Raw', { encryptionKey: key, noncurrentVersionExpirationDays: 0 })).toThrow(
      /noncurrentVersionExpirationDays must be a positive integer, got 0/,
    );
  });
});

describe('SecureBucket events', () => {
  test('sends object events to EventBridge through the bucket property, without a custom resource', () => {
    const stack = new Stack();
    new SecureBucket(stack, 'Raw', { encryptionKey: new kms.Key(stack, 'Key'), eventBridgeEnabled: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});
