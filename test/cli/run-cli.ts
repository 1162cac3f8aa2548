import { CommanderError } from 'commander';
import { CliError } from '../../lib/cli/errors';
import { buildProgram } from '../../lib/cli/program';

/** Runs the dxops command tree in-process and captures what it prints; errors come back as CliError. */
export async function runCli(args: string[]): Promise<{ stdout: string; error?: CliError }> {
  let stdout = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    await buildProgram()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .parseAsync(['node', 'dxops', ...args]);
    return { stdout };
  } catch (err) {
    if (err instanceof CliError) return { stdout, error: err };
    if (err instanceof CommanderError) return { stdout, error: new CliError(err.message) };
    throw err;
  } finally {
    spy.mockRestore();
  }
}
