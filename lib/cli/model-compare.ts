/**
 * `dxops models compare A B`: every headline metric of two versions side by side with the change, the ones that
 * got worse by more than the gate's tolerance marked, and the training inputs whose content differs. The same for
 * the local registry and the SageMaker model package group: both keep the metrics registryMetrics() selects.
 */
import type { ModelVersionView } from './model-views';
import { pct, table } from './output';

/** The gate's regression tolerance (evaluate/gate.py): a drop larger than this against the champion fails it. */
export const DEFAULT_TOLERANCE = 0.02;

export type Direction = 'higher' | 'lower' | 'neutral';

export interface MetricRow {
  readonly metric: string;
  readonly a?: number;
  readonly b?: number;
  readonly delta?: number;
  readonly direction: Direction;
  /** B is worse than A by more than the tolerance, in the metric's direction. */
  readonly regression: boolean;
}

export interface LineageChange {
  readonly uri: string;
  readonly a?: string;
  readonly b?: string;
}

export interface Comparison {
  readonly a: number;
  readonly b: number;
  readonly tolerance: number;
  readonly rows: MetricRow[];
  readonly regressions: string[];
  /** Evaluation sets whose size differs: their metrics are not measured on the same cases. */
  readonly differentSets: string[];
  /** Training inputs (manifest lineage) whose content hash differs; undefined when a manifest could not be read. */
  readonly lineage?: LineageChange[];
  readonly lineageError?: string;
}

const HIGHER = new Set(['top1', 'top3', 'top10', 'mrr', 'macroF1', 'commonVsOrphanAuroc']);
const LOWER = new Set(['ece']);
// per-disease recalls and the gate's own record are not headline metrics
const SKIP = new Set(['perDisease', 'gate']);

export function direction(path: string): Direction {
  const last = path.split('.').pop() ?? '';
  if (HIGHER.has(last)) return 'higher';
  if (LOWER.has(last)) return 'lower';
  return 'neutral';
}

/** Numeric leaves of a metrics object, by dotted path. */
export function flatten(metrics: Record<string, unknown> | undefined, prefix = ''): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(metrics ?? {})) {
    if (SKIP.has(k)) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out.set(path, v);
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [p, n] of flatten(v as Record<string, unknown>, path)) out.set(p, n);
  }
  return out;
}

export function compareVersions(
  a: ModelVersionView,
  b: ModelVersionView,
  tolerance = DEFAULT_TOLERANCE,
): Omit<Comparison, 'lineage' | 'lineageError'> {
  const left = flatten(a.metrics);
  const right = flatten(b.metrics);
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  const rows = paths.map((path): MetricRow => {
    const x = left.get(path);
    const y = right.get(path);
    const dir = direction(path);
    const delta = x !== undefined && y !== undefined ? Math.round((y - x) * 10000) / 10000 : undefined;
    const worse = delta === undefined ? 0 : dir === 'higher' ? -delta : dir === 'lower' ? delta : 0;
    return { metric: path, a: x, b: y, delta, direction: dir, regression: worse > tolerance + 1e-9 };
  });
  const differentSets = rows
    .filter((r) => r.metric.endsWith('.n') && r.delta !== undefined && r.delta !== 0)
    .map((r) => r.metric.slice(0, -2));
  return {
    a: a.version,
    b: b.version,
    tolerance,
    rows,
    regressions: rows.filter((r) => r.regression).map((r) => r.metric),
    differentSets,
  };
}

export interface CompareOptions {
  readonly all: boolean;
  readonly tolerance: number;
}

export type Lineage = readonly { uri: string; sha256: string }[];

/**
 * The comparison of two versions, with the training inputs that differ as read by `readLineage` (a package's
 * manifest on disk or in S3); a manifest that cannot be read leaves the metrics compared and says why.
 */
export async function compareWithLineage<V extends ModelVersionView>(
  a: V,
  b: V,
  tolerance: number,
  readLineage: (v: V) => Lineage | Promise<Lineage>,
): Promise<Comparison> {
  try {
    const lineage = lineageChanges(await readLineage(a), await readLineage(b));
    return { ...compareVersions(a, b, tolerance), lineage };
  } catch (err) {
    const lineageError = `a manifest could not be read: ${(err as Error).name}: ${(err as Error).message}`;
    return { ...compareVersions(a, b, tolerance), lineageError };
  }
}

/** Inputs of the two manifests' `lineage` whose sha256 differs, or that only one of them lists. */
export function lineageChanges(a: Lineage, b: Lineage): LineageChange[] {
  const left = new Map(a.map((x) => [x.uri, x.sha256]));
  const right = new Map(b.map((x) => [x.uri, x.sha256]));
  return [...new Set([...left.keys(), ...right.keys()])]
    .filter((uri) => left.get(uri) !== right.get(uri))
    .map((uri) => ({ uri, a: left.get(uri), b: right.get(uri) }));
}

/** Counts as integers, rates with three decimals (as `models list`). */
const value = (v: number | undefined) => (v !== undefined && Number.isInteger(v) && v > 1 ? String(v) : pct(v));

export function comparisonText(c: Comparison, all: boolean): string {
  const shown = all ? c.rows : c.rows.filter((r) => r.delta !== 0);
  const sign = (d: number | undefined) => (d === undefined ? '-' : d > 0 ? `+${d.toFixed(4)}` : d.toFixed(4));
  const lines = [
    shown.length
      ? table(
          ['metric', `v${c.a}`, `v${c.b}`, 'change', ''],
          shown.map((r) => [
            r.metric,
            value(r.a),
            value(r.b),
            sign(r.delta),
            r.regression ? `worse by more than ${c.tolerance}` : '',
          ]),
        )
      : `the ${c.rows.length} metrics of versions ${c.a} and ${c.b} are identical`,
  ];
  if (!all && shown.length && shown.length < c.rows.length)
    lines.push(`(${c.rows.length - shown.length} identical metrics not shown; --all shows them)`);
  for (const set of c.differentSets)
    lines.push(`${set}: the evaluation sets differ in size, so its metrics are not measured on the same cases`);
  lines.push(
    c.regressions.length
      ? `${c.regressions.length} metric(s) of version ${c.b} worse than version ${c.a} by more than ${c.tolerance}`
      : `no metric of version ${c.b} is worse than version ${c.a} by more than ${c.tolerance}`,
  );
  if (c.lineageError) lines.push(`training inputs: not compared (${c.lineageError})`);
  else if (c.lineage && !c.lineage.length) lines.push('training inputs: identical content (manifest lineage)');
  else if (c.lineage) {
    lines.push('training inputs that differ (manifest lineage, sha256):');
    for (const l of c.lineage)
      lines.push(`  ${l.uri}: ${l.a?.slice(0, 12) ?? 'absent'} -> ${l.b?.slice(0, 12) ?? 'absent'}`);
  }
  return lines.join('\n');
}
