import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The private subnets of a VPC, whether it is the platform's own (private with egress, or isolated without NAT) or an
 * existing one found by `vpcId` (whose subnet group names are not ours to choose).
 */
export function privateSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  const subnets = vpc.privateSubnets.length > 0 ? vpc.privateSubnets : vpc.isolatedSubnets;
  if (subnets.length === 0) {
    throw new Error(`privateSubnets: VPC ${vpc.node.path} has no private or isolated subnets`);
  }
  return { subnets };
}
