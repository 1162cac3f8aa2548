import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RetrainingWorkflow } from '../../lib/constructs/retraining-workflow';

// biome-ignore lint/suspicious/noExplicitAny: ASL is untyped JSON
type Json = any;

/**
 * The retraining state machine as CDK synthesizes it, with its table and topic tokens resolved to moto's: from
 * `stack` (the platform's retraining stack) when given, else from a RetrainingWorkflow built here on `pipelineName`.
 */
export function synthesizedRetrainingDefinition(
  names: {
    region: string;
    tableName: string;
    topicArn: string;
    pipelineName: string;
  },
  stack?: Stack,
): Json {
  const { region: REGION, tableName: TABLE, topicArn, pipelineName: PIPELINE } = names;
  const template = Template.fromStack(stack ?? workflowStack(REGION, PIPELINE));
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const resolve = (part: Json): string => {
    if (typeof part === 'string') return part;
    const ref = part.Ref as string;
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION };
    if (pseudo[ref]) return pseudo[ref];
    const type = resources[ref]?.Type;
    if (type === 'AWS::DynamoDB::Table') return TABLE;
    if (type === 'AWS::SNS::Topic') return topicArn;
    throw new Error(`unresolved token in the definition: ${JSON.stringify(part)}`);
  };
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const body = machine.Properties.DefinitionString;
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as Json[]).map(resolve).join('');
  return JSON.parse(text);
}

function workflowStack(region: string, pipelineName: string): Stack {
  const stack = new Stack(undefined, 'S', { env: { region, account: '123456789012' } });
  const key = new kms.Key(stack, 'Key');
  new RetrainingWorkflow(stack, 'Workflow', {
    table: new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
    topic: new sns.Topic(stack, 'Topic', { masterKey: key }),
    logKey: key,
    pipelineName,
    cooldown: Duration.hours(12),
    timeout: Duration.hours(6),
    pipelineParameters: {},
  });
  return stack;
}
