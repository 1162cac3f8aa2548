import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { WebAcl } from '../../../lib/constructs/web-acl';

const ALB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dxops/0123456789abcdef';

function build(rateLimit?: number) {
  const stack = new Stack(undefined, 'Serving');
  new WebAcl(stack, 'Firewall', { resourceArn: ALB, logKey: new kms.Key(stack, 'Key'), rateLimit });
  return Template.fromStack(stack);
}

describe('WebAcl', () => {
  test('blocks by rate per IP first, then applies the AWS managed rule groups', () => {
    const template = build();
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Priority: 0,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } },
        }),
        Match.objectLike({
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        }),
        Match.objectLike({
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
        }),
      ]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: ALB });
  });

  test('logs to an encrypted aws-waf-logs- group with the authorization header redacted', () => {
    const template = build();
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      KmsKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    });
  });

  test('rejects a rate limit under 10, naming it', () => {
    expect(() => build(5)).toThrow(/rateLimit must be an integer from 10 to 2000000000, got 5/);
  });
});
