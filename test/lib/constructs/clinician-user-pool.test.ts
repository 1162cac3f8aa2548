import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClinicianUserPool } from '../../../lib/constructs/clinician-user-pool';

function build(minPasswordLength?: number) {
  const stack = new Stack();
  new ClinicianUserPool(stack, 'Clinicians', { serviceUrl: 'https://dxops.example.org', minPasswordLength });
  return Template.fromStack(stack);
}

describe('ClinicianUserPool', () => {
  test('requires TOTP MFA, strong passwords and admin-created accounts, with threat protection enforced', () => {
    const template = build();
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  test('has one public client with the code flow back to the service URL', () => {
    build().hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://dxops.example.org'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  test('rejects a password length under 12, naming it', () => {
    expect(() => build(8)).toThrow(/minPasswordLength must be an integer from 12 to 99, got 8/);
  });
});
