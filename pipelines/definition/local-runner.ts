/**
 * Runs `PIPELINE` on this machine: the same steps, in the same order, with the SageMaker processing path contract
 * mapped into `<DXOPS_HOME>/runs/<runId>/<Step>/{input,output}/<name>`. Parameters that are S3 prefixes in AWS are
 * local directories here. Each run leaves `run.json` (steps, statuses, timings) for `dxops pipeline status`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalRegistry } from './local-registry';
import { stageDefaults } from './local-staging';
import {
  type Arg,
  type ConditionStepDef,
  conditionalSteps,
  type InputSource,
  PARAMETERS,
  type ParameterName,
  PIPELINE,
  type ProcessingStepDef,
  type RegisterStepDef,
  type StepDef,
  type StepName,
} from './steps';

export type StepStatus = 'Executing' | 'Succeeded' | 'Failed' | 'Skipped';

export interface StepRecord {
  name: StepName;
  status: StepStatus;
  startedAt?: string;
  seconds?: number;
  message?: string;
}

export interface RunRecord {
  runId: string;
  status: 'Executing' | 'Succeeded' | 'Failed';
  startedAt: string;
  finishedAt?: string;
  parameters: Record<string, string>;
  steps: StepRecord[];
  registeredVersion?: number;
  failureReason?: string;
}

export interface LocalRunOptions {
  dxopsHome: string;
  repoRoot: string;
  /** Python with the step dependencies. @default <repoRoot>/.venv/bin/python */
  python?: string;
  /** Where the step scripts live. @default <repoRoot>/pipelines/steps */
  stepsRoot?: string;
  parameters?: Partial<Record<ParameterName, string>>;
  steps?: readonly StepDef[];
  runId?: string;
  log?: (line: string) => void;
}

export class StepFailedError extends Error {
  constructor(
    readonly step: StepName,
    message: string,
  ) {
    super(`${step}: ${message}`);
    this.name = 'StepFailedError';
  }
}

const STDERR_TAIL = 15;

export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

export async function runLocal(opts: LocalRunOptions): Promise<RunRecord> {
  const steps = opts.steps ?? PIPELINE;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const runId = opts.runId ?? newRunId();
  const runDir = join(opts.dxopsHome, 'runs', runId);
  mkdirSync(runDir, { recursive: true });
  const registry = new LocalRegistry(opts.dxopsHome);
  const parameters = resolveParameters(opts, registry);
  const record: RunRecord = { runId, status: 'Executing', startedAt: new Date().toISOString(), parameters, steps: [] };
  const save = () => writeFileSync(join(runDir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  const ctx: RunContext = { opts, steps, runDir, runId, parameters, registry, log, record, save };
  save();
  log(`dxops pipeline: run ${runId} in ${runDir}`);
  try {
    const nested = conditionalSteps(steps);
    for (const step of steps.filter((s) => !nested.has(s.name))) await runStep(ctx, step);
    record.status = 'Succeeded';
  } catch (err) {
    record.status = 'Failed';
    record.failureReason = err instanceof Error ? err.message : String(err);
    for (const s of steps)
      if (!record.steps.some((r) => r.name === s.name)) record.steps.push({ name: s.name, status: 'Skipped' });
    log(`dxops pipeline: FAILED ${record.failureReason}`);
  } finally {
    record.finishedAt = new Date().toISOString();
    save();
  }
  return record;
}

interface RunContext {
  opts: LocalRunOptions;
  steps: readonly StepDef[];
  runDir: string;
  runId: string;
  parameters: Record<string, string>;
  registry: LocalRegistry;
  log: (line: string) => void;
  record: RunRecord;
  save: () => void;
}

function resolveParameters(opts: LocalRunOptions, registry: LocalRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of PARAMETERS) out[p.name] = String(p.defaultValue);
  const given = opts.parameters ?? {};
  if (!given.RawDataUri || !given.ReferenceDataUri) {
    const staged = stageDefaults(opts.dxopsHome, opts.repoRoot);
    out.RawDataUri = staged.raw;
    out.ReferenceDataUri = staged.reference;
  }
  out.IngestionDate = new Date().toISOString().slice(0, 10);
  const champion = registry.approvedVersion();
  if (champion) out.ChampionMetrics = JSON.stringify(champion.metrics);
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  return out;
}

async function runStep(ctx: RunContext, step: StepDef): Promise<void> {
  const entry: StepRecord = { name: step.name, status: 'Executing', startedAt: new Date().toISOString() };
  ctx.record.steps.push(entry);
  ctx.save();
  const started = Date.now();
  ctx.log(`▶ ${step.name}`);
  try {
    entry.message = await execute(ctx, step);
    entry.status = 'Succeeded';
  } catch (err) {
    entry.status = 'Failed';
    entry.message = err instanceof Error ? err.message : String(err);
    throw err instanceof StepFailedError ? err : new StepFailedError(step.name, entry.message);
  } finally {
    entry.seconds = Math.round((Date.now() - started) / 100) / 10;
    ctx.log(
      `${entry.status === 'Succeeded' ? '✔' : '✘'} ${step.name} ${entry.status.toLowerCase()} in ${entry.seconds}s`,
    );
    ctx.save();
  }
}

async function execute(ctx: RunContext, step: StepDef): Promise<string | undefined> {
  switch (step.kind) {
    case 'processing':
      await runProcessing(ctx, step);
      return undefined;
    case 'condition':
      return runCondition(ctx, step);
    case 'fail':
      throw new StepFailedError(step.name, `${step.message}: ${gateReasons(ctx)}`);
    case 'register':
      return register(ctx, step);
  }
}

const stepDir = (ctx: RunContext, name: StepName) => join(ctx.runDir, name);
const outputDir = (ctx: RunContext, step: StepName, output: string) => join(stepDir(ctx, step), 'output', output);

function sourcePath(ctx: RunContext, source: InputSource): string {
  if ('parameter' in source) return resolve(ctx.parameters[source.parameter]);
  const dir = outputDir(ctx, source.step, source.output);
  if (!existsSync(dir))
    throw new Error(`input from ${source.step}/${source.output} does not exist: did ${source.step} run?`);
  return dir;
}

function argValue(ctx: RunContext, step: ProcessingStepDef, arg: Arg): string {
  if (typeof arg === 'string') return arg;
  if ('input' in arg) return join(stepDir(ctx, step.name), 'input', arg.input, arg.subpath ?? '');
  if ('output' in arg) return outputDir(ctx, step.name, arg.output);
  if ('parameter' in arg) return ctx.parameters[arg.parameter];
  return `dxops-local-${ctx.runId}`;
}

async function runProcessing(ctx: RunContext, step: ProcessingStepDef): Promise<void> {
  const dir = stepDir(ctx, step.name);
  for (const input of step.inputs) {
    mkdirSync(join(dir, 'input'), { recursive: true });
    const link = join(dir, 'input', input.name);
    if (!existsSync(link)) symlinkSync(sourcePath(ctx, input.source), link);
  }
  for (const output of step.outputs) mkdirSync(outputDir(ctx, step.name, output), { recursive: true });
  const stepsRoot = ctx.opts.stepsRoot ?? join(ctx.opts.repoRoot, 'pipelines', 'steps');
  const python = ctx.opts.python ?? join(ctx.opts.repoRoot, '.venv', 'bin', 'python');
  const args = [join(stepsRoot, step.script), ...step.args.map((a) => argValue(ctx, step, a))];
  await runPython(python, args, {
    cwd: ctx.opts.repoRoot,
    stepsRoot,
    logFile: join(dir, 'stderr.log'),
    step: step.name,
    log: ctx.log,
  });
}

function runPython(
  python: string,
  args: string[],
  o: { cwd: string; stepsRoot: string; logFile: string; step: StepName; log: (line: string) => void },
): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(python, args, {
      cwd: o.cwd,
      env: { ...process.env, PYTHONPATH: o.stepsRoot, PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderrFile = createWriteStream(o.logFile);
    const tail: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) o.log(`  ${line}`);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrFile.write(chunk);
      for (const line of chunk.toString().split('\n')) if (line.trim()) tail.push(line);
      tail.splice(0, Math.max(0, tail.length - STDERR_TAIL));
    });
    child.on('error', (err) => fail(new StepFailedError(o.step, `could not start ${python}: ${err.message}`)));
    child.on('close', (code) => {
      stderrFile.end();
      if (pending.trim()) o.log(`  ${pending}`);
      if (code === 0) return done();
      fail(new StepFailedError(o.step, `exited with code ${code} (full log: ${o.logFile})\n${tail.join('\n')}`));
    });
  });
}

function readEvaluation(ctx: RunContext, step: StepName, output: string, file: string): Record<string, unknown> {
  const path = join(outputDir(ctx, step, output), file);
  if (!existsSync(path)) throw new Error(`${path} is missing: ${step} did not write it`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function jsonGet(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

function runCondition(ctx: RunContext, step: ConditionStepDef): Promise<string> {
  const producer = ctx.steps.find((s) => s.name === step.property.step) as ProcessingStepDef;
  const pf = producer.propertyFile;
  if (!pf) throw new Error(`${producer.name} declares no property file`);
  const actual = jsonGet(readEvaluation(ctx, producer.name, pf.output, pf.path), step.property.path);
  const branch = actual === step.equals ? step.ifSteps : step.elseSteps;
  ctx.log(`  ${step.property.path} = ${JSON.stringify(actual)} → ${branch.join(', ')}`);
  return branch
    .reduce(
      (chain, name) => chain.then(() => runStep(ctx, ctx.steps.find((s) => s.name === name) as StepDef)),
      Promise.resolve(),
    )
    .then(() => `${step.property.path}=${JSON.stringify(actual)}`);
}

function gateReasons(ctx: RunContext): string {
  const evaluation = readEvaluation(ctx, 'EvaluateModel', 'evaluation', 'evaluation.json');
  const reasons = jsonGet(evaluation, 'gate.reasons');
  return Array.isArray(reasons) && reasons.length ? reasons.join('; ') : 'no reason recorded';
}

/** What the registry keeps of an evaluation: the headline metrics (the champion comparison reads these). */
export function registryMetrics(evaluation: Record<string, unknown>): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  for (const key of ['common', 'orphan', 'commonVsOrphanAuroc', 'fewFindings', 'calibration', 'gate']) {
    if (key in evaluation) keep[key] = evaluation[key];
  }
  const common = keep.common as Record<string, Record<string, unknown>> | undefined;
  if (common?.complete) common.complete = { ...common.complete, perDisease: undefined };
  const calibration = keep.calibration as Record<string, unknown> | undefined;
  if (calibration) keep.calibration = { ece: calibration.ece, bySet: calibration.bySet };
  return JSON.parse(JSON.stringify(keep));
}

function register(ctx: RunContext, step: RegisterStepDef): string {
  const evaluation = readEvaluation(ctx, step.evaluation.step, step.evaluation.output, step.evaluation.path);
  const status = ctx.parameters.ModelApprovalStatus as 'PendingManualApproval' | 'Approved' | 'Rejected';
  const entry = ctx.registry.register(outputDir(ctx, step.package.step, step.package.output), {
    modelVersion: `dxops-local-${ctx.runId}`,
    metrics: registryMetrics(evaluation),
    status,
    runId: ctx.runId,
  });
  ctx.record.registeredVersion = entry.version;
  ctx.log(`  registered version ${entry.version} (${entry.status}) in ${ctx.registry.file}`);
  return `version ${entry.version}`;
}
