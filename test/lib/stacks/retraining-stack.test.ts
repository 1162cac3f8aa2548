import { Match, Template } from 'aws-cdk-lib/assertions';
import { aslErrors, stateMachineDefinitions } from '../../helpers/asl';
import { nagFindings } from '../../helpers/nag';
import { fixturePlatform } from '../../helpers/platform';

describe('RetrainingStack', () => {
  const { retraining } = fixturePlatform('prod');
  const template = Template.fromStack(retraining);

  test('has one state machine, its lock table, the notifications topic and the schedule and new-data rules', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::Events::Rule', 2);
  });

  test('the synthesized state machine is valid ASL and starts the ML stack pipeline in manual approval mode', () => {
    const [definition] = Object.values(stateMachineDefinitions(template));
    expect(aslErrors(definition)).toBe('');
    const states = definition.States as Record<string, { Arguments?: Record<string, unknown> }>;
    expect(states.StartPipeline.Arguments).toMatchObject({
      PipelineName: 'dxops-prod-training',
      PipelineParameters: [
        { Name: 'ModelApprovalStatus', Value: 'PendingManualApproval' },
        { Name: 'IngestionDate', Value: '{% $substring($states.context.Execution.StartTime, 0, 10) %}' },
      ],
    });
  });

  test('encrypts the topic, the table and the log group with the stack key', () => {
    const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^OpsKey'), 'Arn'] };
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: key });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: Match.objectLike({ SSEEnabled: true, KMSMasterKeyId: key }),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: key });
  });

  test('new data means the ingestion job of the data stack succeeded', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: [{ 'Fn::ImportValue': Match.stringLikeRegexp('IngestionJob') }], state: ['SUCCEEDED'] },
      }),
    });
  });

  test('outputs the state machine ARN the CLI reads as DXOPS_RETRAINING_STATE_MACHINE', () => {
    const [machine] = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
    template.hasOutput('RetrainingStateMachineArn', {
      Value: { Ref: machine },
      Description: Match.stringLikeRegexp('DXOPS_RETRAINING_STATE_MACHINE'),
    });
  });

  test('cdk-nag AwsSolutions and HIPAA.Security report no unacknowledged findings', () => {
    expect(nagFindings(retraining)).toEqual({ errors: [], warnings: [] });
  });
});
