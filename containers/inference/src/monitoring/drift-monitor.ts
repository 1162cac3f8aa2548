import type { DriftFamilyBaseline } from '../model/package-types';

/** One prediction as the drift statistics see it (no identifiers: bands and categories only). */
export interface DriftObservation {
  readonly ageBand: string;
  readonly sex: string;
  readonly phenotypeCount: number;
  readonly systems: readonly string[];
  readonly topProbability: number;
  readonly predictedCategory: string;
}

export const AGE_BANDS = ['unknown', '0-1', '2-5', '6-17', '18-39', '40-64', '65+'] as const;
/** docs/model-package.md: shares are floored at 1e-4 so an empty bin does not make the PSI infinite. */
const FLOOR = 1e-4;

/** Age in whole years to its band; `undefined` is `unknown`. */
export function ageBand(years: number | undefined): (typeof AGE_BANDS)[number] {
  if (years === undefined || years < 0) return 'unknown';
  const y = Math.floor(years);
  if (y <= 1) return '0-1';
  if (y <= 5) return '2-5';
  if (y <= 17) return '6-17';
  if (y <= 39) return '18-39';
  return y <= 64 ? '40-64' : '65+';
}

function countBin(n: number): string {
  if (n <= 1) return String(n);
  if (n <= 3) return '2-3';
  if (n <= 7) return '4-7';
  return n <= 15 ? '8-15' : '16+';
}

/** Bin labels of the observation in one family (several for `system`, none for an unknown value). */
function binsOf(family: string, o: DriftObservation): string[] {
  switch (family) {
    case 'ageBand':
      return [o.ageBand];
    case 'sex':
      return [o.sex];
    case 'phenotypeCount':
      return [countBin(o.phenotypeCount)];
    case 'system':
      return [...o.systems];
    case 'confidence': {
      const i = Math.min(9, Math.max(0, Math.floor(o.topProbability * 10)));
      return [`${(i / 10).toFixed(1)}-${((i + 1) / 10).toFixed(1)}`];
    }
    case 'predictedCategory':
      return [o.predictedCategory];
    default:
      return [];
  }
}

/** PSI = Σ (a - e) · ln(a / e) with both shares floored. */
export function psi(actual: readonly number[], expected: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Math.max(actual[i] ?? 0, FLOOR);
    const e = Math.max(expected[i], FLOOR);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/**
 * Histograms per feature family over a sliding window of the last `window` predictions, compared with the
 * manifest's baseline. Counts are kept incrementally: adding a request and evicting the oldest is O(bins touched).
 */
export class DriftMonitor {
  private readonly ring: (number[][] | undefined)[];
  private next = 0;
  private readonly counts = new Map<string, number[]>();
  private readonly binIndex = new Map<string, Map<string, number>>();

  constructor(
    private readonly baseline: Readonly<Record<string, DriftFamilyBaseline>>,
    window: number,
  ) {
    this.ring = new Array(window);
    for (const [family, b] of Object.entries(baseline)) {
      this.counts.set(family, new Array(b.bins.length).fill(0));
      this.binIndex.set(family, new Map(b.bins.map((bin, i) => [bin, i])));
    }
  }

  public get size(): number {
    return this.ring.filter(Boolean).length;
  }

  public add(o: DriftObservation): void {
    const families = [...this.counts.keys()];
    const entry = families.map((f) =>
      binsOf(f, o)
        .map((bin) => this.binIndex.get(f)?.get(bin))
        .filter((i): i is number => i !== undefined),
    );
    this.apply(this.ring[this.next], -1);
    this.ring[this.next] = entry;
    this.apply(entry, 1);
    this.next = (this.next + 1) % this.ring.length;
  }

  /** PSI per family; families with no counted observation yet are left out. */
  public psi(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [family, counts] of this.counts) {
      const total = counts.reduce((a, b) => a + b, 0);
      if (total > 0)
        out[family] = psi(
          counts.map((c) => c / total),
          this.baseline[family].expected,
        );
    }
    return out;
  }

  private apply(entry: number[][] | undefined, sign: 1 | -1): void {
    if (!entry) return;
    [...this.counts.values()].forEach((counts, f) => {
      for (const i of entry[f]) counts[i] += sign;
    });
  }
}
