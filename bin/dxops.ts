#!/usr/bin/env node
/** The `dxops` CLI entry point: errors become one line and a hint, never a stack trace. */
import { CommanderError } from 'commander';
import { CliError } from '../lib/cli/errors';
import { buildProgram } from '../lib/cli/program';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`dxops: ${err.message}\n${err.hint ? `  next: ${err.hint}\n` : ''}`);
      return err.exitCode;
    }
    process.stderr.write(`dxops: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
