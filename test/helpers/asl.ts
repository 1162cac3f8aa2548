import type { Template } from 'aws-cdk-lib/assertions';

// asl-validator ships no types: (definition) => { isValid, errors, errorsText() }.
const validator: (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string } =
  require('asl-validator');

/**
 * The state machines of a template as ASL objects. `DefinitionString` is an `Fn::Join` around tokens (table
 * names, topic ARNs); each token becomes a placeholder string, which keeps the JSON valid.
 */
export function stateMachineDefinitions(template: Template): Record<string, Record<string, unknown>> {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  return Object.fromEntries(
    Object.entries(machines).map(([id, resource]) => {
      const body = resource.Properties.DefinitionString;
      const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map(placeholder).join('');
      return [id, JSON.parse(text)];
    }),
  );
}

/** Pseudo parameters become plausible values (ARNs must still parse); any other token becomes `TOKEN`. */
function placeholder(part: unknown): string {
  if (typeof part === 'string') return part;
  const ref = (part as { Ref?: string }).Ref;
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'eu-west-1',
    'AWS::AccountId': '123456789012',
  };
  return (ref && pseudo[ref]) ?? 'TOKEN';
}

/** Runs asl-validator; returns its error text ('' when the definition is valid). */
export function aslErrors(definition: unknown): string {
  const result = validator(definition);
  return result.isValid ? '' : result.errorsText('\n');
}
