import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { privateSubnets } from './subnets';

export interface ModelDeploymentProps {
  /** Model package group whose approvals are deployed. */
  readonly modelPackageGroupName: string;
  /** The parameter the service polls for the approved package URI. */
  readonly parameter: ssm.IStringParameter;
  /** The service restarted after a change. */
  readonly service: ecs.IBaseService;
  readonly cluster: ecs.ICluster;
  /** Packages outside this bucket are never deployed. */
  readonly artifactsBucket: s3.IBucket;
  readonly vpc: ec2.IVpc;
  /** Key of the function's log group and dead-letter queue. */
  readonly key: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/** Folder of the handler (`lambda/deploy-approved-model/`). */
const ENTRY = path.join(__dirname, '..', '..', 'lambda', 'deploy-approved-model', 'index.ts');

/**
 * Deployment on approval: EventBridge `SageMaker Model Package State Change` for the group → the
 * `deploy-approved-model` Lambda, which writes the newest approved package's S3 URI to the parameter and forces a new
 * ECS deployment. Rejecting the served package thereby redeploys the previous approved one.
 */
export class ModelDeployment extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ModelDeploymentProps) {
    super(scope, id);
    const group = props.modelPackageGroupName;
    if (!Token.isUnresolved(group) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(group)) {
      throw new Error(`ModelDeployment ${id}: modelPackageGroupName is not a valid group name, got "${group}"`);
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue.' },
    ]);
    this.function = this.createFunction(props);
    this.grant(props);
    this.rule = new events.Rule(this, 'ApprovalRule', {
      description: `Model package state changes in ${group}: deploy the newest approved package`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: [group] },
      },
      targets: [
        new targets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  private createFunction(props: ModelDeploymentProps): nodejs.NodejsFunction {
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: ENTRY,
      description: 'Serve the newest approved model package (SSM parameter + new ECS deployment)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(60),
      // One deployment at a time: two approvals in quick succession must not race on the parameter.
      reservedConcurrentExecutions: 1,
      deadLetterQueue: this.deadLetterQueue,
      // The environment holds only resource names, but it is encrypted with the stack key like everything else.
      environmentEncryption: props.key,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: privateSubnets(props.vpc),
      environment: {
        CLUSTER_ARN: props.cluster.clusterArn,
        SERVICE_NAME: props.service.serviceName,
        MODEL_SSM_PARAMETER: props.parameter.parameterName,
        ARTIFACTS_BUCKET: props.artifactsBucket.bucketName,
        MODEL_PACKAGE_GROUP_NAME: props.modelPackageGroupName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      // esbuild from node_modules, never Docker; `@aws-sdk/*` comes from the Lambda runtime.
      bundling: { forceDockerBundling: false, minify: true, sourceMap: true, target: 'node24' },
    });
    return fn;
  }

  private grant(props: ModelDeploymentProps): void {
    const fn = this.function;
    const { partition, region, account } = Stack.of(this);
    props.parameter.grantRead(fn);
    props.parameter.grantWrite(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeModelPackage'],
        resources: [
          `arn:${partition}:sagemaker:${region}:${account}:model-package/${props.modelPackageGroupName.toLowerCase()}/*`,
        ],
      }),
    );
    // ListModelPackages supports no resource-level permission.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListModelPackages'], resources: ['*'] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ecs:UpdateService'],
        resources: [props.service.serviceArn],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      fn,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole: the minimal AWS policies for logs and ENIs.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'sagemaker:ListModelPackages has no resource type; DescribeModelPackage is limited to packages of the one ' +
            'group; X-Ray actions have no resource type.',
        },
      ],
      true,
    );
  }
}
