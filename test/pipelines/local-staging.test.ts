import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stageDefaults } from '../../pipelines/definition/local-staging';

const REPO = resolve(__dirname, '..', '..');

describe('stageDefaults', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'dxops-staging-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test("seeds the raw zone with the vendored data and links the service's audit and feedback folders", () => {
    // WHEN the embedded default's zones are staged
    const { raw, reference } = stageDefaults(home, REPO);
    // THEN the vendored sources are in the raw zone, the release files linked in the reference zone
    expect(existsSync(join(raw, 'ddxplus', 'release_conditions.json'))).toBe(true);
    expect(existsSync(join(raw, 'kaggle', 'dataset.csv'))).toBe(true);
    expect(readlinkSync(join(reference, 'hpo'))).toBe(join(REPO, 'pipelines', 'data', 'hpo'));
    // AND the ingest job's feedback source reads what the local service writes
    expect(readlinkSync(join(raw, 'feedback', 'audit'))).toBe(join(home, 'audit'));
    expect(readlinkSync(join(raw, 'feedback', 'labels'))).toBe(join(home, 'feedback'));
  });

  test('staging again keeps what a user added and does not fail on the existing links', () => {
    const { raw } = stageDefaults(home, REPO);
    writeFileSync(join(raw, 'kaggle', 'dataset.csv'), 'user data');
    expect(() => stageDefaults(home, REPO)).not.toThrow();
    expect(readFileSync(join(raw, 'kaggle', 'dataset.csv'), 'utf8')).toBe('user data');
  });
});
