#!/usr/bin/env node
/**
 * Runs the training pipeline on this machine (the embedded default).
 *   npx ts-node --transpile-only pipelines/definition/run-local.ts [--approve] [--param Name=value ...] [--home DIR]
 * --approve approves the registered version (what `make demo` does); otherwise it waits in PendingManualApproval
 * for `dxops models approve`.
 */
import { join, resolve } from 'node:path';
import { LocalRegistry } from './local-registry';
import { runLocal } from './local-runner';
import type { ParameterName } from './steps';
import { PARAMETERS } from './steps';

const REPO_ROOT = resolve(__dirname, '..', '..');

function parseArgs(argv: string[]) {
  const out = {
    approve: false,
    home: process.env.DXOPS_HOME ?? join(REPO_ROOT, '.dxops'),
    params: {} as Record<string, string>,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--approve') out.approve = true;
    else if (a === '--home') out.home = argv[++i];
    else if (a === '--param') {
      const [k, ...v] = (argv[++i] ?? '').split('=');
      if (!PARAMETERS.some((p) => p.name === k) || v.length === 0) {
        throw new Error(
          `--param ${k}: expected Name=value with Name one of ${PARAMETERS.map((p) => p.name).join(', ')}`,
        );
      }
      out.params[k] = v.join('=');
    } else throw new Error(`unknown argument ${a}: use --approve, --home DIR, --param Name=value`);
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const record = await runLocal({
    dxopsHome: resolve(args.home),
    repoRoot: REPO_ROOT,
    parameters: args.params as Partial<Record<ParameterName, string>>,
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (record.status !== 'Succeeded') {
    process.stderr.write(`dxops pipeline: run ${record.runId} failed after ${seconds}s: ${record.failureReason}\n`);
    return 1;
  }
  const registry = new LocalRegistry(resolve(args.home));
  if (args.approve && record.registeredVersion !== undefined) {
    registry.setStatus(record.registeredVersion, 'Approved', 'approved by run-local --approve (make demo)');
    process.stdout.write(`dxops pipeline: version ${record.registeredVersion} approved\n`);
  }
  process.stdout.write(`dxops pipeline: run ${record.runId} succeeded in ${seconds}s\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`dxops pipeline: ${err.message}\n`);
    process.exit(2);
  },
);
