#!/usr/bin/env node
/**
 * The `dxops` CLI entry point: errors become one line and what to do next, never a stack trace; with --json they
 * are one JSON object on stderr ({"error", "next"}) so scripts can read them too.
 */
import { CommanderError } from 'commander';
import { CliError } from '../lib/cli/errors';
import { buildProgram } from '../lib/cli/program';

function report(err: CliError | Error, json: boolean): void {
  const hint = err instanceof CliError ? err.hint : undefined;
  process.stderr.write(
    json
      ? `${JSON.stringify({ error: err.message, ...(hint ? { next: hint } : {}) })}\n`
      : `dxops: ${err.message}\n${hint ? `  next: ${hint}\n` : ''}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    report(err instanceof Error ? err : new Error(String(err)), json);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
