import { Stack } from 'aws-cdk-lib';
import type { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface PipelineRoleProps {
  /** Buckets the steps read, and read and write. */
  readonly buckets: { readonly read: s3.IBucket[]; readonly readWrite: s3.IBucket[] };
  /** Key of those buckets, also used for job volumes and outputs. */
  readonly key: kms.IKey;
  /** The steps' image. */
  readonly image: DockerImageAsset;
  /** The group the Register step writes to. */
  readonly modelPackageGroupName: string;
  /** Name of the pipeline (its jobs are named `pipelines-<execution>-<step>`). */
  readonly pipelineName: string;
}

/**
 * The role the SageMaker pipeline and its jobs run with, scoped to the project: its buckets and key, its image
 * repository, jobs started by pipelines, its model package group, its log groups, and passing only itself to SageMaker.
 */
export class PipelineRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PipelineRoleProps) {
    super(scope, id);
    if (props.buckets.read.length + props.buckets.readWrite.length === 0) {
      throw new Error(`PipelineRole ${id}: buckets must name at least one bucket, got none`);
    }
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `DxOps SageMaker pipeline ${props.pipelineName} and its jobs`,
    });
    this.role = role;
    for (const b of props.buckets.read) b.grantRead(role);
    for (const b of props.buckets.readWrite) b.grantReadWrite(role);
    props.key.grantEncryptDecrypt(role);
    props.image.repository.grantPull(role);
    for (const statement of this.statements(role, props)) role.addToPolicy(statement);
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Wildcards are: objects in the project buckets (grants), jobs named pipelines-* (names generated per ' +
            'execution), versions of the one model package group, /aws/sagemaker/* log groups, KMS data-key ' +
            'actions on the one key, and actions with no resource type (ecr:GetAuthorizationToken, ' +
            'cloudwatch:PutMetricData limited by namespace, the EC2 Describe calls SageMaker needs for VPC jobs), and ' +
            'the ENIs, subnets and security groups of this account and region for VPC jobs.',
        },
      ],
      true,
    );
  }

  /** The role's own statements (bucket, key and image access come from grants). */
  private statements(role: iam.Role, props: PipelineRoleProps): iam.PolicyStatement[] {
    const { partition, region, account } = Stack.of(this);
    const arn = (resource: string) => `arn:${partition}:sagemaker:${region}:${account}:${resource}`;
    const group = props.modelPackageGroupName.toLowerCase();
    return [
      new iam.PolicyStatement({
        sid: 'PipelineJobs',
        actions: [
          'sagemaker:CreateProcessingJob',
          'sagemaker:DescribeProcessingJob',
          'sagemaker:StopProcessingJob',
          'sagemaker:CreateTrainingJob',
          'sagemaker:DescribeTrainingJob',
          'sagemaker:StopTrainingJob',
          'sagemaker:AddTags',
        ],
        resources: [arn('processing-job/pipelines-*'), arn('training-job/pipelines-*')],
      }),
      new iam.PolicyStatement({
        sid: 'Registry',
        actions: [
          'sagemaker:CreateModelPackage',
          'sagemaker:DescribeModelPackage',
          'sagemaker:DescribeModelPackageGroup',
          'sagemaker:AddTags',
        ],
        resources: [arn(`model-package-group/${group}`), arn(`model-package/${group}/*`)],
      }),
      new iam.PolicyStatement({
        // PipelineExperimentConfig: one experiment per pipeline, one trial per execution.
        sid: 'Experiments',
        actions: [
          'sagemaker:CreateExperiment',
          'sagemaker:DescribeExperiment',
          'sagemaker:CreateTrial',
          'sagemaker:DescribeTrial',
          'sagemaker:CreateTrialComponent',
          'sagemaker:AssociateTrialComponent',
          'sagemaker:AddTags',
        ],
        resources: [
          arn(`experiment/${props.pipelineName.toLowerCase()}`),
          arn('experiment-trial/*'),
          arn('experiment-trial-component/*'),
        ],
      }),
      new iam.PolicyStatement({
        // Encrypted job volumes: SageMaker creates a grant on the key for the job's instances.
        sid: 'VolumeKeyGrants',
        actions: ['kms:CreateGrant'],
        resources: [props.key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'PassOnlyItself',
        actions: ['iam:PassRole'],
        resources: [role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        sid: 'JobLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`arn:${partition}:logs:${region}:${account}:log-group:/aws/sagemaker/*`],
      }),
      new iam.PolicyStatement({
        sid: 'JobMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'DxOps/*'] } },
      }),
      new iam.PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission',
        ],
        // ENIs of VPC jobs, in this account and region only.
        resources: ['network-interface/*', 'subnet/*', 'security-group/*'].map(
          (r) => `arn:${partition}:ec2:${region}:${account}:${r}`,
        ),
      }),
      new iam.PolicyStatement({
        sid: 'VpcDescribe',
        actions: [
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'],
      }),
    ];
  }
}
