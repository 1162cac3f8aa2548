#!/usr/bin/env node
/**
 * The CDK app: the only place that reads environment variables and context.
 * `cdk synth` works with no AWS credentials (environment-agnostic unless an account is given).
 */
import 'source-map-support/register';
import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { buildStageConfig, type StageConfig } from '../lib/config';
import { DataStack } from '../lib/stacks/data-stack';

const app = new App();
const stages = String(app.node.tryGetContext('stages') ?? 'dev,prod').split(',');

for (const stage of stages) {
  const config: StageConfig = buildStageConfig(stage, {
    account: app.node.tryGetContext(`${stage}:account`) ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: app.node.tryGetContext(`${stage}:region`),
  });
  const env = config.account ? { account: config.account, region: config.region } : { region: config.region };
  const data = new DataStack(app, `DxOps-${stage}-Data`, { env, config });
  Tags.of(data).add('project', 'dxops');
  Tags.of(data).add('stage', stage);
}

Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
Aspects.of(app).add(new HIPAASecurityChecks({ verbose: true }));
