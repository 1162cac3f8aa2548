/** The training pipeline (SageMaker Pipelines) and the retraining workflow (Step Functions) on AWS. */
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionStep,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { aws, clientConfig } from './aws';
import type { Context } from './context';
import { CliError } from './errors';
import { type FollowOptions, follow, type RunSnapshot } from './follow';
import { type Output, table } from './output';

/** Starts an execution; with `watch`, follows it to its end as `pipeline status --watch` does. */
export async function pipelineStart(
  ctx: Context,
  out: Output,
  pipeline: string,
  params: Record<string, string>,
  watch?: Omit<FollowOptions, 'print'>,
): Promise<void> {
  const sm = new SageMakerClient(clientConfig(ctx));
  const res = await aws(() =>
    sm.send(
      new StartPipelineExecutionCommand({
        PipelineName: pipeline,
        PipelineParameters: Object.entries(params).map(([Name, Value]) => ({ Name, Value })),
        ClientRequestToken: `dxops-cli-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
      }),
    ),
  );
  if (watch) return pipelineStatus(ctx, out, res.PipelineExecutionArn, pipeline, watch);
  out.result(
    res,
    () =>
      `started ${res.PipelineExecutionArn}; follow it with: dxops pipeline status --watch ${res.PipelineExecutionArn}`,
  );
}

export async function pipelineList(ctx: Context, out: Output, pipeline: string): Promise<void> {
  const sm = new SageMakerClient(clientConfig(ctx));
  const res = await aws(() =>
    sm.send(
      new ListPipelineExecutionsCommand({ PipelineName: pipeline, SortBy: 'CreationTime', SortOrder: 'Descending' }),
    ),
  );
  const list = res.PipelineExecutionSummaries ?? [];
  out.result(list, () =>
    list.length
      ? table(
          ['execution', 'status', 'started'],
          list.map((e) => [e.PipelineExecutionArn, e.PipelineExecutionStatus, e.StartTime?.toISOString().slice(0, 19)]),
        )
      : `no executions of ${pipeline}: dxops pipeline start --pipeline ${pipeline}`,
  );
}

/** The execution to show: the one given, else the newest of `pipeline`. */
async function executionArn(ctx: Context, execution: string | undefined, pipeline: string | undefined) {
  if (execution) return execution;
  if (!pipeline)
    throw new CliError(
      'which pipeline execution? none given and the pipeline name is not set',
      'pass an execution ARN (dxops pipeline list), or --pipeline / DXOPS_PIPELINE_NAME for the latest one',
    );
  const sm = new SageMakerClient(clientConfig(ctx));
  const res = await aws(() =>
    sm.send(
      new ListPipelineExecutionsCommand({
        PipelineName: pipeline,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
      }),
    ),
  );
  const latest = res.PipelineExecutionSummaries?.[0]?.PipelineExecutionArn;
  if (!latest) throw new CliError(`no executions of ${pipeline} yet`, `start one with: dxops pipeline start`);
  return latest;
}

async function snapshot(ctx: Context, arn: string) {
  const sm = new SageMakerClient(clientConfig(ctx));
  const exec = await aws(() => sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn })));
  const steps: PipelineExecutionStep[] = [];
  let token: string | undefined;
  do {
    const page = await aws(() =>
      sm.send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, SortOrder: 'Ascending', NextToken: token }),
      ),
    );
    steps.push(...(page.PipelineExecutionSteps ?? []));
    token = page.NextToken;
  } while (token);
  const status = exec.PipelineExecutionStatus ?? 'Unknown';
  const run: RunSnapshot = {
    id: arn,
    status,
    done: ['Succeeded', 'Failed', 'Stopped'].includes(status),
    failure: exec.FailureReason,
    steps: steps.map((s) => ({ name: s.StepName ?? '?', status: s.StepStatus ?? 'Unknown', detail: s.FailureReason })),
  };
  return { exec, steps, run };
}

export async function pipelineStatus(
  ctx: Context,
  out: Output,
  execution: string | undefined,
  pipeline: string | undefined,
  watch?: Omit<FollowOptions, 'print'>,
): Promise<void> {
  const arn = await executionArn(ctx, execution, pipeline);
  if (watch) {
    const run = await follow(async () => (await snapshot(ctx, arn)).run, {
      ...watch,
      print: ctx.json ? () => undefined : (line) => process.stderr.write(`${line}\n`),
    });
    const { exec, steps } = await snapshot(ctx, arn);
    out.result({ execution: exec, steps }, () => `${arn}: ${run.status}`);
    if (run.status !== 'Succeeded')
      throw new CliError(`pipeline execution ${run.status}`, 'see the failed step above (dxops pipeline status)');
    return;
  }
  const { exec, steps } = await snapshot(ctx, arn);
  out.result({ execution: exec, steps }, () =>
    [
      `${arn}: ${exec.PipelineExecutionStatus}${exec.FailureReason ? ` (${exec.FailureReason})` : ''}`,
      table(
        ['step', 'status', 'started', 'failure'],
        steps.map((s) => [s.StepName, s.StepStatus, s.StartTime?.toISOString().slice(11, 19), s.FailureReason]),
      ),
    ].join('\n'),
  );
}

export async function retrainStart(ctx: Context, out: Output, stateMachineArn: string, reason: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(ctx));
  const res = await aws(() =>
    sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ trigger: 'dxops retrain start', reason }) }),
    ),
  );
  out.result(
    res,
    () =>
      `started ${res.executionArn}; the cooldown lock decides whether a pipeline run starts (dxops retrain status ${res.executionArn})`,
  );
}

export async function retrainHistory(ctx: Context, out: Output, stateMachineArn: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(ctx));
  const res = await aws(() => sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 20 })));
  const list = res.executions ?? [];
  out.result(list, () =>
    list.length
      ? table(
          ['execution', 'status', 'started'],
          list.map((e) => [e.name, e.status, e.startDate?.toISOString().slice(0, 19)]),
        )
      : 'no retraining runs yet',
  );
}

export async function retrainStatus(ctx: Context, out: Output, executionArn: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(ctx));
  const res = await aws(() => sfn.send(new DescribeExecutionCommand({ executionArn })));
  out.result(
    res,
    () => `${res.name}: ${res.status}${res.error ? ` (${res.error}: ${res.cause})` : ''}\noutput: ${res.output ?? '-'}`,
  );
}
