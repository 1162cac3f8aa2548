/**
 * The embedded default's raw and reference zones. In AWS they are S3 prefixes; here they are directories under
 * DXOPS_HOME, seeded once from the data vendored in the repository. Files a user adds later (for example with
 * `dxops data upload --local`) stay: seeding never overwrites. The local service's audit and feedback folders are
 * linked into the raw zone's `feedback/`, so the next run learns from what clinicians confirmed or corrected.
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
  linkServiceRecords(dxopsHome, join(raw, 'feedback'));
  // Reference zone: read-only release files, linked rather than copied.
  mkdirSync(reference, { recursive: true });
  const links: [string, string][] = [
    ['hpo', join(data, 'hpo')],
    ['ddxplus', join(data, 'ddxplus')],
    ['kaggle', join(data, 'kaggle-disease-symptom-prediction')],
    ['mappings', join(repoRoot, 'pipelines', 'mappings')],
  ];
  for (const [name, target] of links) {
    const link = join(reference, name);
    if (!existsSync(link)) symlinkSync(target, link);
  }
  return { raw, reference };
}

/** raw/feedback/audit -> DXOPS_HOME/audit and raw/feedback/labels -> DXOPS_HOME/feedback (the service's files). */
function linkServiceRecords(dxopsHome: string, feedbackDir: string): void {
  mkdirSync(feedbackDir, { recursive: true });
  for (const [name, folder] of [
    ['audit', 'audit'],
    ['labels', 'feedback'],
  ]) {
    const target = join(dxopsHome, folder);
    mkdirSync(target, { recursive: true });
    const link = join(feedbackDir, name);
    if (!existsSync(link)) symlinkSync(target, link);
  }
}
