/**
 * Renders `PIPELINE` as a SageMaker Model Building Pipeline definition (Version 2020-12-01).
 * https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html
 * Values may be CDK tokens (plain strings here); the ML stack renders the result with `Stack.toJsonString`.
 */
import {
  type Arg,
  type ConditionStepDef,
  conditionalSteps,
  INPUT_ROOT,
  type InputSource,
  OUTPUT_ROOT,
  PARAMETERS,
  PIPELINE,
  type ProcessingStepDef,
  type RegisterStepDef,
  type StepDef,
  type StepName,
} from './steps';

export interface SageMakerTarget {
  roleArn: string;
  imageUri: string;
  rawBucket: string;
  processedBucket: string;
  artifactsBucket: string;
  kmsKeyId: string;
  modelPackageGroupName: string;
  subnetIds?: string[];
  securityGroupIds?: string[];
  instanceType?: string;
}

type Json = Record<string, unknown>;

/** Every processing job may run at most this long; the whole pipeline takes minutes on one machine. */
const MAX_RUNTIME_SECONDS = 2 * 60 * 60;
const VOLUME_GB = 30;

const get = (path: string): Json => ({ Get: path });
const join = (...values: unknown[]): Json => ({ 'Std:Join': { On: '/', Values: values } });
const executionId = get('Execution.PipelineExecutionId');

function outputUri(target: SageMakerTarget, step: ProcessingStepDef, output: string): Json {
  const bucket = step.zone === 'processed' ? target.processedBucket : target.artifactsBucket;
  return join('s3:/', bucket, 'pipelines', executionId, step.name, output);
}

function sourceUri(source: InputSource): Json {
  if ('parameter' in source) return get(`Parameters.${source.parameter}`);
  return get(`Steps.${source.step}.ProcessingOutputConfig.Outputs['${source.output}'].S3Output.S3Uri`);
}

function argument(arg: Arg): unknown {
  if (typeof arg === 'string') return arg;
  if ('input' in arg) return `${INPUT_ROOT}/${arg.input}${arg.subpath ? `/${arg.subpath}` : ''}`;
  if ('output' in arg) return `${OUTPUT_ROOT}/${arg.output}`;
  if ('parameter' in arg) {
    const def = PARAMETERS.find((p) => p.name === arg.parameter);
    // Container arguments are strings: integer parameters go through Std:Join to become one.
    const value = get(`Parameters.${arg.parameter}`);
    return def?.type === 'Integer' ? { 'Std:Join': { On: '', Values: [value] } } : value;
  }
  return { 'Std:Join': { On: '-', Values: ['dxops', executionId] } };
}

function dependsOn(step: ProcessingStepDef | RegisterStepDef): StepName[] {
  const deps =
    step.kind === 'processing'
      ? step.inputs.flatMap((i) => ('step' in i.source ? [i.source.step] : []))
      : [step.package.step, step.evaluation.step];
  return [...new Set(deps)];
}

function processingStep(step: ProcessingStepDef, target: SageMakerTarget): Json {
  const networkConfig: Json = {
    // The steps read and write S3 through SageMaker's own channels; none needs the network,
    // except Ingest, whose Spark session reads its inputs from the mounted paths too.
    EnableNetworkIsolation: true,
    EnableInterContainerTrafficEncryption: true,
  };
  if (target.subnetIds?.length) {
    networkConfig.VpcConfig = { Subnets: target.subnetIds, SecurityGroupIds: target.securityGroupIds ?? [] };
  }
  const rendered: Json = {
    Name: step.name,
    Type: 'Processing',
    Arguments: {
      ProcessingResources: {
        ClusterConfig: {
          InstanceType: get('Parameters.ProcessingInstanceType'),
          InstanceCount: 1,
          VolumeSizeInGB: VOLUME_GB,
          VolumeKmsKeyId: target.kmsKeyId,
        },
      },
      AppSpecification: {
        ImageUri: target.imageUri,
        ContainerEntrypoint: ['python3', `/opt/program/${step.script}`],
        ContainerArguments: step.args.map(argument),
      },
      RoleArn: target.roleArn,
      ProcessingInputs: step.inputs.map((input) => ({
        InputName: input.name,
        AppManaged: false,
        S3Input: {
          S3Uri: sourceUri(input.source),
          LocalPath: `${INPUT_ROOT}/${input.name}`,
          S3DataType: 'S3Prefix',
          S3InputMode: 'File',
          S3DataDistributionType: 'FullyReplicated',
        },
      })),
      ProcessingOutputConfig: {
        KmsKeyId: target.kmsKeyId,
        Outputs: step.outputs.map((output) => ({
          OutputName: output,
          AppManaged: false,
          S3Output: {
            S3Uri: outputUri(target, step, output),
            LocalPath: `${OUTPUT_ROOT}/${output}`,
            S3UploadMode: 'EndOfJob',
          },
        })),
      },
      NetworkConfig: networkConfig,
      StoppingCondition: { MaxRuntimeInSeconds: MAX_RUNTIME_SECONDS },
      Environment: { PYTHONPATH: '/opt/program', PYTHONUNBUFFERED: '1' },
    },
  };
  const deps = dependsOn(step);
  if (deps.length) rendered.DependsOn = deps;
  if (step.propertyFile) {
    rendered.PropertyFiles = [
      {
        PropertyFileName: step.propertyFile.name,
        OutputName: step.propertyFile.output,
        FilePath: step.propertyFile.path,
      },
    ];
  }
  return rendered;
}

function registerStep(step: RegisterStepDef, target: SageMakerTarget): Json {
  const pkg = get(`Steps.${step.package.step}.ProcessingOutputConfig.Outputs['${step.package.output}'].S3Output.S3Uri`);
  const evaluation = get(
    `Steps.${step.evaluation.step}.ProcessingOutputConfig.Outputs['${step.evaluation.output}'].S3Output.S3Uri`,
  );
  return {
    Name: step.name,
    Type: 'RegisterModel',
    DependsOn: dependsOn(step),
    Arguments: {
      ModelPackageGroupName: get('Parameters.ModelPackageGroupName'),
      ModelApprovalStatus: get('Parameters.ModelApprovalStatus'),
      ModelPackageDescription: 'DxOps differential diagnosis model (ONNX package)',
      InferenceSpecification: {
        Containers: [
          { Image: target.imageUri, ModelDataUrl: { 'Std:Join': { On: '/', Values: [pkg, 'model.tar.gz'] } } },
        ],
        SupportedContentTypes: ['application/json'],
        SupportedResponseMIMETypes: ['application/json'],
      },
      ModelMetrics: {
        ModelQuality: {
          Statistics: {
            ContentType: 'application/json',
            S3Uri: { 'Std:Join': { On: '/', Values: [evaluation, step.evaluation.path] } },
          },
        },
      },
      // The service loads the unpacked package from this prefix (docs/model-package.md).
      CustomerMetadataProperties: { packageUri: pkg, modelVersion: argument({ modelVersion: true }) },
    },
  };
}

function conditionStep(step: ConditionStepDef, render: (name: StepName) => Json): Json {
  return {
    Name: step.name,
    Type: 'Condition',
    DependsOn: [step.property.step],
    Arguments: {
      Conditions: [
        {
          Type: 'Equals',
          LeftValue: {
            'Std:JsonGet': {
              PropertyFile: get(`Steps.${step.property.step}.PropertyFiles.${step.property.file}`),
              Path: step.property.path,
            },
          },
          RightValue: step.equals,
        },
      ],
      // SageMaker nests the branches' steps inside the condition instead of listing them at the top level.
      IfSteps: step.ifSteps.map(render),
      ElseSteps: step.elseSteps.map(render),
    },
  };
}

function renderStep(step: StepDef, target: SageMakerTarget, steps: readonly StepDef[]): Json {
  const byName = (name: StepName) => {
    const found = steps.find((s) => s.name === name);
    if (!found) throw new Error(`condition ${step.name} names an unknown step ${name}`);
    return renderStep(found, target, steps);
  };
  switch (step.kind) {
    case 'processing':
      return processingStep(step, target);
    case 'register':
      return registerStep(step, target);
    case 'condition':
      return conditionStep(step, byName);
    case 'fail':
      return { Name: step.name, Type: 'Fail', Arguments: { ErrorMessage: step.message } };
  }
}

/** Defaults that depend on where the pipeline is deployed. */
function targetDefaults(target: SageMakerTarget): Partial<Record<string, string | number>> {
  return {
    RawDataUri: `s3://${target.rawBucket}/`,
    ReferenceDataUri: `s3://${target.rawBucket}/reference/`,
    ModelPackageGroupName: target.modelPackageGroupName,
    ...(target.instanceType ? { ProcessingInstanceType: target.instanceType } : {}),
  };
}

/** The pipeline definition JSON (as an object) for AWS::SageMaker::Pipeline. */
export function toSageMakerPipeline(
  target: SageMakerTarget,
  steps: readonly StepDef[] = PIPELINE,
): Record<string, unknown> {
  const nested = conditionalSteps(steps);
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: PARAMETERS.map((p) => ({
      Name: p.name,
      Type: p.type,
      DefaultValue: targetDefaults(target)[p.name] ?? p.defaultValue,
    })),
    PipelineExperimentConfig: { ExperimentName: get('Execution.PipelineName'), TrialName: executionId },
    Steps: steps.filter((s) => !nested.has(s.name)).map((s) => renderStep(s, target, steps)),
  };
}
