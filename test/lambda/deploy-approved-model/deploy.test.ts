import { createLogger } from '../../../lambda/common/logger';
import {
  type ApprovedPackage,
  type DeployDeps,
  deployApprovedModel,
  ForeignGroupError,
  NO_MODEL,
  UntrustedPackageError,
} from '../../../lambda/deploy-approved-model/deploy';
import { type ModelPackageEvent, parseEvent } from '../../../lambda/deploy-approved-model/event';
import approved from './fixtures/approved.json';
import rejected from './fixtures/rejected.json';

const GROUP = 'dxops-diagnosis-dev';
/** A fixture event copy whose detail the test edits. */
// biome-ignore lint/suspicious/noExplicitAny: test edits nested fixture JSON in place
type Mutable = ModelPackageEvent & { detail: Record<string, any> };
const arn = (v: number) => `arn:aws:sagemaker:eu-west-1:123456789012:model-package/${GROUP}/${v}`;
const uri = (v: number) => `s3://dxops-artifacts/packages/v${v}/`;
const V3_URI = 's3://dxops-artifacts/packages/20261124.0712-1a2b3c4/';

function fakes(listed: ApprovedPackage[], current: string) {
  const state = { parameter: current, deployments: 0 };
  const deps: DeployDeps = {
    registry: { latestApproved: jest.fn(async (_g: string, limit: number) => listed.slice(0, limit)) },
    parameter: {
      get: async () => state.parameter,
      put: async (value) => {
        state.parameter = value;
      },
    },
    service: {
      forceNewDeployment: async () => {
        state.deployments += 1;
      },
    },
    artifactsBucket: 'dxops-artifacts',
    modelPackageGroupName: GROUP,
    log: createLogger('test', 'error', () => undefined),
  };
  return { deps, state };
}

describe('deployApprovedModel', () => {
  test('an approval not yet listed by the registry is deployed and the service restarted', async () => {
    // GIVEN version 2 is served and the listing still lags behind the event
    const { deps, state } = fakes([{ arn: arn(2), version: 2, uri: uri(2) }], uri(2));
    // WHEN
    const outcome = await deployApprovedModel(parseEvent(approved as ModelPackageEvent), deps);
    // THEN
    expect(outcome).toEqual({ action: 'deployed', uri: V3_URI, modelPackageArn: arn(3) });
    expect(state).toEqual({ parameter: V3_URI, deployments: 1 });
  });

  test('a repeated approval event changes nothing (idempotent)', async () => {
    const { deps, state } = fakes([{ arn: arn(3), version: 3, uri: V3_URI }], V3_URI);
    const outcome = await deployApprovedModel(parseEvent(approved as ModelPackageEvent), deps);
    expect(outcome.action).toBe('unchanged');
    expect(state.deployments).toBe(0);
  });

  test('approving an older version keeps serving the newest approved one', async () => {
    // GIVEN version 4 is approved and served; version 3 gets approved late
    const { deps, state } = fakes([{ arn: arn(4), version: 4, uri: uri(4) }], uri(4));
    const outcome = await deployApprovedModel(parseEvent(approved as ModelPackageEvent), deps);
    expect(outcome.action).toBe('unchanged');
    expect(state).toEqual({ parameter: uri(4), deployments: 0 });
  });

  test('rejecting the served version redeploys the previous approved one', async () => {
    // GIVEN version 3 is served and the listing still shows it as approved
    const { deps, state } = fakes(
      [
        { arn: arn(3), version: 3, uri: V3_URI },
        { arn: arn(2), version: 2, uri: uri(2) },
      ],
      V3_URI,
    );
    // WHEN
    const outcome = await deployApprovedModel(parseEvent(rejected as ModelPackageEvent), deps);
    // THEN
    expect(outcome).toEqual({ action: 'deployed', uri: uri(2), modelPackageArn: arn(2) });
    expect(state).toEqual({ parameter: uri(2), deployments: 1 });
  });

  test('rejecting the only approved version leaves no model served', async () => {
    const { deps, state } = fakes([{ arn: arn(3), version: 3, uri: V3_URI }], V3_URI);
    const outcome = await deployApprovedModel(parseEvent(rejected as ModelPackageEvent), deps);
    expect(outcome.uri).toBe(NO_MODEL);
    expect(state).toEqual({ parameter: NO_MODEL, deployments: 1 });
  });

  test('a package outside the artifacts bucket is refused and nothing changes', async () => {
    const { deps, state } = fakes([], uri(2));
    const event = structuredClone(approved) as Mutable;
    event.detail.CustomerMetadataProperties.packageUri = 's3://elsewhere/model/';
    await expect(deployApprovedModel(parseEvent(event), deps)).rejects.toThrow(UntrustedPackageError);
    expect(state).toEqual({ parameter: uri(2), deployments: 0 });
  });

  test('an event of another group is refused', async () => {
    const { deps } = fakes([], uri(2));
    const event = structuredClone(approved) as Mutable;
    event.detail.ModelPackageGroupName = 'someone-else';
    await expect(deployApprovedModel(parseEvent(event), deps)).rejects.toThrow(ForeignGroupError);
  });
});

describe('parseEvent', () => {
  test('reads the package prefix from the packageUri metadata, else ModelDataSource, else ModelDataUrl', () => {
    expect(parseEvent(approved as ModelPackageEvent).uri).toBe(V3_URI);
    const event = structuredClone(approved) as Mutable;
    delete event.detail.CustomerMetadataProperties;
    expect(parseEvent(event).uri).toBe('s3://dxops-artifacts/pipelines/exec-1/Export/package/model.tar.gz');
    event.detail.InferenceSpecification.Containers[0] = {
      ModelDataSource: { S3DataSource: { S3Uri: 's3://dxops-artifacts/p/', S3DataType: 'S3Prefix' } },
    };
    expect(parseEvent(event).uri).toBe('s3://dxops-artifacts/p/');
  });

  test('rejects an event of another source or without the required fields', () => {
    expect(() => parseEvent({ ...approved, source: 'aws.s3' } as ModelPackageEvent)).toThrow(
      /not a model package state change/,
    );
    expect(() => parseEvent({ ...approved, detail: {} } as ModelPackageEvent)).toThrow(/ModelPackageArn/);
  });
});
