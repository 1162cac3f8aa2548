import * as ort from 'onnxruntime-node';
import { SupportIndex, topIndices } from './listing';
import { type ProfileSource, suggestFindings } from './next-findings';
import type { CatalogDisease, DiseaseCategory, Evidences, Manifest, Vocabulary } from './package-types';
import { otherLabels, PhenotypeIndex, type SearchEntry } from './phenotype-index';
import { TermResolver, type Warning } from './term-resolver';

export type { Warning } from './term-resolver';

export type Sex = 'unknown' | 'female' | 'male';
const SEX_CODE: Record<Sex, bigint> = { unknown: 0n, female: 1n, male: 2n };

/** A request after parsing (native body or phenopacket): ids as sent, not yet resolved. */
export interface DiagnosisInput {
  readonly observed: readonly string[];
  readonly excluded: readonly string[];
  readonly evidences: readonly string[];
  readonly ageYears?: number;
  readonly sex: Sex;
  readonly topK: number;
}

/**
 * Below this many findings (observed phenotypes and questionnaire answers) the answer carries FEW_FINDINGS. Measured on
 * run 20261203-115222 (`fewFindings` in evaluation.json), findings drawn from held-out DDXPlus patients / simulated
 * rare-disease patients, top-1: one finding 0.38 / 0.07, two 0.64 / 0.28, three 0.83 / 0.57, four 0.88 / 0.69
 * (docs/model-card.md; 0.21 / 0.09 and 0.45 / 0.35 with one and two when the threshold was set).
 */
export const MIN_FINDINGS = 3;
/** How many leading candidates the findings to look for next are chosen to separate: the page shows ten. */
export const SUGGEST_AMONG = 10;

export interface Candidate {
  readonly rank: number;
  readonly diseaseId: string;
  readonly name: string;
  readonly category: DiseaseCategory;
  readonly probability: number;
  /** Genes `genes_to_disease` links to the disease (the test a clinician would order); none for common ones. */
  readonly genes: readonly string[];
  /** Other ids of the same disease (Orphanet or DECIPHER entries folded into this OMIM entry). */
  readonly xrefs: readonly string[];
  readonly supportingPhenotypes: string[];
  readonly contradictingPhenotypes: string[];
  /**
   * A disease without phenotype annotations of its own is ranked on the profiles of the annotated diseases that share
   * a gene with it (docs/model.md): those diseases. Its supporting findings are theirs too.
   */
  readonly profileFrom?: readonly string[];
}

/** A finding to examine next (next-findings.ts): it would best tell the leading candidates apart. */
export interface SuggestedFinding {
  readonly id: string;
  readonly label: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Expected information gain in bits about which of the leading candidates the patient has. */
  readonly informationGain: number;
  /** The leading candidates whose profile has it (or a more specific term), best first. */
  readonly foundIn: string[];
}

export interface Prediction {
  readonly modelVersion: string;
  /** The HPO release of the model's vocabulary (a phenopacket's metaData names it). */
  readonly hpoVersion: string;
  readonly differential: Candidate[];
  readonly orphanSuspicion: number;
  readonly specialistReview: boolean;
  readonly warnings: Warning[];
  readonly suggestedFindings: SuggestedFinding[];
  /** Resolved, de-duplicated findings actually fed to the model (audit and drift). */
  readonly observed: string[];
  readonly excluded: string[];
  /** The questionnaire tokens the model knows, as sent: the answers it used (audit, and so training). */
  readonly evidences: string[];
  /** The tokens sent that the model does not know (each an UNKNOWN_EVIDENCE warning): ignored, but audited. */
  readonly unknownEvidences: string[];
  readonly systems: string[];
}

/** A verified, warmed-up model package and the indexes built from it at load time. */
export class Model {
  public readonly phenotypes: PhenotypeIndex;
  /** Type-ahead over the catalog (names, xrefs, genes): a clinician correcting a diagnosis looks the disease up. */
  public readonly diseases: PhenotypeIndex;
  /** Ids to vocabulary rows (redirects followed), ancestors, and which terms are findings. */
  private readonly terms: TermResolver;
  private readonly tokenIndex: Map<string, number>;
  private readonly diseaseIndex: Map<string, number>;
  /** xref (an Orphanet or DECIPHER id folded into an OMIM entry) -> the entry that holds it. */
  private readonly xrefIndex = new Map<string, number>();
  private readonly diseaseTerms: number[][];
  /** diseaseTerms' annotated frequencies, in the same order (the findings to look for next weigh them). */
  private readonly diseaseFrequencies: number[][];
  /** The catalog's profiles over the vocabulary's ancestors, as the findings to look for next read them. */
  public readonly profiles: ProfileSource;
  private readonly diseaseExcluded: Set<number>[];
  /** Per disease, the catalog rows whose profiles it borrows (none for a disease with annotations of its own). */
  private readonly profileFrom: number[][];
  /** Which candidates the list shows: those an entered finding or answer supports (listing.ts). */
  public readonly support: SupportIndex;

  constructor(
    public readonly manifest: Manifest,
    public readonly catalog: readonly CatalogDisease[],
    public readonly vocabulary: Vocabulary,
    public readonly evidences: Evidences,
    private readonly session: ort.InferenceSession,
  ) {
    this.terms = new TermResolver(vocabulary);
    this.tokenIndex = new Map(evidences.tokens.map((t, i) => [t, i]));
    this.diseaseIndex = new Map(catalog.map((d, i) => [d.id, i]));
    catalog.forEach((d, i) => {
      for (const x of d.xrefs) if (!this.diseaseIndex.has(x) && !this.xrefIndex.has(x)) this.xrefIndex.set(x, i);
    });
    const known = (id: string) => this.terms.index(id);
    const own = catalog.map((d) =>
      d.phenotypes.flatMap((p) => {
        const i = known(p.id);
        return i === undefined ? [] : [{ i, frequency: p.frequency }];
      }),
    );
    this.profileFrom = catalog.map((d) =>
      d.annotated ? [] : (d.transferredFrom ?? []).flatMap((id) => this.diseaseIndex.get(id) ?? []),
    );
    const profiles = own.map((list, d) => (this.profileFrom[d].length ? borrowed(this.profileFrom[d], own) : list));
    this.diseaseTerms = profiles.map((list) => list.map((p) => p.i));
    this.diseaseFrequencies = profiles.map((list) => list.map((p) => p.frequency));
    this.profiles = {
      ancestors: this.terms.ancestors,
      terms: (d) => this.diseaseTerms[d],
      frequencies: (d) => this.diseaseFrequencies[d],
    };
    this.diseaseExcluded = catalog.map((d) => new Set(d.excludedPhenotypes.map(known).filter((i) => i !== undefined)));
    this.support = new SupportIndex(
      this.diseaseTerms,
      this.terms.ancestors,
      catalog.map((d) => d.evidences ?? []),
    );
    const annotatedIn = new Array<number>(vocabulary.terms.length).fill(0);
    for (const terms of this.diseaseTerms) for (const t of terms) annotatedIn[t]++;
    // The search offers findings only: an inheritance mode or onset term would be ignored (NOT_A_FINDING) once
    // entered. An obsolete or alternative id finds its current term, as a diagnosis request resolves it.
    const searchable = vocabulary.terms.flatMap((_, i) => (this.terms.isFinding(i) ? [i] : []));
    const findingIds = new Set(searchable.map((i) => vocabulary.terms[i].id));
    this.phenotypes = new PhenotypeIndex(
      searchable.map((i) => vocabulary.terms[i]),
      {
        popularity: searchable.map((i) => annotatedIn[i]),
        aliases: new Map([...this.terms.aliases()].filter(([, id]) => findingIds.has(id))),
      },
    );
    this.diseases = new PhenotypeIndex(
      // other-language names are searched too: a clinician types "neumonía" as well as "pneumonia"
      catalog.map((d) => ({
        id: d.id,
        label: d.name,
        // and the names of the entries folded into it: Orphanet's "Spinocerebellar ataxia type 6" finds OMIM's
        synonyms: [...(d.names?.en && d.names.en !== d.name ? [d.names.en] : []), ...(d.synonyms ?? [])],
        layperson: [],
        translations: translations(d),
      })),
      { neutral: catalog.map((d) => [...d.xrefs, ...d.genes]) },
    );
  }

  public get version(): string {
    return this.manifest.modelVersion;
  }

  public disease(id: string): CatalogDisease | undefined {
    const i = this.diseaseIndex.get(id);
    return i === undefined ? undefined : this.catalog[i];
  }

  /** The catalog entry served under `id`, or else the one that holds `id` as an xref (a folded twin). */
  public diseaseOrTwin(id: string): CatalogDisease | undefined {
    const i = this.diseaseIndex.get(id) ?? this.xrefIndex.get(id);
    return i === undefined ? undefined : this.catalog[i];
  }

  public term(id: string): Vocabulary['terms'][number] | undefined {
    const i = this.terms.index(id);
    return i === undefined ? undefined : this.vocabulary.terms[i];
  }

  public async predict(input: DiagnosisInput): Promise<Prediction> {
    const warnings: Warning[] = [];
    const observed = this.terms.resolveAll(input.observed, warnings);
    const excluded = this.terms.resolveAll(input.excluded, warnings).filter((i) => {
      if (!observed.includes(i)) return true;
      const id = this.vocabulary.terms[i].id;
      warnings.push({
        code: 'CONFLICTING_PHENOTYPE',
        id,
        message: `${id} is both observed and excluded; kept observed`,
      });
      return false;
    });
    const evidence = new Float32Array(this.manifest.counts.evidenceTokens);
    const evidences: string[] = [];
    const unknownEvidences: string[] = [];
    for (const token of input.evidences) {
      const i = this.tokenIndex.get(token);
      if (i === undefined) {
        unknownEvidences.push(token);
        warnings.push({ code: 'UNKNOWN_EVIDENCE', id: token, message: `${token} is not an evidence of this model` });
      } else {
        evidences.push(token);
        evidence[i] = 1;
      }
    }
    const findings = observed.length + evidence.reduce((n, v) => n + v, 0);
    if (findings < MIN_FINDINGS) {
      warnings.push({
        code: 'FEW_FINDINGS',
        id: String(findings),
        message:
          `${findings} finding${findings === 1 ? '' : 's'}: with fewer than ${MIN_FINDINGS} the first candidate is ` +
          'right for about a third (one finding) to two thirds (two) of common-disease patients and under a third of ' +
          'rare-disease patients; ' +
          'add more of what the patient has',
      });
    }
    const out = await this.run(observed, excluded, evidence, input.ageYears ?? -1, SEX_CODE[input.sex]);
    const probabilities = out.probabilities.data as Float32Array;
    const answered = [...new Set(evidences.map((t) => t.split('_@_')[0]))];
    let shown = this.support.listed(probabilities, Math.max(input.topK, SUGGEST_AMONG), observed, answered);
    if (shown.length === 0) {
      warnings.push({
        code: 'NO_SUPPORTED_CANDIDATE',
        id: String(observed.length),
        message:
          'no finding or answer given is in any candidate’s profile: the list is in the order of the probabilities ' +
          'alone; add what the patient has',
      });
      shown = topIndices(probabilities, Math.min(Math.max(input.topK, SUGGEST_AMONG), probabilities.length));
    }
    const top = shown.slice(0, input.topK);
    const differential = top.map((d, rank) => ({
      rank: rank + 1,
      diseaseId: this.catalog[d].id,
      name: this.catalog[d].name,
      ...(this.catalog[d].names ? { names: this.catalog[d].names } : {}),
      category: this.catalog[d].category,
      probability: probabilities[d],
      genes: this.catalog[d].genes,
      xrefs: this.catalog[d].xrefs,
      ...this.explain(d, observed, excluded),
      ...(this.profileFrom[d].length ? { profileFrom: this.profileFrom[d].map((r) => this.catalog[r].id) } : {}),
    }));
    const ids = (list: number[]) => list.map((i) => this.vocabulary.terms[i].id);
    return {
      modelVersion: this.version,
      hpoVersion: this.vocabulary.hpoVersion,
      differential,
      orphanSuspicion: (out.orphan_suspicion.data as Float32Array)[0],
      specialistReview: (differential[0]?.probability ?? 0) < this.manifest.thresholds.specialistReview,
      warnings,
      suggestedFindings: this.nextFindings(probabilities, shown.slice(0, SUGGEST_AMONG), observed, excluded),
      observed: ids(observed),
      excluded: ids(excluded),
      evidences,
      unknownEvidences,
      systems: observed.map((i) => this.vocabulary.terms[i].system).filter((s): s is string => s !== null),
    };
  }

  public async release(): Promise<void> {
    await this.session.release();
  }

  /** One inference on padding inputs, so the first real request does not pay for lazy initialisation. */
  public async warmUp(): Promise<void> {
    await this.run([], [], new Float32Array(this.manifest.counts.evidenceTokens), -1, 0n);
  }

  private run(observed: number[], excluded: number[], evidence: Float32Array, age: number, sex: bigint) {
    const pad = BigInt(this.manifest.counts.terms);
    const ints = (list: number[]) => (list.length ? BigInt64Array.from(list, BigInt) : BigInt64Array.of(pad));
    const obs = ints(observed);
    const exc = ints(excluded);
    return this.session.run({
      observed: new ort.Tensor('int64', obs, [obs.length]),
      excluded: new ort.Tensor('int64', exc, [exc.length]),
      evidence: new ort.Tensor('float32', evidence, [1, evidence.length]),
      age: new ort.Tensor('float32', Float32Array.of(age), [1]),
      sex: new ort.Tensor('int64', BigInt64Array.of(sex), [1]),
    });
  }

  /** The findings that would best separate the leading candidates the list shows, whatever topK the client asked for. */
  private nextFindings(
    probabilities: Float32Array,
    lead: number[],
    observed: number[],
    excluded: number[],
  ): SuggestedFinding[] {
    const picked = suggestFindings(
      lead.map((d) => ({ disease: d, probability: probabilities[d] })),
      observed,
      excluded,
      this.profiles,
    );
    return picked.map((s) => {
      const term = this.vocabulary.terms[s.term];
      const labels = otherLabels(term);
      return {
        id: term.id,
        label: term.label,
        ...(labels ? { labels } : {}),
        informationGain: Math.round(s.gain * 1000) / 1000,
        foundIn: s.foundIn.map((d) => this.catalog[d].id),
      };
    });
  }

  /** docs/model-package.md: a term supports a disease phenotype when equal, ancestor or descendant; same for contradicting. */
  private explain(d: number, observed: number[], excluded: number[]) {
    const related = (q: number) => this.support.related(d, q);
    const id = (i: number) => this.vocabulary.terms[i].id;
    return {
      supportingPhenotypes: observed.filter(related).map(id),
      contradictingPhenotypes: [
        ...excluded.filter(related),
        ...observed.filter((q) => this.diseaseExcluded[d].has(q)),
      ].map(id),
    };
  }
}

/** A disease's names in the other interface languages, as the index takes a term's translations. */
function translations(d: CatalogDisease): SearchEntry['translations'] {
  const out: Partial<Record<'es' | 'fr', { label: string; synonyms: string[] }>> = {};
  for (const lang of ['es', 'fr'] as const) {
    const name = d.names?.[lang];
    if (name && name !== d.name) out[lang] = { label: name, synonyms: [] };
  }
  return out;
}

type Profile = { i: number; frequency: number }[];

/**
 * The profile a disease without annotations is ranked on: the union of its relatives' terms, each at the highest
 * frequency a relative has it (common/orphan_model.py disease_profiles; the ranker also scales it by 0.9, a detail
 * the supporting findings do not depend on and the findings to look for next barely do).
 */
function borrowed(relatives: readonly number[], own: readonly Profile[]): Profile {
  const best = new Map<number, number>();
  for (const r of relatives) for (const p of own[r]) best.set(p.i, Math.max(best.get(p.i) ?? 0, p.frequency));
  return [...best].map(([i, frequency]) => ({ i, frequency }));
}
