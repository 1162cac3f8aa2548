/**
 * Labeled cases for `dxops evaluate`, read from the formats the platform ingests: DDXPlus patient CSV, GA4GH
 * Phenopacket v2 JSON (a file, an array, JSON Lines or a directory tree of files) and the Kaggle symptom CSV. A
 * case whose file entry cannot be read is reported with its reason, never dropped silently.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosisInput, Sex } from '../../containers/inference/src/model/model';
import {
  type DatedPhenopacket,
  phenopacketAge,
  type TimeElement,
} from '../../containers/inference/src/model/time-element';
import { parseCsv, parseCsvRecords } from './csv';
import { CliError } from './errors';

export type CaseFormat = 'ddxplus' | 'phenopackets' | 'kaggle';
export const FORMATS: readonly CaseFormat[] = ['ddxplus', 'phenopackets', 'kaggle'];

export interface LabeledCase {
  readonly input: DiagnosisInput;
  /** The diagnosis as given (e.g. OMIM:…, DDXPLUS:…); undefined when it is outside the model's catalog. */
  readonly label?: string;
  readonly source: string;
}

export interface ReadResult {
  readonly cases: LabeledCase[];
  readonly rejected: { source: string; reason: string }[];
}

const TOP_K = 10;

/** DDXPlus condition name -> catalog id, exactly as the knowledge base step builds it. */
export function ddxplusId(name: string): string {
  return `DDXPLUS:${name.replace(/[^0-9A-Za-z]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

export function readCases(
  format: CaseFormat,
  path: string,
  mappingsDir: string,
  evidenceHpo: Record<string, string>,
): ReadResult {
  switch (format) {
    case 'ddxplus':
      return readDdxplus(readFileSync(path, 'utf8'), path, evidenceHpo);
    case 'phenopackets':
      return readPhenopackets(path);
    case 'kaggle':
      return readKaggle(readFileSync(path, 'utf8'), path, mappingsDir);
  }
}

export function readDdxplus(text: string, source: string, evidenceHpo: Record<string, string>): ReadResult {
  const cases: LabeledCase[] = [];
  const rejected: ReadResult['rejected'] = [];
  for (const [i, row] of parseCsvRecords(text).entries()) {
    const where = `${source}:${i + 2}`;
    if (!row.PATHOLOGY || !row.EVIDENCES) {
      rejected.push({ source: where, reason: 'missing PATHOLOGY or EVIDENCES' });
      continue;
    }
    let evidences: string[];
    try {
      evidences = JSON.parse(row.EVIDENCES.replace(/'/g, '"')) as string[];
    } catch {
      rejected.push({ source: where, reason: `EVIDENCES is not a list: ${row.EVIDENCES.slice(0, 40)}` });
      continue;
    }
    // the same HPO terms the Ingest step derives from the answers (evidences.json "hpo" map of the package)
    const observed = [
      ...new Set(evidences.map((t) => evidenceHpo[t] ?? evidenceHpo[t.split('_@_')[0]]).filter(Boolean)),
    ];
    const age = Number(row.AGE);
    cases.push({
      input: {
        observed,
        excluded: [],
        evidences,
        ageYears: Number.isFinite(age) ? age : undefined,
        sex: row.SEX === 'F' ? 'female' : row.SEX === 'M' ? 'male' : 'unknown',
        topK: TOP_K,
      },
      label: ddxplusId(row.PATHOLOGY),
      source: where,
    });
  }
  return { cases, rejected };
}

interface Phenopacket extends DatedPhenopacket {
  subject?: DatedPhenopacket['subject'] & { sex?: string };
  phenotypicFeatures?: { type?: { id?: string }; excluded?: boolean; onset?: TimeElement }[];
  interpretations?: { diagnosis?: { disease?: { id?: string } } }[];
  diseases?: { term?: { id?: string }; excluded?: boolean }[];
}

const SUPPORTED_DIAGNOSIS = /^(OMIM|ORPHA):\d+$/;

function phenopacketCase(p: Phenopacket, source: string): LabeledCase {
  const features = p.phenotypicFeatures ?? [];
  if (!features.length) throw new Error('no phenotypicFeatures');
  // as the Ingest step: the first OMIM/ORPHA id of the interpretations, then of the diseases not excluded
  const ids = [
    ...(p.interpretations ?? []).map((i) => i.diagnosis?.disease?.id),
    ...(p.diseases ?? []).filter((d) => !d.excluded).map((d) => d.term?.id),
  ]
    .filter((x): x is string => Boolean(x))
    .map((x) => x.trim().replace(/^Orphanet:/, 'ORPHA:'));
  if (!ids.length) throw new Error('no diagnosis (interpretations[].diagnosis.disease.id or diseases[].term.id)');
  const sex: Sex = p.subject?.sex === 'FEMALE' ? 'female' : p.subject?.sex === 'MALE' ? 'male' : 'unknown';
  const terms = (excluded: boolean) => [
    ...new Set(features.filter((f) => Boolean(f.excluded) === excluded && f.type?.id).map((f) => f.type?.id as string)),
  ];
  const observed = terms(false);
  return {
    input: {
      observed,
      excluded: terms(true).filter((t) => !observed.includes(t)),
      evidences: [],
      ageYears: phenopacketAge(p),
      sex,
      topK: TOP_K,
    },
    // an id outside OMIM/ORPHA (MONDO:…) stays as given and counts as outside the catalog
    label: ids.find((x) => SUPPORTED_DIAGNOSIS.test(x)) ?? ids[0],
    source,
  };
}

export function readPhenopackets(path: string): ReadResult {
  // a directory is read recursively: collections such as phenopacket-store keep one folder per gene or cohort
  const files = statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.jsonl?$/.test(f))
        .sort()
        .map((f) => join(path, f))
        .filter((f) => statSync(f).isFile())
    : [path];
  const cases: LabeledCase[] = [];
  const rejected: ReadResult['rejected'] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let docs: { doc: unknown; where: string }[];
    try {
      const parsed = JSON.parse(text);
      docs = (Array.isArray(parsed) ? parsed : [parsed]).map((doc, i) => ({ doc, where: `${file}#${i}` }));
    } catch {
      docs = text.split('\n').flatMap((line, i) => {
        if (!line.trim()) return [];
        try {
          return [{ doc: JSON.parse(line), where: `${file}:${i + 1}` }];
        } catch {
          rejected.push({ source: `${file}:${i + 1}`, reason: 'not valid JSON' });
          return [];
        }
      });
    }
    for (const { doc, where } of docs) {
      try {
        cases.push(phenopacketCase(doc as Phenopacket, where));
      } catch (err) {
        rejected.push({ source: where, reason: (err as Error).message });
      }
    }
  }
  return { cases, rejected };
}

export function readKaggle(text: string, source: string, mappingsDir: string): ReadResult {
  const symptomHpo = new Map(
    parseCsvRecords(readFileSync(join(mappingsDir, 'kaggle-symptoms-to-hpo.v1.csv'), 'utf8'))
      .filter((r) => r.hpo_id && r.match !== 'none')
      .map((r) => [r.symptom.trim(), r.hpo_id]),
  );
  const catalogId = new Map(
    parseCsvRecords(readFileSync(join(mappingsDir, 'kaggle-diseases-to-catalog.v2.csv'), 'utf8')).map((r) => [
      r.disease.trim(),
      r.catalog_id,
    ]),
  );
  const cases: LabeledCase[] = [];
  const rejected: ReadResult['rejected'] = [];
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim()) ?? [];
  if (header.includes('prognosis')) {
    // Training.csv / Testing.csv: one 0/1 column per symptom and the disease in `prognosis`
    const target = header.indexOf('prognosis');
    const asSlots = rows
      .slice(1)
      .map((r) => [r[target] ?? '', ...header.filter((_h, j) => j !== target && r[j]?.trim() === '1')]);
    rows.splice(0, rows.length, ...asSlots);
  }
  for (const [i, row] of rows.entries()) {
    const disease = (row[0] ?? '').trim();
    if (!disease || disease === 'Disease') continue; // the blank or named header line
    const observed = [
      ...new Set(
        row
          .slice(1)
          .map((s) => symptomHpo.get(s.trim()))
          .filter((x): x is string => Boolean(x)),
      ),
    ];
    if (!observed.length) {
      rejected.push({ source: `${source}:${i + 1}`, reason: 'no symptom maps to HPO' });
      continue;
    }
    cases.push({
      input: { observed, excluded: [], evidences: [], sex: 'unknown', topK: TOP_K },
      label: catalogId.get(disease),
      source: `${source}:${i + 1}`,
    });
  }
  return { cases, rejected };
}

export function assertFormat(format: string): CaseFormat {
  if (!FORMATS.includes(format as CaseFormat)) {
    throw new CliError(`unknown format '${format}'`, `use --format ${FORMATS.join('|')}`);
  }
  return format as CaseFormat;
}
