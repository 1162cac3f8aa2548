/** `dxops predict`: POST a request file to the service and print the differential. */
import { readFileSync } from 'node:fs';
import { CliError } from './errors';
import { type Output, table } from './output';

interface Candidate {
  rank: number;
  diseaseId: string;
  name: string;
  category: string;
  probability: number;
}

export async function predictFile(out: Output, input: string, url: string, token?: string): Promise<void> {
  let body: string;
  try {
    body = JSON.stringify(JSON.parse(readFileSync(input, 'utf8')));
  } catch (err) {
    throw new CliError(`${input} is not a readable JSON file: ${(err as Error).message}`);
  }
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/$/, '')}/v1/diagnoses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  } catch (err) {
    throw new CliError(
      `cannot reach the service at ${url}: ${(err as Error).message}`,
      "start it with 'make serve', or pass --url",
    );
  }
  const result = (await res.json()) as {
    message?: string;
    differential?: Candidate[];
    orphanSuspicion?: number;
    specialistReview?: boolean;
    modelVersion?: string;
  };
  if (!res.ok) throw new CliError(`the service answered ${res.status}: ${result.message ?? JSON.stringify(result)}`);
  out.result(result, () =>
    [
      `model ${result.modelVersion}; orphan suspicion ${result.orphanSuspicion?.toFixed(2)}${result.specialistReview ? '; specialist review advised' : ''}`,
      table(
        ['rank', 'disease', 'category', 'probability', 'name'],
        (result.differential ?? []).map((d) => [d.rank, d.diseaseId, d.category, d.probability.toFixed(3), d.name]),
      ),
    ].join('\n'),
  );
}
