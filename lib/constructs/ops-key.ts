import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface OpsKeyProps {
  /** What the key protects, for its description. */
  readonly purpose: string;
  /** Keep the key when the stack is deleted. @default true - logs encrypted with it stay readable */
  readonly retain?: boolean;
}

/**
 * A rotating customer-managed key for a stack's operational data (log groups, topics, tables), with the
 * service-principal statements those services need. Patient data uses the data stack's key instead.
 */
export class OpsKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: OpsKeyProps) {
    super(scope, id);
    if (props.purpose.trim() === '') {
      throw new Error(`OpsKey ${id}: purpose must not be empty, got ${JSON.stringify(props.purpose)}`);
    }
    this.key = new kms.Key(this, 'Key', {
      description: `DxOps ${props.purpose}`,
      enableKeyRotation: true,
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  /** Lets CloudWatch Logs encrypt log groups of this account and region with the key. */
  public allowCloudWatchLogs(): this {
    const { region, account, partition } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
    return this;
  }

  /**
   * Lets AWS services that publish to an encrypted SNS topic (CloudWatch alarms, EventBridge) use the key.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  public allowServicePublishers(...services: string[]): this {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: services.map((s) => new iam.ServicePrincipal(s)),
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return this;
  }
}
