import type { Stack } from 'aws-cdk-lib';
import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';

/** Applies both cdk-nag packs to a stack and returns the unacknowledged errors and warnings, as readable strings. */
export function nagFindings(stack: Stack): { errors: string[]; warnings: string[] } {
  Aspects.of(stack).add(new AwsSolutionsChecks());
  Aspects.of(stack).add(new HIPAASecurityChecks());
  const annotations = Annotations.fromStack(stack);
  const format = (m: SynthesisMessage) => `${m.id}: ${String(m.entry.data)}`;
  return {
    errors: annotations.findError('*', Match.stringLikeRegexp('.*')).map(format),
    warnings: annotations.findWarning('*', Match.stringLikeRegexp('.*')).map(format),
  };
}
