/**
 * `dxops evaluate`: metrics of a model on a labeled file, without retraining: a package of the local registry run
 * through the same code the service uses (containers/inference/src/model), or a running service (local or deployed)
 * asked case by case over its API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../containers/inference/src/model/load-model';
import { DirPackageReader } from '../../containers/inference/src/model/package-reader';
import { type CaseFormat, type LabeledCase, readCases } from './cases';
import { parseCsvRecords } from './csv';
import { diagnose, servedDiseaseId } from './service-client';

export interface EvaluationResult {
  modelVersion: string;
  format: CaseFormat;
  input: string;
  /** Cases read; `scored` of them have a diagnosis in the catalog, the others count as misses. */
  n: number;
  scored: number;
  outsideCatalog: number;
  rejected: number;
  top1: number;
  top3: number;
  top10: number;
  /** Mean reciprocal rank, ranks beyond 10 counting as 0. */
  mrr: number;
  rejectedExamples: { source: string; reason: string }[];
}

export async function evaluatePackage(
  packageDir: string,
  format: CaseFormat,
  input: string,
  mappingsDir: string,
): Promise<EvaluationResult> {
  const model = await loadModel(new DirPackageReader(packageDir));
  const evidenceHpo = (JSON.parse(readFileSync(join(packageDir, 'evidences.json'), 'utf8')).hpo ?? {}) as Record<
    string,
    string
  >;
  const { cases, rejected } = readCases(format, input, mappingsDir, evidenceHpo);
  // ORPHA ids folded into an OMIM entry are that entry's xrefs: a case labeled with one counts for the entry
  const alias = new Map<string, string>();
  for (const d of model.catalog) for (const x of d.xrefs ?? []) alias.set(x, d.id);
  try {
    const scores = await score(
      cases,
      async (label) => (model.disease(label) ? label : alias.get(label)),
      async (c) => (await model.predict(c.input)).differential.map((d) => d.diseaseId),
    );
    return {
      modelVersion: model.version,
      format,
      input,
      ...scores,
      rejected: rejected.length,
      rejectedExamples: rejected.slice(0, 5),
    };
  } finally {
    await model.release();
  }
}

/**
 * The same metrics from a running service: each case is one `POST /v1/diagnoses` (top 10), a label is in the
 * catalog when `GET /v1/diseases/{id}` knows it (an Orphanet id folded into an OMIM entry answers with that entry,
 * as the local run maps it through `xrefs`). Evidence tokens map to HPO terms through the repository's reviewed
 * mapping, as the knowledge base step does for the packages.
 */
export async function evaluateEndpoint(
  url: string,
  token: string | undefined,
  format: CaseFormat,
  input: string,
  mappingsDir: string,
): Promise<EvaluationResult> {
  const { cases, rejected } = readCases(format, input, mappingsDir, evidenceMapping(mappingsDir));
  let modelVersion = 'unknown';
  const scores = await score(
    cases,
    (label) => servedDiseaseId(url, token, label),
    async (c) => {
      const answer = await diagnose(url, token, c.input);
      modelVersion = answer.modelVersion;
      return answer.differential.map((d) => d.diseaseId);
    },
  );
  return { modelVersion, format, input, ...scores, rejected: rejected.length, rejectedExamples: rejected.slice(0, 5) };
}

/** DDXPlus token -> HPO id from the reviewed mapping file (`match` other than `none`), as the knowledge base reads it. */
function evidenceMapping(mappingsDir: string): Record<string, string> {
  const rows = parseCsvRecords(readFileSync(join(mappingsDir, 'ddxplus-evidences-to-hpo.v1.csv'), 'utf8'));
  return Object.fromEntries(rows.filter((r) => r.hpo_id && r.match !== 'none').map((r) => [r.evidence, r.hpo_id]));
}

type Scores = Pick<EvaluationResult, 'n' | 'scored' | 'outsideCatalog' | 'top1' | 'top3' | 'top10' | 'mrr'>;

async function score(
  cases: readonly LabeledCase[],
  resolveLabel: (label: string) => Promise<string | undefined>,
  rank: (c: LabeledCase) => Promise<string[]>,
): Promise<Scores> {
  let scored = 0;
  const hits = { 1: 0, 3: 0, 10: 0 };
  let reciprocal = 0;
  const known = new Map<string, string | undefined>();
  for (const c of cases) {
    if (!c.label) continue;
    if (!known.has(c.label)) known.set(c.label, await resolveLabel(c.label));
    const label = known.get(c.label);
    if (!label) continue;
    scored++;
    const position = (await rank(c)).indexOf(label) + 1;
    if (position > 0) {
      reciprocal += 1 / position;
      for (const k of [1, 3, 10] as const) if (position <= k) hits[k]++;
    }
  }
  const n = cases.length;
  const share = (x: number) => (n ? Math.round((x / n) * 10000) / 10000 : 0);
  return {
    n,
    scored,
    outsideCatalog: n - scored,
    top1: share(hits[1]),
    top3: share(hits[3]),
    top10: share(hits[10]),
    mrr: share(reciprocal),
  };
}
