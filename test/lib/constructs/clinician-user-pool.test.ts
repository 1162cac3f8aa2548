import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClinicianUserPool } from '../../../lib/constructs/clinician-user-pool';

function build(minPasswordLength?: number, signInDomainPrefix = 'dxops-test-clinicians') {
  const stack = new Stack();
  new ClinicianUserPool(stack, 'Clinicians', {
    serviceUrl: 'https://dxops.example.org',
    signInDomainPrefix,
    minPasswordLength,
  });
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

  test('has a public client with the code flow back to the service URL', () => {
    build().hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://dxops.example.org'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  test("has a confidential sign-in client for the load balancer, called back at the ALB's idpresponse endpoint", () => {
    const template = build();
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid']),
      CallbackURLs: ['https://dxops.example.org/oauth2/idpresponse'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'dxops-test-clinicians' });
  });

  test('rejects a sign-in domain prefix Cognito would refuse, naming it', () => {
    expect(() => build(undefined, 'dxops-cognito')).toThrow(/signInDomainPrefix .* got dxops-cognito/);
    expect(() => build(undefined, 'DxOps')).toThrow(/signInDomainPrefix/);
  });

  test('rejects a password length under 12, naming it', () => {
    expect(() => build(8)).toThrow(/minPasswordLength must be an integer from 12 to 99, got 8/);
  });
});
