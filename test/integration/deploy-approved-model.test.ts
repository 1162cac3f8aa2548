import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { awsTestEnv, type Moto, startMoto } from '../helpers/moto';

/**
 * The deploy-approved-model Lambda handler making real SDK calls (SageMaker, SSM, ECS) to moto's server on loopback:
 * approving a package publishes its prefix to the SSM parameter the service polls; rejecting it falls back to the
 * previous approved one.
 */
describe('deploy-approved-model against moto', () => {
  let moto: Moto;
  const saved = { ...process.env };
  const GROUP = 'dxops-diagnosis-it';
  const PARAM = '/dxops/it/model/approved-uri';

  beforeAll(async () => {
    moto = await startMoto();
    Object.assign(process.env, awsTestEnv(moto.endpoint), {
      CLUSTER_ARN: 'dxops-it',
      SERVICE_NAME: 'inference',
      MODEL_SSM_PARAMETER: PARAM,
      ARTIFACTS_BUCKET: 'dxops-artifacts',
      MODEL_PACKAGE_GROUP_NAME: GROUP,
    });
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  test('approve publishes the newest approved package; rejecting it serves the previous one', async () => {
    // GIVEN a cluster and service, the parameter at "none" and two registered packages
    const cfg = {
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const ecs = new ECSClient(cfg);
    await ecs.send(new CreateClusterCommand({ clusterName: 'dxops-it' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'inference',
        containerDefinitions: [{ name: 'app', image: 'x', memory: 512 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'dxops-it',
        serviceName: 'inference',
        taskDefinition: 'inference',
        desiredCount: 1,
      }),
    );
    const ssm = new SSMClient(cfg);
    await ssm.send(new PutParameterCommand({ Name: PARAM, Value: 'none', Type: 'String' }));
    const sm = new SageMakerClient(cfg);
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }));
    const arns: string[] = [];
    for (const run of ['run-1', 'run-2']) {
      const created = await sm.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: GROUP,
          ModelApprovalStatus: 'PendingManualApproval',
          CustomerMetadataProperties: { packageUri: `s3://dxops-artifacts/pipelines/${run}/ExportModel/package` },
          InferenceSpecification: {
            Containers: [
              { Image: 'x', ModelDataUrl: `s3://dxops-artifacts/pipelines/${run}/ExportModel/package/model.tar.gz` },
            ],
            SupportedContentTypes: ['application/json'],
            SupportedResponseMIMETypes: ['application/json'],
          },
        }),
      );
      arns.push(created.ModelPackageArn as string);
    }
    const { handler } = await import('../../lambda/deploy-approved-model/index');
    // EventBridge's detail carries the package description, customer metadata included.
    const event = (arn: string, status: string, version: number) => ({
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Package State Change',
      detail: {
        ModelPackageArn: arn,
        ModelPackageGroupName: GROUP,
        ModelApprovalStatus: status,
        ModelPackageVersion: version,
        CustomerMetadataProperties: { packageUri: `s3://dxops-artifacts/pipelines/run-${version}/ExportModel/package` },
      },
    });
    // moto 5.2 drops CustomerMetadataProperties on UpdateModelPackage unless they are sent again (SageMaker keeps
    // them), so every status change here re-sends the package's metadata.
    const setStatus = (i: number, status: 'Approved' | 'Rejected') =>
      sm.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: arns[i],
          ModelApprovalStatus: status,
          CustomerMetadataProperties: { packageUri: `s3://dxops-artifacts/pipelines/run-${i + 1}/ExportModel/package` },
        }),
      );
    const current = async () => (await ssm.send(new GetParameterCommand({ Name: PARAM }))).Parameter?.Value;

    // WHEN version 1 and then version 2 are approved
    for (const [i, arn] of arns.entries()) {
      await setStatus(i, 'Approved');
      await handler(event(arn, 'Approved', i + 1));
    }
    // THEN the parameter points at version 2's package
    expect(await current()).toBe('s3://dxops-artifacts/pipelines/run-2/ExportModel/package');

    // WHEN version 2 is rejected THEN version 1's package is served again
    await setStatus(1, 'Rejected');
    await handler(event(arns[1], 'Rejected', 2));
    expect(await current()).toBe('s3://dxops-artifacts/pipelines/run-1/ExportModel/package');
  });
});
