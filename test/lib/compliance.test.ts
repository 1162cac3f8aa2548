import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeCheckov } from '../../lib/compliance';

describe('acknowledgeCheckov', () => {
  test('appends skips with their reason to the resource metadata', () => {
    // GIVEN
    const stack = new Stack();
    const queue = new sqs.Queue(stack, 'Q');
    // WHEN
    acknowledgeCheckov(queue, [{ id: 'CKV_AWS_27', comment: 'first' }]);
    acknowledgeCheckov(queue, [{ id: 'CKV_AWS_999', comment: 'second' }]);
    // THEN
    Template.fromStack(stack).hasResource('AWS::SQS::Queue', {
      Metadata: {
        checkov: {
          skip: [
            { id: 'CKV_AWS_27', comment: 'first' },
            { id: 'CKV_AWS_999', comment: 'second' },
          ],
        },
      },
    });
  });

  test('refuses a construct that is not a CloudFormation resource, naming its path', () => {
    const stack = new Stack();
    expect(() => acknowledgeCheckov(new Construct(stack, 'Plain'), [])).toThrow(
      /Plain is not a CloudFormation resource/,
    );
  });
});
