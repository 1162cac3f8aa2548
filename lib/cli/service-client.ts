/** The inference service's API as the CLI calls it (local `make serve` or a deployed endpoint). */
import type { DiagnosisInput } from '../../containers/inference/src/model/model';
import { CliError } from './errors';

export interface Candidate {
  rank: number;
  diseaseId: string;
  name: string;
  category: string;
  probability: number;
  genes?: string[];
}

export interface DiagnosisAnswer {
  requestId: string;
  modelVersion: string;
  differential: Candidate[];
  orphanSuspicion: number;
  specialistReview: boolean;
  suggestedFindings?: { id: string; label: string; informationGain: number; foundIn: string[] }[];
}

/** `POST /v1/diagnoses` with a JSON body as given; a non-2xx answer is a CliError with the service's message. */
export async function postDiagnosis(url: string, token: string | undefined, body: string): Promise<DiagnosisAnswer> {
  const res = await call(url, token, '/v1/diagnoses', { method: 'POST', body });
  const result = (await res.json()) as DiagnosisAnswer & { message?: string };
  if (!res.ok) throw new CliError(`the service answered ${res.status}: ${result.message ?? JSON.stringify(result)}`);
  return result;
}

/** One case as the native request body: observed and excluded phenotypes, questionnaire answers, age, sex. */
export function diagnose(url: string, token: string | undefined, input: DiagnosisInput): Promise<DiagnosisAnswer> {
  const body = {
    phenotypes: [...input.observed.map((id) => ({ id })), ...input.excluded.map((id) => ({ id, excluded: true }))],
    ...(input.evidences.length ? { evidences: input.evidences } : {}),
    ...(input.ageYears !== undefined ? { age: { years: input.ageYears } } : {}),
    ...(input.sex !== 'unknown' ? { sex: input.sex } : {}),
    topK: input.topK,
  };
  return postDiagnosis(url, token, JSON.stringify(body));
}

/**
 * The id the service serves `id` under (`GET /v1/diseases/{id}`: itself, or the OMIM entry an Orphanet/DECIPHER
 * twin is folded into), or undefined when the catalog does not know it (404, or 400 for an id of no known prefix).
 */
export async function servedDiseaseId(url: string, token: string | undefined, id: string): Promise<string | undefined> {
  const res = await call(url, token, `/v1/diseases/${encodeURIComponent(id)}`, { method: 'GET' });
  if (!res.ok) {
    await res.arrayBuffer();
    if (res.status === 404 || res.status === 400) return undefined;
    throw new CliError(`the service answered ${res.status} for disease ${id}`);
  }
  return ((await res.json()) as { id: string }).id;
}

async function call(url: string, token: string | undefined, path: string, init: RequestInit): Promise<Response> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (init.body) headers['content-type'] = 'application/json';
  try {
    return await fetch(`${url.replace(/\/$/, '')}${path}`, { ...init, headers });
  } catch (err) {
    throw new CliError(
      `cannot reach the service at ${url}: ${(err as Error).message}`,
      "start it with 'make serve', or pass --url",
    );
  }
}
