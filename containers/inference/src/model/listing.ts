/**
 * Which candidates the differential lists, and in what order: by probability, leaving out those nothing entered
 * supports (pipelines/steps/common/support.py is the same rule for the evaluation). A candidate is supported when an
 * observed finding is one of its profile terms, an ancestor or a descendant of one (its `supportingPhenotypes`), or
 * when an answer is among its condition's evidence codes. An unsupported candidate has only the prior's share: with
 * three findings of Wilson disease the common side's third of a percent, spread over its 83 diseases, put HIV
 * disease, asthma and allergic sinusitis 7th, 8th and 10th, before rare diseases with a cirrhosis
 * (docs/model-card-history.md).
 */

/** Leading candidates checked one by one for support before the supported set is built for the whole catalog. */
const FIRST_SCAN = 60;

export class SupportIndex {
  /** Per disease, the questionnaire evidence codes of its condition (DDXPlus entries; empty elsewhere). */
  private readonly evidenceCodes: Set<string>[];
  /** Per term, the diseases whose profile has it (a finding at or below it is as specific or more). */
  private readonly termDiseases: PackedLists;
  /** Per term, the diseases whose profile has it or a term below it (a finding there is more general). */
  private readonly reachDiseases: PackedLists;

  /**
   * `diseaseTerms`: each catalog disease's profile (its own, or its gene relatives' it is ranked on); `ancestors`:
   * every term's ancestors, itself included.
   */
  constructor(
    private readonly diseaseTerms: readonly number[][],
    private readonly ancestors: readonly Set<number>[],
    evidences: readonly (readonly string[])[],
  ) {
    this.evidenceCodes = evidences.map((codes) => new Set(codes));
    [this.termDiseases, this.reachDiseases] = diseasesByTerm(diseaseTerms, ancestors);
  }

  /** Whether finding q is one of disease d's profile terms, an ancestor or a descendant of one. */
  public related(d: number, q: number): boolean {
    // A plain loop over the disease's terms with q's ancestors looked up once: this runs for every finding of every
    // listed candidate (profiles of up to a few hundred terms with the full catalog).
    const up = this.ancestors[q];
    for (const p of this.diseaseTerms[d]) if (up.has(p) || this.ancestors[p].has(q)) return true;
    return false;
  }

  /** The first `k` candidates by probability that an observed finding or an answered evidence code supports. */
  public listed(probabilities: Float32Array, k: number, observed: number[], answered: string[]): number[] {
    // The leading candidates one by one first: most requests find theirs there (242 of the bench pool's 256). Else
    // the whole supported set from the per-term disease lists (about 0.2 ms, a few thousand entries): checking
    // candidates one by one down the sorted catalog made such a request take up to 6.7 ms.
    const supports = (d: number) =>
      observed.some((q) => this.related(d, q)) || answered.some((c) => this.evidenceCodes[d].has(c));
    const first = topIndices(probabilities, Math.min(FIRST_SCAN, probabilities.length));
    const out: number[] = [];
    for (const d of first) if (supports(d) && out.push(d) === k) return out;
    if (first.length === probabilities.length) return out;
    const keep = this.mask(observed, answered);
    const masked = probabilities.map((p, d) => (keep[d] ? p : -1));
    return topIndices(masked, Math.min(k, masked.length)).filter((d) => keep[d]);
  }

  /** 1 for each disease an observed finding or an answer supports (as `related` and the evidence codes say). */
  public mask(observed: number[], answered: string[]): Uint8Array {
    const keep = new Uint8Array(this.diseaseTerms.length);
    for (const q of observed) {
      this.reachDiseases.mark(q, keep);
      for (const a of this.ancestors[q]) this.termDiseases.mark(a, keep);
    }
    if (answered.length) {
      this.evidenceCodes.forEach((codes, d) => {
        if (codes.size && answered.some((c) => codes.has(c))) keep[d] = 1;
      });
    }
    return keep;
  }
}

/**
 * Integer lists packed end to end in two typed arrays (list i is `values[offsets[i]]` to `values[offsets[i + 1] - 1]`):
 * one array per list cost a header each and, while they were built as number arrays, 8 bytes an entry.
 */
export class PackedLists {
  constructor(
    private readonly offsets: Int32Array,
    private readonly values: Int32Array,
  ) {}

  /** Set `out[v] = 1` for every value v of list i. */
  public mark(i: number, out: Uint8Array): void {
    for (let j = this.offsets[i], end = this.offsets[i + 1]; j < end; j++) out[this.values[j]] = 1;
  }

  /**
   * Lists `0 .. n - 1` from `each(visit)`, which calls `visit(list, value)` in the order the values are to be
   * stored: it is called twice, once to count each list's length and once to fill them, so nothing else is held.
   */
  public static build(n: number, each: (visit: (list: number, value: number) => void) => void): PackedLists {
    const offsets = new Int32Array(n + 1);
    each((list) => {
      offsets[list + 1]++;
    });
    for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
    const values = new Int32Array(offsets[n]);
    const next = offsets.slice(0, n);
    each((list, value) => {
      values[next[list]++] = value;
    });
    return new PackedLists(offsets, values);
  }
}

/**
 * Per term, the diseases whose profile has the term, and those whose profile has it or a term below it (each list
 * ascending, as the catalog, without repeats). Built in two passes over the catalog into packed typed arrays: the
 * supported set of a request then costs the lengths of its findings' lists. With one number array per term, then one
 * Int32Array, they took about 0.4 s of the real package's load and 45 MB of resident memory (`npm run bench` peak
 * RSS 488–495 MB against 443–445 MB without them); see docs/performance.md for the packed layout's figures.
 */
function diseasesByTerm(
  diseaseTerms: readonly number[][],
  ancestors: readonly Set<number>[],
): [PackedLists, PackedLists] {
  const direct = PackedLists.build(ancestors.length, (visit) => {
    diseaseTerms.forEach((terms, d) => {
      for (const t of new Set(terms)) visit(t, d);
    });
  });
  const reach = PackedLists.build(ancestors.length, (visit) => {
    diseaseTerms.forEach((terms, d) => {
      const closure = new Set<number>();
      for (const t of terms) for (const a of ancestors[t]) closure.add(a);
      for (const a of closure) visit(a, d);
    });
  });
  return [direct, reach];
}

/** Indices of the k largest values, best first, without sorting the whole (possibly 12,000-long) output. */
export function topIndices(values: Float32Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (top.length === k && values[i] <= values[top[k - 1]]) continue;
    let j = top.length === k ? k - 1 : top.length;
    while (j > 0 && values[top[j - 1]] < values[i]) {
      if (j < k) top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  return top.slice(0, k);
}
