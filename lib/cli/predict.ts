/** `dxops predict`: POST a request file to the service and print the differential. */
import { readFileSync } from 'node:fs';
import { CliError } from './errors';
import { type Output, table } from './output';
import { postDiagnosis } from './service-client';

export async function predictFile(out: Output, input: string, url: string, token?: string): Promise<void> {
  let body: string;
  try {
    body = JSON.stringify(JSON.parse(readFileSync(input, 'utf8')));
  } catch (err) {
    throw new CliError(`${input} is not a readable JSON file: ${(err as Error).message}`);
  }
  const result = await postDiagnosis(url, token, body);
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
