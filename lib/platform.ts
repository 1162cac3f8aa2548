import { type App, type Environment, Tags } from 'aws-cdk-lib';
import type { StageConfig } from './config';
import { DataStack } from './stacks/data-stack';
import { MlStack, type PipelineDefinitionRenderer } from './stacks/ml-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { NetworkStack } from './stacks/network-stack';
import { RetrainingStack } from './stacks/retraining-stack';
import { ServingStack } from './stacks/serving-stack';

/** Files outside lib/ that the stacks package as assets. */
export interface PlatformSources {
  /** The Glue ingestion script (`pipelines/steps/ingest/glue_job.py`) and its packages (`pipelines/steps`). */
  readonly ingestion: { readonly scriptPath: string; readonly packagesPath: string };
  /** The inference service image directory (`containers/inference`, with its Dockerfile). */
  readonly inferenceImage: string;
  /** Docker context of the step image: the repository root. */
  readonly repositoryRoot: string;
  /** `toSageMakerPipeline` from `pipelines/definition`. */
  readonly pipelineDefinition: PipelineDefinitionRenderer;
}

/** The stacks of one stage. */
export interface Platform {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly ml: MlStack;
  readonly retraining: RetrainingStack;
  readonly serving: ServingStack;
  readonly monitoring: MonitoringStack;
}

/**
 * Builds every stack of one stage, named `DxOps-<stage>-<Part>`. Stateful (Data) apart from stateless; cross-stack
 * references only point down: Network, Data ← Ml ← Retraining; Network, Data ← Serving; Serving, Retraining ← Monitoring.
 */
export function buildPlatform(app: App, config: StageConfig, sources: PlatformSources): Platform {
  const env: Environment = { account: config.account, region: config.region };
  const name = (part: string) => `DxOps-${config.stage}-${part}`;
  const network = new NetworkStack(app, name('Network'), { env, config });
  const data = new DataStack(app, name('Data'), { env, config, ingestion: sources.ingestion });
  const ml = new MlStack(app, name('Ml'), {
    env,
    config,
    data,
    vpc: network.vpc,
    stepsImageContext: sources.repositoryRoot,
    definition: sources.pipelineDefinition,
  });
  const retraining = new RetrainingStack(app, name('Retraining'), {
    env,
    config,
    pipelineName: ml.pipelineName,
    ingestionJobName: data.ingestion?.jobName,
  });
  retraining.addStackDependency(ml, 'the workflow starts the pipeline by name');
  const serving = new ServingStack(app, name('Serving'), {
    env,
    config,
    vpc: network.vpc,
    data,
    imageDirectory: sources.inferenceImage,
  });
  serving.addStackDependency(ml, 'approvals come from the model package group');
  const monitoring = new MonitoringStack(app, name('Monitoring'), {
    env,
    config,
    loadBalancer: serving.inference.loadBalancer,
    retraining: retraining.workflow,
    topic: retraining.topic,
  });
  const platform: Platform = { network, data, ml, retraining, serving, monitoring };
  for (const stack of Object.values(platform)) {
    Tags.of(stack).add('project', 'dxops');
    Tags.of(stack).add('stage', config.stage);
  }
  return platform;
}
