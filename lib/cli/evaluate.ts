/**
 * `dxops evaluate`: metrics of a model package on a labeled file, without retraining. Runs the package's ONNX
 * graph through the same code the service uses (containers/inference/src/model).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../containers/inference/src/model/load-model';
import { DirPackageReader } from '../../containers/inference/src/model/package-reader';
import { type CaseFormat, readCases } from './cases';

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
  let scored = 0;
  const hits = { 1: 0, 3: 0, 10: 0 };
  let reciprocal = 0;
  for (const c of cases) {
    const label = c.label && (model.disease(c.label) ? c.label : alias.get(c.label));
    if (!label) continue;
    scored++;
    const prediction = await model.predict(c.input);
    const rank = prediction.differential.findIndex((d) => d.diseaseId === label) + 1;
    if (rank > 0) {
      reciprocal += 1 / rank;
      for (const k of [1, 3, 10] as const) if (rank <= k) hits[k]++;
    }
  }
  await model.release();
  const n = cases.length;
  const share = (x: number) => (n ? Math.round((x / n) * 10000) / 10000 : 0);
  return {
    modelVersion: model.version,
    format,
    input,
    n,
    scored,
    outsideCatalog: n - scored,
    rejected: rejected.length,
    top1: share(hits[1]),
    top3: share(hits[3]),
    top10: share(hits[10]),
    mrr: share(reciprocal),
    rejectedExamples: rejected.slice(0, 5),
  };
}
