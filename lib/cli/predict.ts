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
        ['rank', 'disease', 'category', 'probability', 'genes', 'name'],
        (result.differential ?? []).map((d) => [
          d.rank,
          d.diseaseId,
          d.category,
          d.probability.toFixed(3),
          (d.genes ?? []).slice(0, 3).join(',') + ((d.genes?.length ?? 0) > 3 ? ',…' : ''),
          d.name,
        ]),
      ),
      ...(result.suggestedFindings?.length
        ? [
            'findings to look for next (their presence or absence best separates the leading candidates):',
            ...result.suggestedFindings.map(
              (f) => `  ${f.id}  ${f.label} (${f.informationGain.toFixed(2)} bits; in ${f.foundIn.length} of them)`,
            ),
          ]
        : []),
    ].join('\n'),
  );
}
