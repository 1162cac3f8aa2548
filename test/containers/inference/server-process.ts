import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const OUTPUT_TAIL = 200_000;

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * The real server (src/server.ts) in a child process on an ephemeral loopback port. Used where jest's module runtime
 * cannot go (jose is ESM only) and by the browser test and the benchmark.
 */
export function startServer(
  env: Record<string, string>,
  timeoutMs = 30_000,
  /** A bundled server.js to run instead of the TypeScript source (the benchmark measures the bundle). */
  bundle?: string,
): Promise<ServerProcess> {
  const args = bundle
    ? ['--enable-source-maps', bundle]
    : ['-r', 'ts-node/register/transpile-only', join(ROOT, 'containers', 'inference', 'src', 'server.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', EMF_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Output is kept as a bounded list of chunks: under load the server logs every request and this process may be the
  // load generator, which must not spend its CPU copying an ever-growing string.
  const chunks: Buffer[] = [];
  let kept = 0;
  const output = () => Buffer.concat(chunks).toString();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(); // exited, or killed by a signal
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    let started = false;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      kept += chunk.length;
      while (started && kept > OUTPUT_TAIL && chunks.length > 1) kept -= (chunks.shift() as Buffer).length;
      const match = started ? null : /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (match) {
        started = true;
        clearTimeout(timer);
        resolve({ url: match[1], child, output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output()}`));
    });
  });
}
