/**
 * The embedded default's raw and reference zones. In AWS they are S3 prefixes; here they are directories under
 * DXOPS_HOME, seeded once from the data vendored in the repository. Files a user adds later (for example with
 * `dxops data upload --local`) stay: seeding never overwrites.
 */
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const DDXPLUS = ['release_test_patients_subset_train1828.csv', 'release_conditions.json', 'release_evidences.json'];

export interface StagedZones {
  raw: string;
  reference: string;
}

export function stageDefaults(dxopsHome: string, repoRoot: string): StagedZones {
  const data = join(repoRoot, 'pipelines', 'data');
  const raw = join(dxopsHome, 'raw');
  const reference = join(dxopsHome, 'reference');
  const copy = (from: string, toDir: string) => {
    mkdirSync(toDir, { recursive: true });
    const to = join(toDir, from.split('/').pop() as string);
    if (!existsSync(to)) copyFileSync(from, to);
  };
  // Raw zone: what an upload would bring (the ingest job reads the DDXPlus knowledge files next to the patients).
  for (const f of DDXPLUS) copy(join(data, 'ddxplus', f), join(raw, 'ddxplus'));
  copy(join(data, 'kaggle-disease-symptom-prediction', 'dataset.csv'), join(raw, 'kaggle'));
  // Reference zone: read-only release files, linked rather than copied.
  mkdirSync(reference, { recursive: true });
  const links: [string, string][] = [
    ['hpo', join(data, 'hpo')],
    ['ddxplus', join(data, 'ddxplus')],
    ['mappings', join(repoRoot, 'pipelines', 'mappings')],
  ];
  for (const [name, target] of links) {
    const link = join(reference, name);
    if (!existsSync(link)) symlinkSync(target, link);
  }
  return { raw, reference };
}
