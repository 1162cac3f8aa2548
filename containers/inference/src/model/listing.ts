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
  private readonly termDiseases: Int32Array[];
  /** Per term, the diseases whose profile has it or a term below it (a finding there is more general). */
  private readonly reachDiseases: Int32Array[];

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
      for (const d of this.reachDiseases[q]) keep[d] = 1;
      for (const a of this.ancestors[q]) for (const d of this.termDiseases[a]) keep[d] = 1;
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
 * Per term, the diseases whose profile has the term, and those whose profile has it or a term below it (each list
 * ascending, as the catalog). About 0.4 s of the real package's load and 45 MB of resident memory (`npm run bench`
 * peak RSS 488–495 MB against 443–445 MB without them): the supported set of a request then costs the lengths of its
 * findings' lists.
 */
function diseasesByTerm(
  diseaseTerms: readonly number[][],
  ancestors: readonly Set<number>[],
): [Int32Array[], Int32Array[]] {
  const direct: number[][] = ancestors.map(() => []);
  const reach: number[][] = ancestors.map(() => []);
  diseaseTerms.forEach((terms, d) => {
    const closure = new Set<number>();
    for (const t of terms) {
      direct[t].push(d);
      for (const a of ancestors[t]) closure.add(a);
    }
    for (const a of closure) reach[a].push(d);
  });
  const pack = (lists: number[][]) => lists.map((l) => Int32Array.from(new Set(l)));
  return [pack(direct), pack(reach)];
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
