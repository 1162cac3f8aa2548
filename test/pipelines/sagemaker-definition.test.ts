import { toSageMakerPipeline } from '../../pipelines/definition';
import { PARAMETERS, PIPELINE } from '../../pipelines/definition/steps';

const TARGET = {
  roleArn: 'arn:aws:iam::123456789012:role/dxops-pipeline',
  imageUri: 'registry.example.test/dxops-steps:latest',
  rawBucket: 'raw',
  processedBucket: 'processed',
  artifactsBucket: 'artifacts',
  kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
  modelPackageGroupName: 'dxops-diagnosis-dev',
  subnetIds: ['subnet-1'],
  securityGroupIds: ['sg-1'],
};

// biome-ignore lint/suspicious/noExplicitAny: the rendered definition is untyped JSON, read field by field here
type Json = any;
type Step = { Name: string; Type: string; Arguments: Json; DependsOn?: string[]; PropertyFiles?: Json[] };

function allSteps(steps: Step[]): Step[] {
  return steps.flatMap((s) =>
    s.Type === 'Condition' ? [s, ...allSteps([...s.Arguments.IfSteps, ...s.Arguments.ElseSteps])] : [s],
  );
}

function gets(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(gets);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === 'Get' && typeof v === 'string' ? [v] : gets(v)));
  }
  return [];
}

describe('SageMaker pipeline definition', () => {
  const definition = toSageMakerPipeline(TARGET) as { Version: string; Parameters: Json[]; Steps: Step[] };
  const steps = allSteps(definition.Steps);

  test('renders the same step list the local runner executes', () => {
    expect(steps.map((s) => s.Name).sort()).toEqual(PIPELINE.map((s) => s.name).sort());
    expect(definition.Steps.map((s) => s.Name)).toEqual([
      'Ingest',
      'BuildKnowledgeBase',
      'TrainModel',
      'EvaluateModel',
      'CheckQuality',
    ]);
    const condition = definition.Steps[4];
    expect(condition.Arguments.IfSteps.map((s: Step) => s.Name)).toEqual(['ExportModel', 'RegisterModel']);
    expect(condition.Arguments.ElseSteps.map((s: Step) => s.Name)).toEqual(['QualityGateFailed']);
  });

  test('every Get reference resolves to a parameter, a step output or a property file', () => {
    const params = new Set(definition.Parameters.map((p) => p.Name));
    const outputs = new Map(
      steps
        .filter((s) => s.Type === 'Processing')
        .map((s) => [
          s.Name,
          s.Arguments.ProcessingOutputConfig.Outputs.map((o: { OutputName: string }) => o.OutputName),
        ]),
    );
    for (const ref of gets(definition)) {
      if (ref.startsWith('Parameters.')) expect(params).toContain(ref.slice('Parameters.'.length));
      else if (ref.startsWith('Steps.')) {
        const [, step, kind, rest] = ref.match(/^Steps\.([^.]+)\.(\w+)(.*)$/) ?? [];
        expect(outputs.has(step)).toBe(true);
        if (kind === 'ProcessingOutputConfig') expect(outputs.get(step)).toContain(rest.match(/'([^']+)'/)?.[1]);
        if (kind === 'PropertyFiles')
          expect(steps.find((s) => s.Name === step)?.PropertyFiles?.[0].PropertyFileName).toBe(rest.slice(1));
      } else expect(['Execution.PipelineExecutionId', 'Execution.PipelineName']).toContain(ref);
    }
  });

  test('every processing job encrypts with the key, isolates its network and runs in the VPC', () => {
    for (const s of steps.filter((x) => x.Type === 'Processing')) {
      expect(s.Arguments.ProcessingOutputConfig.KmsKeyId).toBe(TARGET.kmsKeyId);
      expect(s.Arguments.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toBe(TARGET.kmsKeyId);
      expect(s.Arguments.NetworkConfig).toMatchObject({
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
      });
      expect(s.Arguments.AppSpecification.ContainerEntrypoint[0]).toBe('python3');
    }
  });

  test('the gate reads evaluation.json and a failed gate ends in a Fail step', () => {
    const condition = definition.Steps.find((s) => s.Type === 'Condition') as Step;
    expect(condition.Arguments.Conditions[0]).toEqual({
      Type: 'Equals',
      LeftValue: {
        'Std:JsonGet': {
          PropertyFile: { Get: 'Steps.EvaluateModel.PropertyFiles.EvaluationReport' },
          Path: 'gate.passed',
        },
      },
      RightValue: true,
    });
    expect(steps.find((s) => s.Name === 'QualityGateFailed')?.Type).toBe('Fail');
  });

  test('registration is pending manual approval by default and points at the package', () => {
    const register = steps.find((s) => s.Type === 'RegisterModel') as Step;
    expect(register.Arguments.ModelApprovalStatus).toEqual({ Get: 'Parameters.ModelApprovalStatus' });
    expect(PARAMETERS.find((p) => p.name === 'ModelApprovalStatus')?.defaultValue).toBe('PendingManualApproval');
    expect(JSON.stringify(register.Arguments.InferenceSpecification)).toContain('model.tar.gz');
    expect(register.Arguments.CustomerMetadataProperties.packageUri).toEqual({
      Get: "Steps.ExportModel.ProcessingOutputConfig.Outputs['package'].S3Output.S3Uri",
    });
    expect(definition.Parameters.find((p) => p.Name === 'ModelPackageGroupName').DefaultValue).toBe(
      'dxops-diagnosis-dev',
    );
  });
});
