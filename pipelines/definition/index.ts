/** The one typed definition of the DxOps training pipeline, its SageMaker rendering and its local runner. */
export { type SageMakerTarget, toSageMakerPipeline } from './sagemaker';
export { PARAMETERS, PIPELINE, type StepDef, type StepName } from './steps';
