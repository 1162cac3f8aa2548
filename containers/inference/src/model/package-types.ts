/** The files of a model package, as docs/model-package.md defines them. Only the fields the service reads. */

export const SUPPORTED_SCHEMA_VERSIONS = [1];
export const PACKAGE_FILES = ['model', 'catalog', 'vocabulary', 'evidences'] as const;
export type PackageFile = (typeof PACKAGE_FILES)[number];

export interface DriftFamilyBaseline {
  readonly bins: readonly string[];
  readonly expected: readonly number[];
}

export interface Manifest {
  readonly schemaVersion: number;
  readonly modelVersion: string;
  readonly createdAt: string;
  readonly hpoVersion: string;
  readonly files: Record<PackageFile, { readonly path: string; readonly sha256: string }>;
  readonly counts: { readonly terms: number; readonly diseases: number; readonly evidenceTokens: number };
  readonly thresholds: { readonly specialistReview: number; readonly orphanSuspicion: number };
  readonly driftBaseline?: { readonly families: Record<string, DriftFamilyBaseline> };
}

export type DiseaseCategory = 'common' | 'orphan';

/** A disease's name per interface language, where the catalog has one (the common diseases: en, es, DDXPlus fr). */
export interface DiseaseNames {
  readonly en?: string;
  readonly es?: string;
  readonly fr?: string;
}

export interface CatalogDisease {
  readonly id: string;
  readonly name: string;
  readonly names?: DiseaseNames;
  /** Other names of the disease: those of the Orphanet and DECIPHER entries folded into it (searched, not shown). */
  readonly synonyms?: readonly string[];
  readonly category: DiseaseCategory;
  readonly xrefs: readonly string[];
  readonly annotated: boolean;
  readonly phenotypes: readonly { readonly id: string; readonly frequency: number }[];
  readonly excludedPhenotypes: readonly string[];
  readonly genes: readonly string[];
  /** For a disease without annotations of its own: the annotated diseases sharing a gene it is ranked on. */
  readonly transferredFrom?: readonly string[];
  /** A DDXPlus condition's questionnaire evidence codes (`E_91`): an answer among them speaks for it. */
  readonly evidences?: readonly string[];
}

/** A term's label and synonyms in another language (the knowledge base's hpo-labels-es mapping: `es`). */
export interface TermTranslation {
  readonly label: string;
  readonly synonyms: readonly string[];
}

export interface VocabularyTerm {
  readonly id: string;
  readonly label: string;
  readonly translations?: Readonly<Partial<Record<'es' | 'fr', TermTranslation>>>;
  readonly synonyms: readonly string[];
  readonly layperson: readonly string[];
  readonly parents: readonly number[];
  readonly system: string | null;
}

export interface Vocabulary {
  readonly hpoVersion: string;
  readonly terms: readonly VocabularyTerm[];
  readonly redirects: Readonly<Record<string, string>>;
}

export interface Evidences {
  readonly tokens: readonly string[];
}

/** Contract inputs and outputs of model.onnx; a graph with other names is refused. */
export const ONNX_INPUTS = ['observed', 'excluded', 'evidence', 'age', 'sex'];
export const ONNX_OUTPUTS = ['probabilities', 'orphan_suspicion'];
