import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../helpers/platform';

/** Runs bin/app.ts as `cdk synth` does (context in CDK_CONTEXT_JSON); returns stderr, or throws with it. */
function synth(context: Record<string, string>): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'dxops-synth-'));
  try {
    return execFileSync(
      process.execPath,
      [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(REPOSITORY_ROOT, 'bin', 'app.ts')],
      {
        cwd: REPOSITORY_ROOT,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      },
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('bin/app.ts context', () => {
  test('a non-numeric context value fails the synth naming the context key and the value', () => {
    expect(() => synth({ stages: 'dev', 'dev:natGateways': 'two' })).toThrow(
      /Invalid config "dev:natGateways": "two" \(expected a number\)/,
    );
  });

  test('a value that parses but is invalid fails naming the setting', () => {
    expect(() => synth({ stages: 'dev', 'dev:vpcCidr': '10.0.0.0/8' })).toThrow(
      /Invalid config "dev.network.vpcCidr": "10.0.0.0\/8"/,
    );
    expect(() => synth({ stages: 'dev', 'dev:approvalMode': 'yes' })).toThrow(
      /Invalid config "dev:approvalMode": "yes"/,
    );
  });
});
