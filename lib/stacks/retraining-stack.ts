import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { acknowledgePlatformWide } from '../compliance';
import { ApprovalMode, type StageConfig } from '../config';
import { OpsKey } from '../constructs/ops-key';
import { RetrainingWorkflow } from '../constructs/retraining-workflow';

export interface RetrainingStackProps extends StackProps {
  readonly config: StageConfig;
  /** Name of the SageMaker pipeline (ML stack). */
  readonly pipelineName: string;
  /** Name of the Glue ingestion job whose success means new data. @default - no new-data trigger */
  readonly ingestionJobName?: string;
}

/**
 * The retraining loop's control plane: the workflow, its lock-and-runs table, and the encrypted notifications topic
 * (which the monitoring stack's alarms also use). Triggers here: schedule and new data; the drift alarm rule lives
 * with the alarms in the monitoring stack.
 */
export class RetrainingStack extends Stack {
  public readonly topic: sns.Topic;
  public readonly workflow: RetrainingWorkflow;
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: RetrainingStackProps) {
    super(scope, id, props);
    acknowledgePlatformWide(this);
    const { config } = props;
    const key = new OpsKey(this, 'OpsKey', { purpose: 'retraining and notifications', retain: config.retainData })
      .allowCloudWatchLogs()
      .allowServicePublishers('cloudwatch.amazonaws.com', 'events.amazonaws.com');

    this.topic = new sns.Topic(this, 'Notifications', {
      displayName: `DxOps ${config.stage} notifications`,
      masterKey: key.key,
      enforceSSL: true,
    });
    if (config.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alertEmail));

    this.table = new dynamodb.Table(this, 'Runs', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.table, [
      {
        id: 'HIPAA.Security-DynamoDBInBackupPlan',
        reason: 'Holds only the retraining lock and run records (no patient data); point-in-time recovery is on.',
      },
    ]);

    this.workflow = new RetrainingWorkflow(this, 'Workflow', {
      table: this.table,
      topic: this.topic,
      logKey: key.key,
      pipelineName: props.pipelineName,
      cooldown: Duration.hours(config.retraining.cooldownHours),
      timeout: Duration.hours(config.retraining.timeoutHours),
      // Must match the pipeline's parameter name (pipelines/definition); AUTO registers gate-passing models approved.
      pipelineParameters: {
        ModelApprovalStatus: config.approvalMode === ApprovalMode.AUTO ? 'Approved' : 'PendingManualApproval',
        // The ingestion partition of this run: the UTC date the execution started (JSONata, evaluated per run).
        IngestionDate: '{% $substring($states.context.Execution.StartTime, 0, 10) %}',
      },
      logRetention: config.logRetentionDays,
      retainLogs: config.retainData,
    });
    if (config.retraining.scheduleDays > 0) this.workflow.addScheduleTrigger(config.retraining.scheduleDays);
    if (props.ingestionJobName !== undefined) this.workflow.addNewDataTrigger(props.ingestionJobName);
    new CfnOutput(this, 'RetrainingStateMachineArn', {
      value: this.workflow.stateMachine.stateMachineArn,
      description: 'Retraining state machine: DXOPS_RETRAINING_STATE_MACHINE for `dxops retrain`',
    });
  }
}
