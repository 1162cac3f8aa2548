/**
 * Which findings to look for next: the phenotypes whose presence or absence would best tell the leading candidates
 * apart. A clinician who entered four findings often gets ten rare diseases that explain all four alike; what
 * separates them is a finding not yet examined. The choice is the expected information gain about which of the
 * leading candidates it is, the question a good differential-diagnosis interview asks (Phenomizer's and maxodiff's
 * "which feature next"), computed from the candidates' annotated profiles:
 *
 *   gain(u) = H(P(u present)) - sum_i p_i H(q_i(u)),
 *
 * the mutual information between the diagnosis (among the leading candidates, probabilities renormalized) and the
 * answer, where q_i(u) is the chance that a patient with candidate i shows u: the largest annotated frequency of u
 * or of a more specific term (a patient with focal seizures has seizures), else a small background chance, since a
 * patient can have a finding their disease's annotations do not list.
 */

export interface ProfileSource {
  /** Every term's ancestors, itself included. */
  readonly ancestors: readonly ReadonlySet<number>[];
  /** A candidate's annotated terms and, in the same order, their frequencies. */
  terms(disease: number): readonly number[];
  frequencies(disease: number): readonly number[];
}

export interface SuggestedFindingIndex {
  readonly term: number;
  /** Expected information gain, in bits, about which of the leading candidates the patient has. */
  readonly gain: number;
  /** The candidates whose profile has the term (or a more specific one), best first. */
  readonly foundIn: number[];
}

export interface SuggestOptions {
  readonly limit: number;
  /** q for a candidate whose profile lacks the term (docs/model.md, "Findings to look for next"). */
  readonly background: number;
  /** Below this gain (bits) a finding is not worth an examination and is not suggested. */
  readonly minGain: number;
}

export const SUGGEST_DEFAULTS: SuggestOptions = { limit: 5, background: 0.05, minGain: 0.02 };

const binaryEntropy = (q: number) => (q <= 0 || q >= 1 ? 0 : -(q * Math.log2(q) + (1 - q) * Math.log2(1 - q)));

/**
 * Up to `limit` findings, best first, none of them entered already, implied by an entered finding (an ancestor of
 * an observed term, a descendant of an excluded one) or related to one suggested before it (asking for a term and
 * its parent asks twice).
 */
export function suggestFindings(
  candidates: readonly { readonly disease: number; readonly probability: number }[],
  observed: readonly number[],
  excluded: readonly number[],
  profiles: ProfileSource,
  options: SuggestOptions = SUGGEST_DEFAULTS,
): SuggestedFindingIndex[] {
  const total = candidates.reduce((s, c) => s + c.probability, 0);
  if (candidates.length < 2 || !(total > 0)) return [];
  const p = candidates.map((c) => c.probability / total);
  // q_i(u) for every u at or above candidate i's annotated terms: the largest frequency below it
  const closure = candidates.map(({ disease }) => {
    const q = new Map<number, number>();
    const freq = profiles.frequencies(disease);
    profiles.terms(disease).forEach((t, j) => {
      for (const a of profiles.ancestors[t]) if ((q.get(a) ?? 0) < freq[j]) q.set(a, freq[j]);
    });
    return q;
  });
  const known = new Set<number>();
  for (const o of observed) for (const a of profiles.ancestors[o]) known.add(a);
  const isExcluded = (u: number) => excluded.some((e) => profiles.ancestors[u].has(e));
  const seen = new Set<number>();
  const scored: SuggestedFindingIndex[] = [];
  for (const { disease } of candidates) {
    for (const u of profiles.terms(disease)) {
      if (seen.has(u)) continue;
      seen.add(u);
      if (known.has(u) || isExcluded(u)) continue;
      let yes = 0;
      let conditional = 0;
      const foundIn: number[] = [];
      closure.forEach((q, i) => {
        const has = q.get(u);
        const qi = Math.max(has ?? 0, options.background);
        yes += p[i] * qi;
        conditional += p[i] * binaryEntropy(qi);
        if (has !== undefined) foundIn.push(candidates[i].disease);
      });
      const gain = binaryEntropy(yes) - conditional;
      if (gain >= options.minGain) scored.push({ term: u, gain, foundIn });
    }
  }
  // ties (equal profiles) by term index, so the answer does not depend on the candidates' iteration order
  scored.sort((a, b) => b.gain - a.gain || a.term - b.term);
  const picked: SuggestedFindingIndex[] = [];
  for (const s of scored) {
    if (picked.length === options.limit) break;
    const related = picked.some(
      (x) => profiles.ancestors[s.term].has(x.term) || profiles.ancestors[x.term].has(s.term),
    );
    if (!related) picked.push(s);
  }
  return picked;
}
