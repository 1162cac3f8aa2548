import { CommanderError } from 'commander';
import { CliError } from '../../lib/cli/errors';
import { buildProgram } from '../../lib/cli/program';

/** Runs the dxops command tree in-process and captures what it prints; errors come back as CliError. */
export async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; error?: CliError }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    await buildProgram()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .parseAsync(['node', 'dxops', ...args]);
    return { stdout, stderr };
  } catch (e) {
    if (e instanceof CliError) return { stdout, stderr, error: e };
    if (e instanceof CommanderError) return { stdout, stderr, error: new CliError(e.message) };
    throw e;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
