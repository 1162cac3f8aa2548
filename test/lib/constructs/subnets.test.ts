import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { privateSubnets } from '../../../lib/constructs/subnets';

function vpc(type: ec2.SubnetType | undefined) {
  const stack = new Stack();
  const subnetConfiguration: ec2.SubnetConfiguration[] = [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }];
  if (type) subnetConfiguration.push({ name: 'inner', subnetType: type });
  return new ec2.Vpc(stack, 'Vpc', {
    subnetConfiguration,
    natGateways: type === ec2.SubnetType.PRIVATE_WITH_EGRESS ? 1 : 0,
  });
}

describe('privateSubnets', () => {
  test('selects the private subnets, or the isolated ones when there is no NAT', () => {
    const withEgress = vpc(ec2.SubnetType.PRIVATE_WITH_EGRESS);
    expect(privateSubnets(withEgress).subnets).toEqual(withEgress.privateSubnets);
    const isolated = vpc(ec2.SubnetType.PRIVATE_ISOLATED);
    expect(privateSubnets(isolated).subnets).toEqual(isolated.isolatedSubnets);
  });

  test('refuses a VPC with public subnets only, naming it', () => {
    expect(() => privateSubnets(vpc(undefined))).toThrow(/VPC Default\/Vpc has no private or isolated subnets/);
  });
});
