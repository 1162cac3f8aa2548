import approved from './fixtures/approved.json';

// @aws-sdk/client-ecs comes from the Lambda runtime (lambda/types/aws-sdk-client-ecs.d.ts): mocked, never called.
const ecsSend = jest.fn(async (_command: unknown) => ({}));
jest.mock(
  '@aws-sdk/client-ecs',
  () => ({
    ECSClient: jest.fn().mockImplementation(() => ({ send: ecsSend })),
    UpdateServiceCommand: jest.fn().mockImplementation((input) => ({ input })),
  }),
  { virtual: true },
);

const ENV = {
  CLUSTER_ARN: 'arn:aws:ecs:eu-west-1:123456789012:cluster/dxops',
  SERVICE_NAME: 'inference',
  MODEL_SSM_PARAMETER: '/dxops/dev/model/approved-uri',
  ARTIFACTS_BUCKET: 'dxops-artifacts',
  MODEL_PACKAGE_GROUP_NAME: 'dxops-diagnosis-dev',
  AWS_REGION: 'eu-west-1',
};

type Handler = typeof import('../../../lambda/deploy-approved-model/index').handler;
const writes: unknown[] = [];
const sageMakerCalls: string[] = [];

/** Loads the handler in a fresh module registry with the SDK clients' `send` mocked (no network). */
function loadHandler(env: Record<string, string> = ENV): Handler {
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    Object.assign(process.env, env);
    const sm = require('@aws-sdk/client-sagemaker');
    const ssm = require('@aws-sdk/client-ssm');
    jest.spyOn(sm.SageMakerClient.prototype, 'send').mockImplementation(async (command: unknown) => {
      sageMakerCalls.push((command as object).constructor.name);
      if (command instanceof sm.ListModelPackagesCommand) return { ModelPackageSummaryList: [] };
      throw new Error(`unexpected SageMaker call ${(command as object).constructor.name}`);
    });
    jest.spyOn(ssm.SSMClient.prototype, 'send').mockImplementation(async (command: unknown) => {
      if (command instanceof ssm.GetParameterCommand) return { Parameter: { Value: 'none' } };
      if (command instanceof ssm.PutParameterCommand) {
        writes.push((command as { input: unknown }).input);
        return {};
      }
      throw new Error('unexpected SSM call');
    });
    handler = require('../../../lambda/deploy-approved-model/index').handler;
  });
  return handler!;
}

describe('deploy-approved-model handler', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    writes.length = 0;
    sageMakerCalls.length = 0;
    ecsSend.mockClear();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  test('an approval event writes the package URI to the parameter and forces a new ECS deployment', async () => {
    // GIVEN
    const handler = loadHandler();
    // WHEN
    const outcome = await handler(approved);
    // THEN
    expect(outcome.action).toBe('deployed');
    expect(writes).toEqual([
      {
        Name: ENV.MODEL_SSM_PARAMETER,
        Value: 's3://dxops-artifacts/packages/20261124.0712-1a2b3c4/',
        Type: 'String',
        Overwrite: true,
      },
    ]);
    expect(ecsSend).toHaveBeenCalledTimes(1);
    expect((ecsSend.mock.calls[0][0] as { input: unknown }).input).toEqual({
      cluster: ENV.CLUSTER_ARN,
      service: ENV.SERVICE_NAME,
      forceNewDeployment: true,
    });
    expect(sageMakerCalls).toEqual(['ListModelPackagesCommand']);
  });

  test('a malformed event is logged and rethrown so Lambda retries and dead-letters it', async () => {
    const handler = loadHandler();
    await expect(handler({ source: 'aws.sagemaker' })).rejects.toThrow(/not a model package state change/);
    expect(ecsSend).not.toHaveBeenCalled();
  });

  test('a missing environment variable fails at module load, naming it', () => {
    const { SERVICE_NAME: _omitted, ...rest } = ENV;
    delete process.env.SERVICE_NAME;
    expect(() => loadHandler(rest)).toThrow(/SERVICE_NAME is required/);
  });
});
