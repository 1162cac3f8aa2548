import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRAVET_LIKE, makeHome, startApp, type TestApp } from '../containers/inference/helpers';
import { runCli } from './run-cli';

describe('dxops predict', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startApp({}, makeHome());
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => t.app.close());

  const requestFile = (body: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'dxops-predict-')), 'request.json');
    writeFileSync(file, JSON.stringify(body));
    return file;
  };

  test('prints the differential with genes, then the findings to look for next', async () => {
    // GIVEN febrile seizures and developmental delay only
    const file = requestFile({ phenotypes: [{ id: 'HP:0002373' }, { id: 'HP:0001263' }] });
    // WHEN
    const { stdout, error } = await runCli(['predict', '--input', file, '--url', url]);
    // THEN
    expect(error).toBeUndefined();
    expect(stdout).toMatch(/rank\s+disease\s+category\s+probability\s+genes\s+name/);
    expect(stdout).toMatch(/1\s+OMIM:607208\s+orphan\s+0\.\d{3}\s+SCN1A\s+Dravet syndrome/);
    expect(stdout).toContain('findings to look for next');
    // the finding that tells the two listed candidates apart (Jacobsen syndrome has it, Dravet syndrome not)
    expect(stdout).toMatch(/ {2}HP:0001631 {2}Atrial septal defect \(0\.\d\d bits; in 1 of them\)/);
  });

  test('--json prints the service answer as it came', async () => {
    const { stdout } = await runCli(['--json', 'predict', '--input', requestFile(DRAVET_LIKE), '--url', url]);
    const answer = JSON.parse(stdout);
    expect(answer.differential[0]).toMatchObject({ diseaseId: 'OMIM:607208', genes: ['SCN1A'] });
    expect(Array.isArray(answer.suggestedFindings)).toBe(true);
  });

  test('a file that is not JSON is named, and a request the service refuses gives its message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dxops-predict-'));
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    const bad = await runCli(['predict', '--input', join(dir, 'bad.json'), '--url', url]);
    expect(bad.error?.message).toMatch(/bad\.json is not a readable JSON file/);
    const refused = await runCli(['predict', '--input', requestFile({ phenotypes: [] }), '--url', url]);
    expect(refused.error?.message).toMatch(/^the service answered 400: /);
  });
});
