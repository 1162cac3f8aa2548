import { type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  ModelApprovalStatus,
  type SageMakerClient,
  SortBy,
  SortOrder,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, ParameterType, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { ApprovedModelParameter, ApprovedPackage, ModelRegistry, ServiceDeployer } from './deploy';
import { packageUri } from './event';

/** SageMaker model registry adapter. */
export function sageMakerRegistry(client: SageMakerClient): ModelRegistry {
  return {
    async latestApproved(groupName, limit) {
      const listed = await client.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: groupName,
          ModelApprovalStatus: ModelApprovalStatus.APPROVED,
          SortBy: SortBy.CREATION_TIME,
          SortOrder: SortOrder.DESCENDING,
          MaxResults: limit,
        }),
      );
      const packages: ApprovedPackage[] = [];
      for (const summary of listed.ModelPackageSummaryList ?? []) {
        const arn = summary.ModelPackageArn!;
        const described = await client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
        packages.push({
          arn,
          version: summary.ModelPackageVersion ?? 0,
          uri: packageUri(described as unknown as Record<string, unknown>),
        });
      }
      return packages;
    },
  };
}

/** SSM parameter adapter (a plain String parameter: it holds an S3 URI, no secret). */
export function ssmParameter(client: SSMClient, name: string): ApprovedModelParameter {
  return {
    async get() {
      const out = await client.send(new GetParameterCommand({ Name: name }));
      return out.Parameter?.Value ?? '';
    },
    async put(uri) {
      await client.send(
        new PutParameterCommand({ Name: name, Value: uri, Type: ParameterType.STRING, Overwrite: true }),
      );
    },
  };
}

/** ECS adapter: a new deployment restarts the tasks, which load the parameter's package at start. */
export function ecsService(client: ECSClient, cluster: string, service: string): ServiceDeployer {
  return {
    async forceNewDeployment() {
      await client.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
    },
  };
}
