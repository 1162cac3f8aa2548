import { CfnResource, type Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Acknowledgements that hold for every stack of the platform, with the reason. Resource-specific
 * acknowledgements stay next to the resource they are about.
 */
export function acknowledgePlatformWide(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        'CDK grants write one AWS::IAM::Policy per role, attached to that role only and scoped to the resources ' +
        'it uses; a shared customer-managed policy would give every role the union of the permissions.',
    },
  ]);
}

/** A checkov finding accepted for one resource, with the reason (written to the template's Metadata). */
export interface CheckovAcknowledgement {
  readonly id: string;
  readonly comment: string;
}

/**
 * Records accepted checkov findings on a resource (`Metadata.checkov.skip`), so checkov reports them as skipped with
 * the reason instead of failed. `construct` is an L1 resource or an L2 whose default child is one.
 */
export function acknowledgeCheckov(construct: IConstruct, findings: CheckovAcknowledgement[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) {
    throw new Error(`acknowledgeCheckov: ${construct.node.path} is not a CloudFormation resource`);
  }
  const existing = (resource.getMetadata('checkov') as { skip?: CheckovAcknowledgement[] } | undefined)?.skip ?? [];
  resource.addMetadata('checkov', { skip: [...existing, ...findings] });
}
