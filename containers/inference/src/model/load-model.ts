import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { Model } from './model';
import type { PackageReader } from './package-reader';
import {
  type CatalogDisease,
  type Evidences,
  type Manifest,
  ONNX_INPUTS,
  ONNX_OUTPUTS,
  PACKAGE_FILES,
  SUPPORTED_SCHEMA_VERSIONS,
  type Vocabulary,
} from './package-types';

/** Why a package was refused; the message is logged and shown on /readyz, never a stack trace. */
export class PackageRefusedError extends Error {
  constructor(
    public readonly location: string,
    reason: string,
  ) {
    super(`model package ${location} refused: ${reason}`);
  }
}

function parseJson<T>(bytes: Buffer, name: string, refuse: (reason: string) => never): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    return refuse(`${name} is not valid JSON (${(err as Error).message})`);
  }
}

function sameNames(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && expected.every((n) => actual.includes(n));
}

/**
 * Reads a package, verifies it against its manifest (schema version, every file's sha256, counts, ONNX input and
 * output names), builds the indexes and warms the session up. Throws `PackageRefusedError` with the reason otherwise.
 */
export async function loadModel(reader: PackageReader): Promise<Model> {
  const refuse = (reason: string): never => {
    throw new PackageRefusedError(reader.location, reason);
  };
  const read = async (path: string) => {
    try {
      return await reader.read(path);
    } catch (err) {
      return refuse(`cannot read ${path} (${(err as Error).message})`);
    }
  };
  const manifest = parseJson<Manifest>(await read('manifest.json'), 'manifest.json', refuse);
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(manifest.schemaVersion)) {
    refuse(`schemaVersion ${manifest.schemaVersion} is not supported (${SUPPORTED_SCHEMA_VERSIONS.join(', ')})`);
  }
  if (typeof manifest.modelVersion !== 'string' || !manifest.files || !manifest.counts || !manifest.thresholds) {
    refuse('manifest.json lacks modelVersion, files, counts or thresholds');
  }
  const bytes: Record<string, Buffer> = {};
  for (const name of PACKAGE_FILES) {
    const entry = manifest.files[name];
    if (!entry?.path || !entry.sha256) refuse(`manifest.json has no files.${name}`);
    const data = await read(entry.path);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== entry.sha256) refuse(`${entry.path} sha256 ${actual} does not match the manifest's ${entry.sha256}`);
    bytes[name] = data;
  }
  const catalog = parseJson<{ diseases: CatalogDisease[] }>(bytes.catalog, 'catalog.json', refuse).diseases;
  const vocabulary = parseJson<Vocabulary>(bytes.vocabulary, 'vocabulary.json', refuse);
  const evidences = parseJson<Evidences>(bytes.evidences, 'evidences.json', refuse);
  const counts: [string, number | undefined, number][] = [
    ['terms', vocabulary.terms?.length, manifest.counts.terms],
    ['diseases', catalog?.length, manifest.counts.diseases],
    ['evidenceTokens', evidences.tokens?.length, manifest.counts.evidenceTokens],
  ];
  for (const [name, actual, expected] of counts) {
    if (actual !== expected) refuse(`counts.${name} is ${expected} but the files hold ${actual}`);
  }
  for (const term of vocabulary.terms) {
    if (term.parents.some((p) => !Number.isInteger(p) || p < 0 || p >= vocabulary.terms.length)) {
      refuse(`vocabulary term ${term.id} has a parent index outside the vocabulary`);
    }
  }
  let session: ort.InferenceSession;
  try {
    // One intra-op thread: the graph is small and requests already run concurrently on the thread pool.
    session = await ort.InferenceSession.create(bytes.model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  } catch (err) {
    return refuse(`model.onnx does not load (${(err as Error).message})`);
  }
  if (!sameNames(session.inputNames, ONNX_INPUTS) || !sameNames(session.outputNames, ONNX_OUTPUTS)) {
    await session.release();
    return refuse(
      `model.onnx has inputs [${session.inputNames}] and outputs [${session.outputNames}], the contract is [${ONNX_INPUTS}] -> [${ONNX_OUTPUTS}]`,
    );
  }
  const model = new Model(manifest, catalog, vocabulary, evidences, session);
  try {
    await model.warmUp();
  } catch (err) {
    await session.release();
    return refuse(`warm-up inference failed (${(err as Error).message})`);
  }
  return model;
}
