import { Testing } from 'cdktf';
import { DxStack } from '../../constructs/dx-stack';
import { ForwardSet } from '../../constructs/forward-set';
import { ForwardingNlb } from '../../constructs/forwarding-nlb';
import { NatFleet, NatFleetProps } from '../../constructs/nat-fleet';

/** A fresh stack with the project's provider settings, for construct tests. */
export function testStack(): DxStack {
  return new DxStack(Testing.app(), 'test', { region: 'eu-west-2', accountId: '111111111111' });
}

/** The synthesized JSON of a stack as an object. */
export function synthObject(stack: DxStack): Record<string, any> {
  return JSON.parse(Testing.synth(stack));
}

export const EXAMPLE_FORWARDS = {
  'broker-a': { listenPort: 9001, targetIp: '192.0.2.10', targetPort: 9876, tcpIdleTimeoutSeconds: 3600 },
  'broker-b': { listenPort: 9002, targetIp: '198.51.100.20', targetPort: 4500 },
  clearing: { listenPort: 9443, targetIp: '172.20.5.15', targetPort: 8443 },
};

/** The example forwards behind one NLB in a fresh stack (name "fix", VPC 10.42.0.0/24, two subnets). */
export function nlbFixture(): { stack: DxStack; forwards: ForwardSet; nlb: ForwardingNlb } {
  const stack = testStack();
  const forwards = new ForwardSet(stack, 'forwards', { forwards: EXAMPLE_FORWARDS });
  const nlb = new ForwardingNlb(stack, 'nlb', {
    name: 'fix',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    forwards,
  });
  return { stack, forwards, nlb };
}

/** A NAT fleet behind the fixture's NLB ("fix-nat", account 111111111111, eu-west-2), with `extra` props over these. */
export function natFleetFixture(extra: Partial<NatFleetProps> = {}, fixture = nlbFixture()): DxStack {
  const { stack, forwards, nlb } = fixture;
  new NatFleet(stack, 'nat', {
    fleetName: 'fix-nat',
    vpcId: 'vpc-1',
    region: 'eu-west-2',
    accountId: '111111111111',
    partition: 'aws',
    endpointSecurityGroups: { created: 'sg-endpoints' },
    subnetIds: ['subnet-a', 'subnet-b'],
    forwards,
    targetGroups: [{ key: 'a-0', groups: nlb.targetGroupMap(), loadBalancerArnSuffix: nlb.loadBalancerArnSuffix }],
    ingressFrom: [{ key: 'a-0', securityGroupId: nlb.securityGroupId, forwards }],
    rulesBucket: { name: 'fix-rules', arn: 'arn:aws:s3:::fix-rules', region: 'eu-west-2' },
    s3PrefixListIds: ['pl-7ca54015'],
    ...extra,
  });
  return stack;
}
