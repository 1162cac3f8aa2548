#!/usr/bin/env node
/**
 * The CDK app: the only place that reads environment variables and context.
 * `cdk synth` works with no AWS credentials (environment-agnostic unless an account is given) and no Docker.
 *
 * Context (all optional, per stage; see docs/runbooks/deploy.md):
 *   -c stages=dev,prod
 *   -c <stage>:account=123456789012 -c <stage>:region=eu-west-1
 *   -c <stage>:domainName=dxops.hospital.example
 *   -c <stage>:hostedZoneId=Z0123ABC -c <stage>:hostedZoneName=hospital.example   (or -c <stage>:certificateArn=...)
 *   -c <stage>:vpcCidr=10.40.0.0/16 (or -c <stage>:vpcId=vpc-...) -c <stage>:maxAzs=3 -c <stage>:natGateways=2
 *   -c <stage>:approvalMode=manual|auto -c <stage>:cooldownHours=72 -c <stage>:retrainEveryDays=30
 *   -c <stage>:instanceType=ml.m5.xlarge -c <stage>:servingCpu=1024 -c <stage>:servingMemoryMiB=2048
 *   -c <stage>:minTasks=2 -c <stage>:maxTasks=8
 *   -c <stage>:driftPsi=0.2 -c <stage>:latencyP99Ms=500 -c <stage>:http5xxPercent=1 -c <stage>:alertEmail=ops@...
 */
import 'source-map-support/register';
import * as path from 'node:path';
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { ApprovalMode, buildStageConfig, ConfigError, type StageOverrides } from '../lib/config';
import { buildPlatform } from '../lib/platform';
import { toSageMakerPipeline } from '../pipelines/definition';

const ROOT = path.join(__dirname, '..');
// Explicit "strong" cross-stack references (the default, stated so CDK does not warn); belongs in cdk.json.
const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
const stages = String(app.node.tryGetContext('stages') ?? 'dev,prod').split(',');

function context(stage: string, key: string): string | undefined {
  const value = app.node.tryGetContext(`${stage}:${key}`);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** A numeric context value; a non-number fails naming the context key and the value. */
function numberContext(stage: string, key: string): number | undefined {
  const raw = context(stage, key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ConfigError(`${stage}:${key}`, raw, 'a number');
  return value;
}

function approvalMode(stage: string): ApprovalMode | undefined {
  const raw = context(stage, 'approvalMode');
  if (raw === undefined) return undefined;
  if (!Object.values<string>(ApprovalMode).includes(raw))
    throw new ConfigError(`${stage}:approvalMode`, raw, 'manual or auto');
  return raw as ApprovalMode;
}

function overrides(stage: string): StageOverrides {
  const n = (key: string) => numberContext(stage, key);
  return {
    account: context(stage, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: context(stage, 'region'),
    domain: {
      domainName: context(stage, 'domainName'),
      hostedZoneId: context(stage, 'hostedZoneId'),
      hostedZoneName: context(stage, 'hostedZoneName'),
      certificateArn: context(stage, 'certificateArn'),
      signInDomainPrefix: context(stage, 'signInDomainPrefix'),
    },
    network: {
      vpcCidr: context(stage, 'vpcCidr'),
      vpcId: context(stage, 'vpcId'),
      maxAzs: n('maxAzs'),
      natGateways: n('natGateways'),
    },
    serving: {
      cpu: n('servingCpu'),
      memoryMiB: n('servingMemoryMiB'),
      minCapacity: n('minTasks'),
      maxCapacity: n('maxTasks'),
    },
    ml: { instanceType: context(stage, 'instanceType') },
    alarms: { driftPsi: n('driftPsi'), latencyP99Ms: n('latencyP99Ms'), http5xxPercent: n('http5xxPercent') },
    retraining: { cooldownHours: n('cooldownHours'), scheduleDays: n('retrainEveryDays') },
    approvalMode: approvalMode(stage),
    alertEmail: context(stage, 'alertEmail'),
  };
}

const sources = {
  ingestion: {
    scriptPath: path.join(ROOT, 'pipelines', 'steps', 'ingest', 'glue_job.py'),
    packagesPath: path.join(ROOT, 'pipelines', 'steps'),
  },
  // ServingStack refuses a directory without a Dockerfile (no placeholder image).
  inferenceImage: path.join(ROOT, 'containers', 'inference'),
  repositoryRoot: ROOT,
  pipelineDefinition: toSageMakerPipeline,
};
for (const stage of stages) {
  buildPlatform(app, buildStageConfig(stage, overrides(stage)), sources);
}

Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
Aspects.of(app).add(new HIPAASecurityChecks({ verbose: true }));
