import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

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
