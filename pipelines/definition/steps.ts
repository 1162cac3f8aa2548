/**
 * The DxOps training pipeline, defined once. The SageMaker renderer (`sagemaker.ts`) and the local runner
 * (`local-runner.ts`) both read `PIPELINE`; neither holds a step list of its own. No data logic lives here:
 * each processing step is a Python script under `pipelines/steps/` that follows the SageMaker processing path
 * contract (inputs under /opt/ml/processing/input/<name>, outputs under /opt/ml/processing/output/<name>).
 */

export const INPUT_ROOT = '/opt/ml/processing/input';
export const OUTPUT_ROOT = '/opt/ml/processing/output';

export type ParameterName =
  | 'RawDataUri'
  | 'ReferenceDataUri'
  | 'IngestionDate'
  | 'Seed'
  | 'QualityThresholds'
  | 'ChampionMetrics'
  | 'ModelApprovalStatus'
  | 'ModelPackageGroupName'
  | 'ProcessingInstanceType';

export type StepName =
  | 'Ingest'
  | 'BuildKnowledgeBase'
  | 'TrainModel'
  | 'EvaluateModel'
  | 'CheckQuality'
  | 'QualityGateFailed'
  | 'ExportModel'
  | 'RegisterModel';

export interface ParameterDef {
  readonly name: ParameterName;
  readonly type: 'String' | 'Integer';
  readonly defaultValue: string | number;
  readonly description: string;
}

/** Where a processing input comes from: a pipeline parameter (an S3 prefix) or an earlier step's output. */
export type InputSource = { readonly parameter: ParameterName } | { readonly step: StepName; readonly output: string };

/** One container argument: a literal, an input or output path, a parameter value, or the model version. */
export type Arg =
  | string
  | { readonly input: string; readonly subpath?: string }
  | { readonly output: string }
  | { readonly parameter: ParameterName }
  | { readonly modelVersion: true };

export interface ProcessingStepDef {
  readonly kind: 'processing';
  readonly name: StepName;
  /** Relative to pipelines/steps/ (the step image's /opt/program). */
  readonly script: string;
  readonly inputs: readonly { readonly name: string; readonly source: InputSource }[];
  readonly outputs: readonly string[];
  readonly args: readonly Arg[];
  /** A JSON file in one output that later steps read (SageMaker PropertyFile). */
  readonly propertyFile?: { readonly name: string; readonly output: string; readonly path: string };
  /** Ingest writes to the processed zone; everything else to the artifacts bucket. */
  readonly zone: 'processed' | 'artifacts';
}

export interface ConditionStepDef {
  readonly kind: 'condition';
  readonly name: StepName;
  readonly property: { readonly step: StepName; readonly file: string; readonly path: string };
  readonly equals: boolean;
  readonly ifSteps: readonly StepName[];
  readonly elseSteps: readonly StepName[];
}

export interface FailStepDef {
  readonly kind: 'fail';
  readonly name: StepName;
  readonly message: string;
}

export interface RegisterStepDef {
  readonly kind: 'register';
  readonly name: StepName;
  readonly package: { readonly step: StepName; readonly output: string };
  readonly evaluation: { readonly step: StepName; readonly output: string; readonly path: string };
}

export type StepDef = ProcessingStepDef | ConditionStepDef | FailStepDef | RegisterStepDef;

export const PARAMETERS: readonly ParameterDef[] = [
  {
    name: 'RawDataUri',
    type: 'String',
    defaultValue: '',
    description: 'raw zone prefix: ddxplus/, kaggle/, phenopackets/',
  },
  {
    name: 'ReferenceDataUri',
    type: 'String',
    defaultValue: '',
    description: 'reference prefix: hpo/, ddxplus/, kaggle/, mappings/',
  },
  { name: 'IngestionDate', type: 'String', defaultValue: '', description: 'YYYY-MM-DD partition of this run' },
  { name: 'Seed', type: 'Integer', defaultValue: 42, description: 'seed of every random number generator' },
  {
    name: 'QualityThresholds',
    type: 'String',
    defaultValue:
      '{"commonTop1":0.99,"commonHalfEvidenceTop1":0.95,"orphanTop10":0.3,"maxRegression":0.02,"maxVignetteRegression":0.1}',
    description: 'quality gate thresholds (JSON)',
  },
  {
    name: 'ChampionMetrics',
    type: 'String',
    defaultValue: '{}',
    description: "the approved model's evaluation (JSON)",
  },
  {
    name: 'ModelApprovalStatus',
    type: 'String',
    defaultValue: 'PendingManualApproval',
    description: 'status on registration',
  },
  {
    name: 'ModelPackageGroupName',
    type: 'String',
    defaultValue: 'dxops-diagnosis',
    description: 'model registry group',
  },
  {
    name: 'ProcessingInstanceType',
    type: 'String',
    defaultValue: 'ml.m5.xlarge',
    description: 'instance of every job',
  },
];

export const PIPELINE: readonly StepDef[] = [
  {
    kind: 'processing',
    name: 'Ingest',
    script: 'ingest/glue_job.py',
    inputs: [
      { name: 'raw', source: { parameter: 'RawDataUri' } },
      { name: 'reference', source: { parameter: 'ReferenceDataUri' } },
    ],
    outputs: ['processed', 'quarantine', 'report'],
    args: [
      '--raw_uri',
      { input: 'raw' },
      '--hpo_uri',
      { input: 'reference', subpath: 'hpo' },
      '--mappings_uri',
      { input: 'reference', subpath: 'mappings' },
      '--processed_uri',
      { output: 'processed' },
      '--quarantine_uri',
      { output: 'quarantine' },
      '--report_uri',
      { output: 'report' },
      '--ingestion_date',
      { parameter: 'IngestionDate' },
    ],
    zone: 'processed',
  },
  {
    kind: 'processing',
    name: 'BuildKnowledgeBase',
    script: 'knowledge_base/build_knowledge_base.py',
    inputs: [{ name: 'reference', source: { parameter: 'ReferenceDataUri' } }],
    outputs: ['kb'],
    args: ['--reference-dir', { input: 'reference' }, '--kb-dir', { output: 'kb' }],
    zone: 'artifacts',
  },
  {
    kind: 'processing',
    name: 'TrainModel',
    script: 'train/train.py',
    inputs: [
      { name: 'processed', source: { step: 'Ingest', output: 'processed' } },
      { name: 'kb', source: { step: 'BuildKnowledgeBase', output: 'kb' } },
    ],
    outputs: ['model'],
    args: [
      '--processed-dir',
      { input: 'processed' },
      '--kb-dir',
      { input: 'kb' },
      '--model-dir',
      { output: 'model' },
      '--seed',
      { parameter: 'Seed' },
    ],
    zone: 'artifacts',
  },
  {
    kind: 'processing',
    name: 'EvaluateModel',
    script: 'evaluate/evaluate.py',
    inputs: [
      { name: 'processed', source: { step: 'Ingest', output: 'processed' } },
      { name: 'kb', source: { step: 'BuildKnowledgeBase', output: 'kb' } },
      { name: 'model', source: { step: 'TrainModel', output: 'model' } },
    ],
    outputs: ['evaluation'],
    args: [
      '--processed-dir',
      { input: 'processed' },
      '--kb-dir',
      { input: 'kb' },
      '--model-dir',
      { input: 'model' },
      '--evaluation-dir',
      { output: 'evaluation' },
      '--thresholds',
      { parameter: 'QualityThresholds' },
      '--champion-metrics',
      { parameter: 'ChampionMetrics' },
    ],
    propertyFile: { name: 'EvaluationReport', output: 'evaluation', path: 'evaluation.json' },
    zone: 'artifacts',
  },
  {
    kind: 'condition',
    name: 'CheckQuality',
    property: { step: 'EvaluateModel', file: 'EvaluationReport', path: 'gate.passed' },
    equals: true,
    ifSteps: ['ExportModel', 'RegisterModel'],
    elseSteps: ['QualityGateFailed'],
  },
  {
    kind: 'fail',
    name: 'QualityGateFailed',
    message: 'EvaluateModel: the quality gate failed; see gate.reasons in evaluation.json',
  },
  {
    kind: 'processing',
    name: 'ExportModel',
    script: 'export/export_model.py',
    inputs: [
      { name: 'model', source: { step: 'TrainModel', output: 'model' } },
      { name: 'kb', source: { step: 'BuildKnowledgeBase', output: 'kb' } },
      { name: 'evaluation', source: { step: 'EvaluateModel', output: 'evaluation' } },
    ],
    outputs: ['package'],
    args: [
      '--model-dir',
      { input: 'model' },
      '--kb-dir',
      { input: 'kb' },
      '--evaluation-dir',
      { input: 'evaluation' },
      '--package-dir',
      { output: 'package' },
      '--model-version',
      { modelVersion: true },
    ],
    zone: 'artifacts',
  },
  {
    kind: 'register',
    name: 'RegisterModel',
    package: { step: 'ExportModel', output: 'package' },
    evaluation: { step: 'EvaluateModel', output: 'evaluation', path: 'evaluation.json' },
  },
];

export function stepByName(name: StepName): StepDef {
  const step = PIPELINE.find((s) => s.name === name);
  if (!step) throw new Error(`pipeline has no step named ${name}`);
  return step;
}

/** Steps that only run when a condition sends the run to them. */
export function conditionalSteps(steps: readonly StepDef[] = PIPELINE): Set<StepName> {
  const out = new Set<StepName>();
  for (const s of steps) if (s.kind === 'condition') for (const n of [...s.ifSteps, ...s.elseSteps]) out.add(n);
  return out;
}
