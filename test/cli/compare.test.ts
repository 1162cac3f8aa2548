import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions, direction, flatten, lineageChanges } from '../../lib/cli/model-compare';
import { LocalRegistry } from '../../pipelines/definition/local-registry';
import { runCli } from './run-cli';

const version = (v: number, metrics: Record<string, unknown>) => ({ version: v, status: 'Approved', metrics });

describe('comparing two model versions', () => {
  test('every numeric leaf counts, except per-disease recalls and the gate record', () => {
    const flat = flatten({
      common: { complete: { n: 437, top1: 0.99, perDisease: { Croup: { recall: 1 } } } },
      gate: { passed: true, reasons: [] },
      commonVsOrphanAuroc: 1,
    });
    expect([...flat.keys()]).toEqual(['common.complete.n', 'common.complete.top1', 'commonVsOrphanAuroc']);
  });

  test('a rank metric is better higher, the calibration error lower, a count or a mean suspicion neither', () => {
    expect(direction('orphan.timesplit.top10')).toBe('higher');
    expect(direction('common.halfEvidence.macroF1')).toBe('higher');
    expect(direction('calibration.ece')).toBe('lower');
    expect(direction('common.complete.n')).toBe('neutral');
    expect(direction('common.complete.meanOrphanSuspicion')).toBe('neutral');
  });

  test('a drop beyond the tolerance is a regression in the metric’s direction; a drop within it is not', () => {
    // GIVEN B loses 0.03 of orphan top-10, 0.01 of common top-1, and its calibration error rises by 0.03
    const c = compareVersions(
      version(1, {
        common: { complete: { top1: 0.99 } },
        orphan: { simulated: { top10: 0.93 } },
        calibration: { ece: 0.04 },
      }),
      version(2, {
        common: { complete: { top1: 0.98 } },
        orphan: { simulated: { top10: 0.9 } },
        calibration: { ece: 0.07 },
      }),
    );
    // THEN
    expect(c.regressions).toEqual(['orphan.simulated.top10', 'calibration.ece']);
    expect(c.rows.find((r) => r.metric === 'common.complete.top1')).toMatchObject({ delta: -0.01, regression: false });
    // AND a rise of a rank metric is never a regression
    expect(compareVersions(version(2, { a: { top1: 0.5 } }), version(3, { a: { top1: 0.9 } }), 0).regressions).toEqual(
      [],
    );
  });

  test('evaluation sets of different sizes are named: their metrics are not on the same cases', () => {
    const c = compareVersions(
      version(1, { orphan: { timesplit: { n: 395, top10: 0.24 } } }),
      version(2, { orphan: { timesplit: { n: 401, top10: 0.25 } } }),
    );
    expect(c.differentSets).toEqual(['orphan.timesplit']);
  });

  test('changed training inputs: a different hash, or an input only one version lists', () => {
    const changes = lineageChanges(
      [
        { uri: 'hp.json.gz', sha256: 'aa' },
        { uri: 'labels-es.v4.csv', sha256: 'bb' },
      ],
      [
        { uri: 'hp.json.gz', sha256: 'aa' },
        { uri: 'labels-es.v8.csv', sha256: 'cc' },
      ],
    );
    expect(changes).toEqual([
      { uri: 'labels-es.v4.csv', a: 'bb', b: undefined },
      { uri: 'labels-es.v8.csv', a: undefined, b: 'cc' },
    ]);
  });

  test('dxops models compare on the local registry: changed metrics, the regression line, changed inputs', async () => {
    // GIVEN two registered versions whose packages list their training inputs
    const home = mkdtempSync(join(tmpdir(), 'dxops-compare-'));
    const registry = new LocalRegistry(home);
    for (const [i, metrics, labels] of [
      [1, { common: { complete: { n: 437, top1: 0.995 } }, orphan: { simulated: { top10: 0.938 } } }, 'v4'],
      [2, { common: { complete: { n: 437, top1: 0.995 } }, orphan: { simulated: { top10: 0.9 } } }, 'v8'],
    ] as const) {
      const pkg = join(home, `pkg${i}`);
      mkdirSync(pkg);
      const lineage = [
        { uri: 'hp.json.gz', sha256: 'a'.repeat(64) },
        { uri: `labels-es.${labels}.csv`, sha256: String(i).repeat(64) },
      ];
      writeFileSync(join(pkg, 'manifest.json'), JSON.stringify({ lineage }));
      registry.register(pkg, { modelVersion: `v-${i}`, metrics });
    }
    // WHEN
    const { stdout } = await runCli(['--local', '--home', home, 'models', 'compare', '1', '2']);
    const all = await runCli(['--local', '--home', home, 'models', 'compare', '1', '2', '--all']);
    const json = await runCli(['--local', '--home', home, '--json', 'models', 'compare', '1', '2']);
    // THEN only the changed metric is listed, flagged, with the inputs that differ
    expect(stdout).toMatch(/orphan\.simulated\.top10\s+0\.938\s+0\.900\s+-0\.0380\s+worse by more than 0\.02/);
    expect(stdout).not.toContain('common.complete.top1');
    expect(stdout).toContain('(2 identical metrics not shown; --all shows them)');
    expect(stdout).toContain('1 metric(s) of version 2 worse than version 1 by more than 0.02');
    expect(stdout).toContain('labels-es.v4.csv: 111111111111 -> absent');
    expect(stdout).toContain('labels-es.v8.csv: absent -> 222222222222');
    expect(stdout).not.toContain('hp.json.gz');
    expect(all.stdout).toMatch(/common\.complete\.n\s+437\s+437\s+0\.0000/);
    expect(JSON.parse(json.stdout)).toMatchObject({ a: 1, b: 2, regressions: ['orphan.simulated.top10'] });
  });

  test('an unknown version or a bad tolerance says what to do', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dxops-compare-'));
    const pkg = join(home, 'pkg');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'manifest.json'), '{}');
    new LocalRegistry(home).register(pkg, { modelVersion: 'v-1', metrics: {} });
    const unknown = await runCli(['--local', '--home', home, 'models', 'compare', '1', '7']);
    expect(unknown.error?.message).toBe('unknown version 7: known versions are 1');
    const bad = await runCli(['--local', '--home', home, 'models', 'compare', '1', '1', '--tolerance', 'x']);
    expect(bad.error?.message).toBe("'x' is not a tolerance");
  });
});
