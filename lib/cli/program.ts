/** The `dxops` command tree (commander). Each action picks the local or AWS backend from the global options. */
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { type ApprovalStatus, LocalRegistry } from '../../pipelines/definition/local-registry';
import { setting } from './aws';
import * as remoteModels from './aws-models';
import * as remote from './aws-pipeline';
import { assertFormat, FORMATS } from './cases';
import { type Context, type GlobalOptions, REPO_ROOT, resolveContext } from './context';
import { CliError } from './errors';
import { type EvaluationResult, evaluateEndpoint, evaluatePackage } from './evaluate';
import * as local from './local-commands';
import { pipelinePrune } from './local-prune';
import { DEFAULT_TOLERANCE } from './model-compare';
import { Output, pct } from './output';
import { predictFile } from './predict';
import { assertSource, SOURCES, uploadLocal, uploadS3 } from './upload';

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

function seconds(value: string, option: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new CliError(`${option} ${value}: expected a positive number`);
  return n;
}

/** How often and how long `--watch` looks: 2 s locally (a file read), 30 s on AWS (API calls). */
function watchOptions(ctx: Context, o: { interval?: string; timeout?: string }) {
  return {
    intervalMs: seconds(o.interval ?? (ctx.mode === 'local' ? '2' : '30'), '--interval') * 1000,
    timeoutMs: seconds(o.timeout ?? '720', '--timeout') * 60_000,
  };
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
      return remoteModels.modelsList(
        ctx,
        out,
        setting('DXOPS_MODEL_PACKAGE_GROUP', o.group, 'the model package group'),
      );
    });
  models
    .command('show <version>')
    .description('one version: status, metrics, package')
    .option('--group <name>', 'model package group (AWS)', env.DXOPS_MODEL_PACKAGE_GROUP)
    .action(async (v, o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.modelsShow(ctx, out, version(v));
      return remoteModels.modelsShow(
        ctx,
        out,
        setting('DXOPS_MODEL_PACKAGE_GROUP', o.group, 'the model package group'),
        version(v),
      );
    });
  models
    .command('compare <a> <b>')
    .description(
      'two versions: every headline metric with its change, regressions beyond the gate tolerance, changed inputs',
    )
    .option('--all', 'also the metrics that did not change')
    .option(
      '--tolerance <x>',
      `a drop larger than this is flagged (default: the gate tolerance, ${DEFAULT_TOLERANCE})`,
      String(DEFAULT_TOLERANCE),
    )
    .option('--group <name>', 'model package group (AWS)', env.DXOPS_MODEL_PACKAGE_GROUP)
    .action(async (a, b, o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      const tolerance = Number(o.tolerance);
      if (!(tolerance >= 0 && tolerance < 1))
        throw new CliError(`'${o.tolerance}' is not a tolerance`, 'give a number from 0 to 1, e.g. --tolerance 0.01');
      const options = { all: Boolean(o.all), tolerance };
      if (ctx.mode === 'local') return local.modelsCompare(ctx, out, version(a), version(b), options);
      return remoteModels.modelsCompare(
        ctx,
        out,
        setting('DXOPS_MODEL_PACKAGE_GROUP', o.group, 'the model package group'),
        version(a),
        version(b),
        options,
      );
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
        return remoteModels.modelsSetStatus(
          ctx,
          out,
          setting('DXOPS_MODEL_PACKAGE_GROUP', o.group, 'the model package group'),
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
    .description('start a run (locally: runs it now, step by step; on AWS --watch follows it)')
    .option('--param <Name=value>', 'pipeline parameter (repeatable)', collect)
    .option('--watch', 'AWS: follow the execution step by step until it ends, as pipeline status --watch')
    .option('--interval <seconds>', 'time between two looks with --watch (default: 30)')
    .option('--timeout <minutes>', 'give up watching after this long (default: 720)')
    .addOption(pipelineName)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return void (await local.pipelineStart(ctx, out, params(o.param)));
      return remote.pipelineStart(
        ctx,
        out,
        setting('DXOPS_PIPELINE_NAME', o.pipeline, 'the pipeline name'),
        params(o.param),
        o.watch ? watchOptions(ctx, o) : undefined,
      );
    });
  pipeline
    .command('status [execution]')
    .description('step-by-step status of a run (default: the latest run); --watch follows it until it ends')
    .option('--watch', 'print each step as its status changes, until the run ends (exit 1 unless it succeeds)')
    .option('--interval <seconds>', 'time between two looks with --watch (default: 2 locally, 30 on AWS)')
    .option('--timeout <minutes>', 'give up watching after this long (default: 720)')
    .addOption(pipelineName)
    .action(async (execution, o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      const watch = o.watch ? watchOptions(ctx, o) : undefined;
      if (ctx.mode === 'local') return local.pipelineStatus(ctx, out, execution, watch);
      return remote.pipelineStatus(ctx, out, execution, o.pipeline, watch);
    });
  pipeline
    .command('list')
    .description('runs, newest last (locally) or first (AWS)')
    .addOption(pipelineName)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.pipelineList(ctx, out);
      return remote.pipelineList(ctx, out, setting('DXOPS_PIPELINE_NAME', o.pipeline, 'the pipeline name'));
    });

  pipeline
    .command('prune')
    .description(
      'locally: remove old run directories, keeping the newest, any executing and the one of the served version',
    )
    .option('--keep <n>', 'how many of the newest runs to keep (default: 10)')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode !== 'local')
        throw new CliError(
          'pipeline prune acts on the embedded default only',
          "on AWS the run artifacts stay in S3 as the registered packages' lineage; use --local for this machine",
        );
      const keep = Number(o.keep ?? '10');
      if (!Number.isInteger(keep) || keep < 0)
        throw new CliError(`--keep ${o.keep}: expected a whole number of runs, 0 or more`);
      pipelinePrune(ctx, out, keep, Boolean(o.dryRun));
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
        setting('DXOPS_RETRAINING_STATE_MACHINE', o.stateMachine, 'the state machine ARN'),
        o.reason,
      );
    });
  retrain
    .command('status [execution]')
    .description('one retraining run')
    .action(async (execution, _o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      if (ctx.mode === 'local') return local.pipelineStatus(ctx, out, execution);
      return remote.retrainStatus(ctx, out, setting('EXECUTION', execution, 'the execution ARN'));
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
        setting('DXOPS_RETRAINING_STATE_MACHINE', o.stateMachine, 'the state machine ARN'),
      );
    });

  program
    .command('data')
    .description('the raw zone')
    .command('upload <path>')
    .description('add raw files for the next ingestion (AWS: S3 with SSE-KMS and checksums)')
    .requiredOption('--source <name>', SOURCES.join(' | '))
    .option('--bucket <name>', 'raw bucket (AWS)', env.DXOPS_RAW_BUCKET)
    .option('--kms-key <id>', 'KMS key for SSE-KMS (AWS; default: the bucket key)')
    .action(async (path, o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      assertSource(o.source);
      if (ctx.mode === 'local') return uploadLocal(ctx, out, path, o.source);
      return uploadS3(ctx, out, path, o.source, setting('DXOPS_RAW_BUCKET', o.bucket, 'the raw bucket'), o.kmsKey);
    });

  program
    .command('evaluate')
    .description(
      'metrics of a model on a labeled file: a version of the local registry (default: the approved one), or the service at --url',
    )
    .requiredOption('--format <format>', FORMATS.join('|'))
    .requiredOption('--input <path>', 'file (or directory of phenopackets)')
    .option('--model <version>', 'registry version (default: the approved one)')
    .option('--url <url>', 'evaluate the running service at this base URL instead (local or deployed)')
    .option('--token <jwt>', 'bearer token (deployed service)', env.DXOPS_TOKEN)
    .action(async (o, cmd) => {
      const { ctx, out } = ctxOf(cmd);
      const format = assertFormat(o.format);
      const mappings = join(REPO_ROOT, 'pipelines', 'mappings');
      if (o.url && o.model)
        throw new CliError('--model and --url exclude each other', 'the service at --url serves its own version');
      let result: EvaluationResult;
      if (o.url) {
        result = await evaluateEndpoint(o.url, o.token, format, o.input, mappings);
      } else {
        const reg = new LocalRegistry(ctx.dxopsHome);
        const pkg = o.model ? reg.get(version(o.model)) : reg.approvedVersion();
        if (!pkg)
          throw new CliError(
            'no approved model in the local registry',
            "run 'make demo' or approve a version (dxops models approve N --reason ...), or pass --url",
          );
        result = await evaluatePackage(reg.packagePath(pkg), format, o.input, mappings);
      }
      out.result(result, () =>
        [
          `model ${result.modelVersion}${o.url ? ` at ${o.url}` : ''} on ${result.n} ${result.format} cases (${result.outsideCatalog} with a diagnosis outside the catalog, counted as misses; ${result.rejected} unreadable)`,
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
