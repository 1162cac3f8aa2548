import type { Vocabulary } from './package-types';

/** Something in a request the model could not use as sent; the request is answered with the rest (docs/api.md). */
export interface Warning {
  readonly code:
    | 'UNKNOWN_PHENOTYPE'
    | 'REDIRECTED_PHENOTYPE'
    | 'DUPLICATE_PHENOTYPE'
    | 'CONFLICTING_PHENOTYPE'
    | 'NOT_A_FINDING'
    | 'UNKNOWN_EVIDENCE'
    | 'FEW_FINDINGS'
    | 'NO_SUPPORTED_CANDIDATE';
  readonly id: string;
  readonly message: string;
}

/** Follow alt/obsolete redirects a bounded number of times: a cycle in a bad vocabulary must not hang a request. */
const MAX_REDIRECTS = 8;

/**
 * The root of the findings: a patient's finding is a term below Phenotypic abnormality. HPO's other subtrees are
 * modes of inheritance, onset, clinical modifiers, frequencies, past medical history and blood groups; those and the
 * two roots (HP:0000001 All, HP:0000118 itself) describe a finding or a disease, not the patient. Counted as
 * findings, the roots were in every candidate's supportingPhenotypes (hiding NO_SUPPORTED_CANDIDATE) and an onset or
 * inheritance term kept FEW_FINDINGS from firing.
 */
export const PHENOTYPIC_ABNORMALITY = 'HP:0000118';

/**
 * The vocabulary as requests use it: ids resolved through alt/obsolete redirects to vocabulary rows, every term's
 * ancestors, and which terms are findings.
 */
export class TermResolver {
  private readonly termIndex: Map<string, number>;
  /** A Map, not the package's object: an id such as "constructor" must not find Object.prototype's. */
  private readonly redirects: Map<string, string>;
  /** Ancestors of every term, itself included: supporting/contradicting findings compare through them. */
  public readonly ancestors: Set<number>[];
  private readonly findings: boolean[];

  constructor(private readonly vocabulary: Vocabulary) {
    this.termIndex = new Map(vocabulary.terms.map((t, i) => [t.id, i]));
    this.redirects = new Map(Object.entries(vocabulary.redirects));
    this.ancestors = vocabulary.terms.map(() => new Set<number>());
    for (let i = 0; i < vocabulary.terms.length; i++) this.collectAncestors(i);
    const root = this.termIndex.get(PHENOTYPIC_ABNORMALITY);
    // a vocabulary without the root cannot tell; every term then counts, as before the root was checked
    this.findings = this.ancestors.map((up, i) => root === undefined || (i !== root && up.has(root)));
  }

  public index(id: string): number | undefined {
    return this.termIndex.get(id);
  }

  /** Whether a vocabulary row can be a patient's finding (under Phenotypic abnormality). */
  public isFinding(i: number): boolean {
    return this.findings[i];
  }

  /** The vocabulary row an id stands for, following redirects, or undefined when it stands for none. */
  public current(id: string): number | undefined {
    let next: string | undefined = id;
    for (let hops = 0; next !== undefined && hops <= MAX_REDIRECTS; hops++) {
      const i = this.termIndex.get(next);
      if (i !== undefined) return i;
      next = this.redirects.get(next);
    }
    return undefined;
  }

  /** Every alt or obsolete id that leads to a vocabulary row -> that row's id (the phenotype search finds them). */
  public aliases(): Map<string, string> {
    const out = new Map<string, string>();
    for (const id of this.redirects.keys()) {
      const i = this.current(id);
      if (i !== undefined && !this.termIndex.has(id)) out.set(id, this.vocabulary.terms[i].id);
    }
    return out;
  }

  /** Ids as sent -> the findings they stand for, each once, with a warning for every id not used as sent. */
  public resolveAll(ids: readonly string[], warnings: Warning[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const i = this.resolve(id, warnings);
      if (i === undefined) continue;
      const resolved = this.vocabulary.terms[i];
      if (!this.findings[i]) {
        warnings.push({
          code: 'NOT_A_FINDING',
          id,
          message:
            `${resolved.id} (${resolved.label}) is not a phenotypic abnormality (a term under ` +
            `${PHENOTYPIC_ABNORMALITY}): an inheritance mode, onset, modifier or a root term says nothing of the ` +
            'patient here; ignored',
        });
      } else if (out.includes(i)) {
        warnings.push({ code: 'DUPLICATE_PHENOTYPE', id, message: `${id} repeats ${resolved.id}; counted once` });
      } else out.push(i);
    }
    return out;
  }

  private resolve(id: string, warnings: Warning[]): number | undefined {
    const i = this.current(id);
    if (i === undefined) {
      warnings.push({
        code: 'UNKNOWN_PHENOTYPE',
        id,
        message: `${id} is not in the model's vocabulary (HPO ${this.vocabulary.hpoVersion}); ignored`,
      });
    } else if (this.vocabulary.terms[i].id !== id) {
      warnings.push({
        code: 'REDIRECTED_PHENOTYPE',
        id,
        message: `${id} is obsolete or an alternative id; used ${this.vocabulary.terms[i].id}`,
      });
    }
    return i;
  }

  private collectAncestors(start: number): void {
    const set = this.ancestors[start];
    const stack = [start];
    while (stack.length) {
      const i = stack.pop() as number;
      if (set.has(i)) continue;
      set.add(i);
      for (const p of this.vocabulary.terms[i].parents) stack.push(p);
    }
  }
}
