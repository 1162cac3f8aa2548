/** The `dxops` command tree (commander). Each action picks the local or AWS backend from the global options. */
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { type ApprovalStatus, LocalRegistry } from '../../pipelines/definition/local-registry';
import * as remote from './aws-commands';
import { assertFormat, FORMATS } from './cases';
import { type Context, type GlobalOptions, REPO_ROOT, resolveContext } from './context';
import { CliError } from './errors';
import { evaluatePackage } from './evaluate';
import * as local from './local-commands';
import { Output, pct } from './output';
import { predictFile } from './predict';

const env = process.env;

function ctxOf(cmd: Command): { ctx: Context; out: Output } {
  const ctx = resolveContext(cmd.optsWithGlobals() as GlobalOptions);
  return { ctx, out: new Output(ctx.json) };
}

function version(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`'${value}' is not a model version number`, 'versions are 1, 2, 3 ... (dxops models list)');
  return n;
}

function params(list: string[] = []): Record<string, string> {
  return Object.fromEntries(
    list.map((kv) => {
      const i = kv.indexOf('=');
      if (i < 1) throw new CliError(`--param ${kv}: expected Name=value`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

const collect = (value: string, prev: string[] = []) => [...prev, value];

export function buildProgram(): Command {
  const program = new Command('dxops')
    .description('DxOps: data, pipeline, models and retraining, on this machine (--local) or on AWS')
    .option('--json', 'print JSON for scripts')
    .option('--local', 'act on the embedded default (local runner, registry, service)')
    .option('--aws', 'act on AWS even without local AWS configuration')
    .option('--home <dir>', 'DXOPS_HOME of the embedded default (default: .dxops in the repository)')
    .option('--endpoint-url <url>', 'AWS endpoint (an emulator on loopback in tests)')
    .option('--region <region>', 'AWS region')
    .showHelpAfterError();

  const models = program.command('models').description('the model registry');
  models
    .command('list')
    .description('versions with their key metrics side by side')
    .option('--group <name>', 'model package group (AWS)', env.DXOPS_MODEL_PACKAGE_GROUP)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.modelsList(ctx, out);
      return remote.modelsList(
        ctx,
        out,
        remote.setting('DXOPS_MODEL_PACKAGE_GROUP', o.group, 'the model package group'),
      );
    });
  models
    .command('show <version>')
    .description('one version: status, metrics, package')
    .action((v, _o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode !== 'local')
        throw new CliError('models show is local only for now', 'use --local, or dxops models list on AWS');
      local.modelsShow(ctx, out, version(v));
    });
  for (const [name, status] of [
    ['approve', 'Approved'],
    ['reject', 'Rejected'],
  ] as const) {
    models
      .command(`${name} <version>`)
      .description(`mark a version ${status}`)
      .requiredOption('--reason <text>', 'why (kept in the registry)')
      .option('--group <name>', 'model package group (AWS)', env.DXOPS_MODEL_PACKAGE_GROUP)
      .action(async (v, o, cmd) => {
        const { ctx, out } = ctxOf(cmd);
        if (ctx.mode === 'local')
          return local.modelsSetStatus(ctx, out, version(v), status as ApprovalStatus, o.reason);
        return remote.modelsSetStatus(
          ctx,
          out,
          remote.setting('DXOPS_MODEL_PACKAGE_GROUP', o.group, 'the model package group'),
          version(v),
          status,
          o.reason,
        );
      });
  }

  const pipeline = program.command('pipeline').description('the training pipeline');
  const pipelineName = new Option('--pipeline <name>', 'SageMaker pipeline name (AWS)').default(
    env.DXOPS_PIPELINE_NAME,
  );
  pipeline
    .command('start')
    .description('start a run (locally: runs it now, step by step)')
    .option('--param <Name=value>', 'pipeline parameter (repeatable)', collect)
    .addOption(pipelineName)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return void (await local.pipelineStart(ctx, out, params(o.param)));
      return remote.pipelineStart(
        ctx,
        out,
        remote.setting('DXOPS_PIPELINE_NAME', o.pipeline, 'the pipeline name'),
        params(o.param),
      );
    });
  pipeline
    .command('status [execution]')
    .description('step-by-step status of a run (default: the latest local run)')
    .action(async (execution, _o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.pipelineStatus(ctx, out, execution);
      return remote.pipelineStatus(ctx, out, remote.setting('EXECUTION', execution, 'the pipeline execution ARN'));
    });
  pipeline
    .command('list')
    .description('runs, newest last (locally) or first (AWS)')
    .addOption(pipelineName)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.pipelineList(ctx, out);
      return remote.pipelineList(ctx, out, remote.setting('DXOPS_PIPELINE_NAME', o.pipeline, 'the pipeline name'));
    });

  const retrain = program.command('retrain').description('the retraining workflow');
  const machine = new Option('--state-machine <arn>', 'retraining state machine ARN (AWS)').default(
    env.DXOPS_RETRAINING_STATE_MACHINE,
  );
  retrain
    .command('start')
    .description('start retraining now (locally: a pipeline run)')
    .option('--reason <text>', 'why', 'manual')
    .addOption(machine)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return void (await local.pipelineStart(ctx, out, {}));
      return remote.retrainStart(
        ctx,
        out,
        remote.setting('DXOPS_RETRAINING_STATE_MACHINE', o.stateMachine, 'the state machine ARN'),
        o.reason,
      );
    });
  retrain
    .command('status [execution]')
    .description('one retraining run')
    .action(async (execution, _o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.pipelineStatus(ctx, out, execution);
      return remote.retrainStatus(ctx, out, remote.setting('EXECUTION', execution, 'the execution ARN'));
    });
  retrain
    .command('history')
    .description('past retraining runs')
    .addOption(machine)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.pipelineList(ctx, out);
      return remote.retrainHistory(
        ctx,
        out,
        remote.setting('DXOPS_RETRAINING_STATE_MACHINE', o.stateMachine, 'the state machine ARN'),
      );
    });

  program
    .command('data')
    .description('the raw zone')
    .command('upload <path>')
    .description('add raw files for the next ingestion (AWS: S3 with SSE-KMS and checksums)')
    .requiredOption('--source <name>', 'ddxplus | kaggle | phenopackets')
    .option('--bucket <name>', 'raw bucket (AWS)', env.DXOPS_RAW_BUCKET)
    .option('--kms-key <id>', 'KMS key for SSE-KMS (AWS; default: the bucket key)')
    .action(async (path, o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (!['ddxplus', 'kaggle', 'phenopackets'].includes(o.source))
        throw new CliError(`unknown source '${o.source}'`, 'use --source ddxplus|kaggle|phenopackets');
      if (ctx.mode === 'local') return local.dataUpload(ctx, out, path, o.source);
      const progress =
        ctx.json || !process.stderr.isTTY
          ? undefined
          : (done: number, total: number) => void process.stderr.write(`\r${Math.round((done / total) * 100)}%`);
      return remote.dataUpload(
        ctx,
        out,
        path,
        o.source,
        remote.setting('DXOPS_RAW_BUCKET', o.bucket, 'the raw bucket'),
        o.kmsKey,
        progress,
      );
    });

  program
    .command('evaluate')
    .description('metrics of the approved (or given) model on a labeled file, without retraining')
    .requiredOption('--format <format>', FORMATS.join('|'))
    .requiredOption('--input <path>', 'file (or directory of phenopackets)')
    .option('--model <version>', 'registry version (default: the approved one)')
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      const reg = new LocalRegistry(ctx.dxopsHome);
      const pkg = o.model ? reg.get(version(o.model)) : reg.approvedVersion();
      if (!pkg)
        throw new CliError(
          'no approved model in the local registry',
          "run 'make demo' or approve a version (dxops models approve N --reason ...)",
        );
      const result = await evaluatePackage(
        reg.packagePath(pkg),
        assertFormat(o.format),
        o.input,
        join(REPO_ROOT, 'pipelines', 'mappings'),
      );
      out.result(result, () =>
        [
          `model ${result.modelVersion} on ${result.n} ${result.format} cases (${result.outsideCatalog} with a diagnosis outside the catalog, counted as misses; ${result.rejected} unreadable)`,
          `top-1 ${pct(result.top1)}  top-3 ${pct(result.top3)}  top-10 ${pct(result.top10)}  MRR ${pct(result.mrr)}`,
        ].join('\n'),
      );
    });

  program
    .command('predict')
    .description('send a request file to the local or deployed service')
    .requiredOption('--input <file>', 'JSON body of POST /v1/diagnoses')
    .option('--url <url>', 'service base URL', env.DXOPS_URL ?? 'http://127.0.0.1:8080')
    .option('--token <jwt>', 'bearer token (deployed service)', env.DXOPS_TOKEN)
    .action(async (o, cmd) => {
      const { out } = ctxOf(cmd);
      await predictFile(out, o.input, o.url, o.token);
    });
  return program;
}
