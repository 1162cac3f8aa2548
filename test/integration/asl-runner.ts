// jsonata ships its own types; it is installed as asl-validator's dependency (declare it in devDependencies).
import jsonata from 'jsonata';

/**
 * A small executor for JSONata-mode ASL (Pass, Task, Choice, Wait, Succeed, Fail; Assign, Output, Catch), enough to
 * run the synthesized retraining state machine against moto. moto's own Step Functions parser cannot evaluate
 * JSONata (its evaluator is a stub) and no npm executor with JSONata support is installed, hence this runner.
 * Task resources are answered by `handlers`, keyed by resource ARN; a handler throws `TaskError` to fail a task.
 */
// biome-ignore lint/suspicious/noExplicitAny: ASL is untyped JSON
type Json = any;

export class TaskError extends Error {
  constructor(
    readonly error: string,
    readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

export type TaskHandler = (args: Json) => Promise<Json>;

export interface RunResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly path: string[];
  readonly error?: string;
  readonly cause?: string;
  readonly variables: Record<string, Json>;
}

const TEMPLATE = /^\{%([\s\S]*)%\}$/;

async function evaluate(value: Json, bindings: Record<string, Json>): Promise<Json> {
  if (typeof value === 'string') {
    const match = TEMPLATE.exec(value);
    return match ? jsonata(match[1]).evaluate({}, bindings) : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => evaluate(v, bindings)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await evaluate(v, bindings)]));
    return Object.fromEntries(entries);
  }
  return value;
}

function matches(errorEquals: string[], error: string): boolean {
  return errorEquals.includes(error) || errorEquals.includes('States.ALL');
}

export async function runStateMachine(
  definition: Json,
  input: Json,
  handlers: Record<string, TaskHandler>,
  execution: { name: string; maxSteps?: number },
): Promise<RunResult> {
  const variables: Record<string, Json> = {};
  const context = { Execution: { Name: execution.name, StartTime: new Date().toISOString() } };
  const path: string[] = [];
  let name: string = definition.StartAt;
  let stateInput = input;
  for (let step = 0; step < (execution.maxSteps ?? 100); step++) {
    const state = definition.States[name];
    path.push(name);
    const bindings = (extra: Record<string, Json> = {}) => ({
      ...variables,
      states: { input: stateInput, context, ...extra },
    });
    const finish = async (result: Json, extra: Record<string, Json> = {}) => {
      const b = bindings({ result, ...extra });
      const assigned = state.Assign ? await evaluate(state.Assign, b) : {};
      const output = state.Output !== undefined ? await evaluate(state.Output, b) : result;
      Object.assign(variables, assigned);
      return output;
    };
    switch (state.Type) {
      case 'Pass':
        stateInput = await finish(stateInput);
        break;
      case 'Wait':
        // Polling waits are skipped: the pipeline status comes from moto at once.
        stateInput = await finish(stateInput);
        break;
      case 'Succeed':
        return { status: 'SUCCEEDED', path, variables };
      case 'Fail':
        return {
          status: 'FAILED',
          path,
          variables,
          error: await evaluate(state.Error, bindings()),
          cause: await evaluate(state.Cause, bindings()),
        };
      case 'Choice': {
        let next = state.Default;
        for (const choice of state.Choices) {
          if (await evaluate(choice.Condition, bindings())) {
            next = choice.Next;
            break;
          }
        }
        name = next;
        continue;
      }
      case 'Task': {
        const handler = handlers[state.Resource];
        if (!handler) throw new Error(`no handler for ${state.Resource} (state ${name})`);
        try {
          const args = await evaluate(state.Arguments ?? {}, bindings());
          stateInput = await finish(await handler(args));
        } catch (err) {
          if (!(err instanceof TaskError)) throw err;
          const catcher = (state.Catch ?? []).find((c: Json) => matches(c.ErrorEquals, err.error));
          const errorOutput = { Error: err.error, Cause: err.cause };
          if (!catcher) return { status: 'FAILED', path, variables, error: err.error, cause: err.cause };
          const b = bindings({ errorOutput });
          Object.assign(variables, catcher.Assign ? await evaluate(catcher.Assign, b) : {});
          stateInput = catcher.Output !== undefined ? await evaluate(catcher.Output, b) : errorOutput;
          name = catcher.Next;
          continue;
        }
        break;
      }
      default:
        throw new Error(`state type ${state.Type} is not supported by this runner (state ${name})`);
    }
    if (state.End) return { status: 'SUCCEEDED', path, variables };
    name = state.Next;
  }
  throw new Error(`no end after ${execution.maxSteps ?? 100} steps: ${path.join(' → ')}`);
}
