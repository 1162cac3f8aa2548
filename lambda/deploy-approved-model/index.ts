import { ECSClient } from '@aws-sdk/client-ecs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { requireEnv } from '../common/env';
import { AppError } from '../common/errors';
import { createLogger } from '../common/logger';
import { ecsService, sageMakerRegistry, ssmParameter } from './clients';
import { type DeployOutcome, deployApprovedModel } from './deploy';
import { type ModelPackageEvent, parseEvent } from './event';

// Required configuration, read once at cold start: a misconfigured function fails before handling any event.
const env = {
  cluster: requireEnv('CLUSTER_ARN'),
  service: requireEnv('SERVICE_NAME'),
  parameterName: requireEnv('MODEL_SSM_PARAMETER'),
  artifactsBucket: requireEnv('ARTIFACTS_BUCKET'),
  modelPackageGroupName: requireEnv('MODEL_PACKAGE_GROUP_NAME'),
};
const log = createLogger('deploy-approved-model');
const deps = {
  registry: sageMakerRegistry(new SageMakerClient({})),
  parameter: ssmParameter(new SSMClient({}), env.parameterName),
  service: ecsService(new ECSClient({}), env.cluster, env.service),
  artifactsBucket: env.artifactsBucket,
  modelPackageGroupName: env.modelPackageGroupName,
  log,
};

/** EventBridge `SageMaker Model Package State Change` → serve the newest approved package. */
export async function handler(event: ModelPackageEvent): Promise<DeployOutcome> {
  try {
    return await deployApprovedModel(parseEvent(event), deps);
  } catch (err) {
    // Report and rethrow: Lambda retries the asynchronous invocation, then the event goes to the dead-letter queue.
    if (err instanceof AppError) log.error(err.message, { code: err.code });
    else log.error('unexpected failure', { error: String(err) });
    throw err;
  }
}
