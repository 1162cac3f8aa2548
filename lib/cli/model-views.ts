/** How a model version is shown, the same for the local registry and the SageMaker model package group. */
import { pct, table } from './output';

export interface ModelVersionView {
  readonly version: number;
  readonly status: string;
  readonly createdAt?: string;
  readonly modelVersion?: string;
  readonly statusReason?: string;
  /** The registry's headline metrics (docs/model-package.md), when known. */
  readonly metrics?: Record<string, unknown>;
}

export const KEY_METRICS: [string, string][] = [
  ['common', 'common.complete.top1'],
  ['half-ev', 'common.halfEvidence.top1'],
  ['kaggle½', 'common.kaggleHalfFindings.top1'],
  ['orphan sim@10', 'orphan.simulated.top10'],
  ['orphan lit@10', 'orphan.timesplit.top10'],
  // the same literature cases on the list the service returns (common diseases may take ranks), what clinicians read
  ['lit served@10', 'orphan.timesplitCombined.top10'],
  // the harder literature set: one publication's findings against its disease's profile rebuilt without them
  ['lopo@10', 'orphan.lopo.top10'],
  // what a clinician types: four random findings, the characteristic findings of the diseases clinicians meet
  // most, and the textbook vignettes (20 cases: a sanity check)
  ['orphan few@10', 'orphan.simulatedFewFindings.top10'],
  ['entry@10', 'orphan.clinicianEntry.top10'],
  ['vignettes@10', 'orphan.vignettes.top10'],
];

export function metric(metrics: Record<string, unknown> | undefined, path: string): unknown {
  return path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], metrics);
}

/** Versions with their key metrics side by side; `*` marks the served one. */
export function versionsTable(versions: readonly ModelVersionView[], served: number | undefined): string {
  return table(
    ['version', 'status', ...KEY_METRICS.map(([h]) => h), 'created', 'model version'],
    versions.map((p) => [
      `${p.version}${p.version === served ? '*' : ''}`,
      p.status,
      ...KEY_METRICS.map(([, path]) => pct(metric(p.metrics, path))),
      p.createdAt?.slice(0, 16),
      p.modelVersion,
    ]),
  );
}

/** One version: status with its reason, provenance lines, key metrics, and each evaluation set's calibration. */
export function versionDetail(p: ModelVersionView, provenance: string[]): string {
  return [
    `version ${p.version} (${p.status}${p.statusReason ? `: ${p.statusReason}` : ''})`,
    ...provenance,
    ...KEY_METRICS.map(([h, path]) => `  ${h.padEnd(14)} ${pct(metric(p.metrics, path)) ?? '-'}`),
    ...calibrationLines(metric(p.metrics, 'calibration.bySet')),
  ].join('\n');
}

interface SetCalibration {
  readonly n: number;
  readonly ece: number;
  readonly meanTopProbability?: number;
  readonly topRight?: number;
}

/**
 * Per set (calibration.bySet, evaluate.py): the error, and the first probability shown against the share of first
 * places right, which says which way a set is off (the literature cases are overconfident, docs/model-card.md).
 */
function calibrationLines(bySet: unknown): string[] {
  if (!bySet || typeof bySet !== 'object') return [];
  const rows = Object.entries(bySet as Record<string, SetCalibration>).map(
    ([name, c]) =>
      `    ${name.padEnd(18)} ${pct(c.ece) ?? '-'}  ${pct(c.meanTopProbability) ?? '-'} / ${pct(c.topRight) ?? '-'}` +
      `  (n ${c.n})`,
  );
  return ['  calibration        error  first shown / first right', ...rows];
}
