import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildStageConfig, type StageOverrides } from '../../lib/config';
import { buildPlatform, type Platform, type PlatformSources } from '../../lib/platform';
import type { SageMakerTarget } from '../../lib/stacks/ml-stack';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

/** A minimal pipeline definition that echoes the target, so tests can check what the ML stack passes. */
export function fixtureDefinition(target: SageMakerTarget): Record<string, unknown> {
  return {
    Version: '2020-12-01',
    Parameters: [{ Name: 'ModelApprovalStatus', Type: 'String', DefaultValue: 'PendingManualApproval' }],
    Steps: [],
    Metadata: { target },
  };
}

/** An app with the feature flags of cdk.json, as `cdk synth` runs it. */
export function fixtureApp(): App {
  const cdkJson = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8'));
  return new App({ context: { ...cdkJson.context, '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
}

/** The asset sources of the fixture platform (no Docker, no AWS). */
export function fixtureSources(overrides: Partial<PlatformSources> = {}): PlatformSources {
  return {
    ingestion: { scriptPath: path.join(FIXTURES, 'glue_job.py'), packagesPath: path.join(FIXTURES, 'steps') },
    inferenceImage: path.join(FIXTURES, 'inference'),
    repositoryRoot: REPOSITORY_ROOT,
    pipelineDefinition: fixtureDefinition,
    ...overrides,
  };
}

/** Builds one stage's stacks from fixtures. */
export function fixturePlatform(
  stage = 'prod',
  overrides: StageOverrides = {},
  sources?: Partial<PlatformSources>,
): Platform {
  return buildPlatform(fixtureApp(), buildStageConfig(stage, overrides), fixtureSources(sources));
}
