/**
 * API fuzzing: schemathesis (every check) against the real service on a free loopback port, serving the fixture model,
 * over every operation of the OpenAPI document the service publishes at /docs/json. Fails unless schemathesis finds
 * nothing, the service answered no 5xx (counted from its own access log, independently of schemathesis) and it is
 * still alive and ready at the end.
 *
 *   make test-fuzz-quick   (part of make test: FUZZ_EXAMPLES=150, a fixed seed)
 *   make fuzz              (FUZZ_EXAMPLES=2000, a random seed, FUZZ_MAX_TIME=600 s)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '../containers/inference/server-process';

const ROOT = join(__dirname, '..', '..');
const SCHEMATHESIS = join(ROOT, '.venv', 'bin', 'schemathesis');

interface Options {
  readonly examples: number;
  /** Digits (schemathesis seeds are 128-bit integers, so they stay text). */
  readonly seed?: string;
  readonly maxTimeS?: number;
  /** Where the summary (summary.json) and schemathesis' reports are kept; a temporary directory by default. */
  readonly reportDir?: string;
}

function seed(raw: string | undefined): string | undefined {
  if (raw === 'random') return undefined;
  if (raw === undefined || raw === '') return '1';
  if (!/^\d{1,40}$/.test(raw)) throw new Error(`FUZZ_SEED must be digits or 'random', got '${raw}'`);
  return raw;
}

function options(env: NodeJS.ProcessEnv): Options {
  const int = (name: string, fallback?: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
    return value;
  };
  return {
    examples: int('FUZZ_EXAMPLES', 150) as number,
    seed: seed(env.FUZZ_SEED),
    maxTimeS: int('FUZZ_MAX_TIME'),
    // Absolute: schemathesis runs in a temporary directory.
    reportDir: env.FUZZ_REPORT_DIR ? resolve(env.FUZZ_REPORT_DIR) : undefined,
  };
}

/** The operations of the OpenAPI document, with their routes as the service's access log names them. */
function operations(doc: { paths: Record<string, Record<string, unknown>> }) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      label: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      route: path.replace(/\{([^}]+)\}/g, ':$1'), // as the access log names it (Fastify's route syntax)
    })),
  );
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<number> {
  const opts = options(process.env);
  if (!existsSync(SCHEMATHESIS)) {
    process.stderr.write(
      `fuzz: ${SCHEMATHESIS} is missing; run 'make install' (schemathesis is in requirements.txt)\n`,
    );
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'dxops-fuzz-'));
  const reportDir = opts.reportDir ?? join(work, 'report');
  mkdirSync(reportDir, { recursive: true });
  const home = join(work, 'home');
  // Rate limiting is lifted: schemathesis sends a few hundred requests a second, and a 429 would hide the answer.
  const server = await startServer({
    MODEL_DIR: join(ROOT, 'test', 'fixtures', 'model-package', 'v1'),
    DXOPS_HOME: home,
    RATE_LIMIT_PER_MINUTE: '10000000',
    LOG_LEVEL: 'info',
  });
  // Every access-log line of the service, counted by operation and status as they stream in.
  const statuses = new Map<string, Map<number, number>>();
  let serverErrors = 0;
  /** The service's error-level lines (a 5xx, a crash) and its closing line: printed, and a failure of the run. */
  const errorLines: string[] = [];
  let stopping = false;
  let pending = '';
  const doc = await (await fetch(`${server.url}/docs/json`)).json();
  const ops = operations(doc);
  server.child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        statusCode?: number;
        req?: { method: string; route: string };
      };
      // An error line, or the service closing before the run ended (a signal, or closeWithGrace after a crash).
      if ((entry.level ?? 0) >= 50 || (entry.msg === 'closing' && !stopping)) errorLines.push(line);
      if (entry.msg !== 'request completed' || !entry.req || entry.statusCode === undefined) continue;
      if (entry.statusCode >= 500) serverErrors++;
      const op = ops.find((o) => o.method === entry.req?.method && o.route === entry.req.route);
      const label = op?.label ?? 'other (undeclared method or path)';
      const counts = statuses.get(label) ?? new Map<number, number>();
      counts.set(entry.statusCode, (counts.get(entry.statusCode) ?? 0) + 1);
      statuses.set(label, counts);
    }
  });
  let exitCode = 1;
  let alive = false;
  try {
    const args = [
      '--config-file',
      join(__dirname, 'schemathesis.toml'),
      'run',
      `${server.url}/docs/json`,
      '--checks',
      'all',
      '--max-examples',
      String(opts.examples),
      '--workers',
      '1',
      '--no-color',
      '--generation-database',
      'none',
      '--report',
      'json,junit',
      '--report-dir',
      reportDir,
      ...(opts.seed === undefined ? [] : ['--seed', opts.seed]),
      ...(opts.maxTimeS === undefined ? [] : ['--max-time', String(opts.maxTimeS)]),
    ];
    process.stdout.write(`fuzz: ${SCHEMATHESIS} ${args.join(' ')}\n`);
    exitCode = await run(
      SCHEMATHESIS,
      args,
      { ...process.env, SCHEMATHESIS_HOOKS: 'schemathesis_hooks', PYTHONPATH: __dirname },
      work,
    );
    const ready = await fetch(`${server.url}/readyz`).catch(() => undefined);
    alive = ready?.status === 200;
  } finally {
    stopping = true;
    await server.stop();
  }
  const reportFile = readdirSync(reportDir)
    .filter((f) => f.startsWith('json-') && f.endsWith('.json'))
    .sort()
    .pop(); // the newest: a kept report directory may hold earlier runs
  const reportText = reportFile ? readFileSync(join(reportDir, reportFile), 'utf8') : undefined;
  const report = reportText ? JSON.parse(reportText) : undefined;
  const summary = {
    seed: /"seed": ?(\d+)/.exec(reportText ?? '')?.[1] ?? opts.seed, // as text: a 128-bit integer
    maxExamples: opts.examples,
    operations: report?.operations?.tested,
    casesGenerated: report?.test_cases?.generated,
    failures: report?.test_cases?.unique_failures,
    errors: report?.test_cases?.errored,
    serverErrors,
    serverErrorLogLines: errorLines.length,
    aliveAtEnd: alive,
    requestsByOperation: Object.fromEntries(
      [...statuses.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, counts]) => [label, Object.fromEntries([...counts.entries()].sort(([a], [b]) => a - b))]),
    ),
  };
  writeFileSync(join(reportDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`\nfuzz summary (${join(reportDir, 'summary.json')}):\n${JSON.stringify(summary, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true }); // the service's home (and the reports, unless kept elsewhere)
  const problems = [
    exitCode !== 0 && `schemathesis exited with ${exitCode}`,
    !report && 'schemathesis wrote no JSON report',
    report && report.operations?.tested !== ops.length && `${report.operations?.tested} of ${ops.length} operations`,
    serverErrors > 0 && `${serverErrors} responses were 5xx`,
    errorLines.length > 0 && `the service logged ${errorLines.length} errors:\n${errorLines.slice(0, 5).join('\n')}`,
    !alive && 'the service was not ready at the end',
  ].filter(Boolean);
  if (problems.length > 0) {
    process.stderr.write(`fuzz: FAILED: ${problems.join('; ')}\n`);
    return 1;
  }
  process.stdout.write(
    `fuzz: OK: ${summary.operations} operations, ${summary.casesGenerated} cases, 0 failures, 0 5xx, alive\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
