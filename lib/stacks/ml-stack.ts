import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import type { SageMakerTarget } from '../../pipelines/definition';
import { acknowledgePlatformWide } from '../compliance';
import type { StageConfig } from '../config';
import { PipelineRole } from '../constructs/pipeline-role';
import { privateSubnets } from '../constructs/subnets';
import type { DataStack } from './data-stack';

export type { SageMakerTarget };

/** Renders the SageMaker pipeline definition JSON (Version 2020-12-01) for a target. */
export type PipelineDefinitionRenderer = (target: SageMakerTarget) => Record<string, unknown>;

export interface MlStackProps extends StackProps {
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly vpc: ec2.IVpc;
  /** Docker build context of the step image (the repository root: the image copies `pipelines/steps`). */
  readonly stepsImageContext: string;
  /** Dockerfile of the step image, relative to the context. @default 'containers/pipeline-steps/Dockerfile' */
  readonly stepsDockerfile?: string;
  /** `toSageMakerPipeline` from `pipelines/definition` (the stack does not import `pipelines/` itself). */
  readonly definition: PipelineDefinitionRenderer;
}

/** Name of the stage's SageMaker pipeline (AWS requires a name; the retraining workflow starts it by name). */
export function pipelineName(stage: string): string {
  return `dxops-${stage}-training`;
}

/**
 * The ML plane: the model registry (model package group), the SageMaker pipeline rendered from
 * `pipelines/definition`, the steps' image (ECR asset) and the least-privilege role the steps run with, in the
 * private subnets.
 */
export class MlStack extends Stack {
  public readonly modelPackageGroup: sagemaker.CfnModelPackageGroup;
  public readonly pipeline: sagemaker.CfnPipeline;
  public readonly pipelineName: string;
  public readonly image: DockerImageAsset;
  public readonly role: PipelineRole;

  constructor(scope: Construct, id: string, props: MlStackProps) {
    super(scope, id, props);
    acknowledgePlatformWide(this);
    const { config, data } = props;
    this.modelPackageGroup = new sagemaker.CfnModelPackageGroup(this, 'ModelPackageGroup', {
      modelPackageGroupName: config.ml.modelPackageGroupName,
      modelPackageGroupDescription: `DxOps diagnosis models (${config.stage}): ONNX packages, docs/model-package.md`,
    });
    this.image = new DockerImageAsset(this, 'StepsImage', {
      directory: props.stepsImageContext,
      file: props.stepsDockerfile ?? 'containers/pipeline-steps/Dockerfile',
      platform: Platform.LINUX_AMD64,
      // Only what the image copies is staged (and fingerprinted): not node_modules, .venv or the vendored data.
      exclude: [
        '**',
        '!containers/pipeline-steps/**',
        '!pipelines/steps/**',
        '!requirements.txt',
        '**/tests/**',
        '**/__pycache__/**',
      ],
    });
    const securityGroup = this.createJobsSecurityGroup(props.vpc);
    this.pipelineName = pipelineName(config.stage);
    this.role = new PipelineRole(this, 'PipelineRole', {
      buckets: { read: [data.rawBucket], readWrite: [data.processedBucket, data.artifactsBucket] },
      key: data.key,
      image: this.image,
      modelPackageGroupName: config.ml.modelPackageGroupName,
      pipelineName: this.pipelineName,
    });
    const subnets = props.vpc.selectSubnets(privateSubnets(props.vpc)).subnetIds;
    const definition = props.definition({
      roleArn: this.role.role.roleArn,
      imageUri: this.image.imageUri,
      rawBucket: data.rawBucket.bucketName,
      processedBucket: data.processedBucket.bucketName,
      artifactsBucket: data.artifactsBucket.bucketName,
      kmsKeyId: data.key.keyArn,
      modelPackageGroupName: config.ml.modelPackageGroupName,
      subnetIds: subnets,
      securityGroupIds: [securityGroup.securityGroupId],
      instanceType: config.ml.instanceType,
    });
    this.pipeline = new sagemaker.CfnPipeline(this, 'Pipeline', {
      pipelineName: this.pipelineName,
      pipelineDescription: 'DxOps: knowledge base, training, evaluation, gate, export, register',
      roleArn: this.role.role.roleArn,
      pipelineDefinition: { PipelineDefinitionBody: this.toJsonString(definition) },
    });
    this.pipeline.addResourceDependency(this.modelPackageGroup);
    new CfnOutput(this, 'PipelineName', {
      value: this.pipelineName,
      description: 'SageMaker pipeline: DXOPS_PIPELINE_NAME for `dxops pipeline`',
    });
    new CfnOutput(this, 'ModelPackageGroupName', {
      value: config.ml.modelPackageGroupName,
      description: 'Model registry group: DXOPS_MODEL_PACKAGE_GROUP for `dxops models`',
    });
  }

  /** Security group of the processing and training jobs: HTTPS out only. */
  private createJobsSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'JobsSecurityGroup', {
      vpc,
      description: 'SageMaker processing and training jobs: HTTPS out only (endpoints, S3 gateway)',
      allowAllOutbound: false,
    });
    // The S3 prefix-list id is only known through a lookup (credentials at synth), so HTTPS is allowed to any
    // address; the private route tables send S3 to the gateway endpoint and AWS APIs resolve to interface endpoints.
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (endpoints) and S3');
    return securityGroup;
  }
}
