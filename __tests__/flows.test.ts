import { Deployed, StateResource } from './support/applied-state';
import { exampleDeployed, FIXTURE_TIMEOUT } from './support/example';
import { Where, bootCalls, flowsOf, missingHops, reachableCalls } from './support/flows';

// The example's plans (and applied state) are built on first use, shared by every file (support/example.ts): here, with time for it.
beforeAll(() => {
  exampleDeployed();
}, FIXTURE_TIMEOUT);

// Issue 19: every flow the running system needs, with all its hops, checked
// on the example's provider stack as its first apply would leave it: the
// real plan, applied offline (applied-state.ts). Then each hop is taken
// away in turn, and the check must fail naming it.

const WHERE: Where = { region: 'eu-west-2', account: '111111111111' };

type Resource = StateResource & { module?: string };

/** A copy of the example as deployed, changed by `change`. */
function mutated(change: (resources: Map<string, Resource>) => void): Deployed {
  const d = exampleDeployed();
  const resources = new Map([...d.resources].map(([k, v]) => [k, structuredClone(v)]));
  change(resources);
  return { resources, schemas: d.schemas };
}

const byAddress = (resources: Map<string, Resource>, address: string) => {
  const r = resources.get(address);
  if (!r) throw new Error(`no ${address} in the deployed example`);
  return r;
};

describe('the example as deployed', () => {
  test('every flow has every hop', () => {
    expect(missingHops(exampleDeployed(), WHERE)).toEqual([]);
  });

  test('the boot calls are read from the rendered script: the lifecycle action and the rules fetch', () => {
    const lt = [...exampleDeployed().resources.values()].find((r) => r.type === 'aws_launch_template')!;
    const script = Buffer.from(lt.values.user_data, 'base64').toString('utf8');
    expect(bootCalls(script)).toEqual([
      { service: 'autoscaling', operation: 'complete-lifecycle-action' },
      { service: 's3api', operation: 'get-object' },
    ]);
    expect(reachableCalls(exampleDeployed(), WHERE, 'fix-gw-nat').sort()).toEqual([
      'autoscaling complete-lifecycle-action',
      's3api get-object',
    ]);
  });

  test('the flows cover the data path of each forward and tenant, the health checks, the boot calls, Session Manager and flow logs', () => {
    const names = flowsOf(exampleDeployed(), WHERE).map((f) => `${f.kind}: ${f.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'boot: NAT fleet fix-gw-nat: aws autoscaling complete-lifecycle-action',
        'boot: NAT fleet fix-gw-nat: aws s3api get-object',
        'boot: NAT fleet fix-gw-nat: dnf install (Amazon Linux 2023 repositories in S3)',
        'session: NAT fleet fix-gw-nat: SSM agent to ssm',
        'session: NAT fleet fix-gw-nat: SSM agent to ssmmessages',
        'session: NAT fleet fix-gw-nat: SSM agent to ec2messages',
        'data: forward fix-gw-internal-nlb:9001 via fix-gw-nat -> 192.0.2.10:9876',
        'data: forward fix-gw-internal-nlb:9002 via fix-gw-nat -> 198.51.100.20:4500',
        'data: forward fix-gw-internal-nlb:9443 -> 172.20.5.15:8443',
        'data: forward fix-gw-clients-nlb:9002 via fix-gw-nat -> 198.51.100.20:4500',
        'health: health check fix-gw-internal-nlb:9001 via fix-gw-nat',
        'health: health check fix-gw-internal-nlb:9443 -> 172.20.5.15:8443',
      ]),
    );
    expect(names.filter((n) => n.startsWith('logs: flow logs of subnet-'))).toHaveLength(2);
  });
});

describe('removing one hop fails the check, naming it', () => {
  const cases: [string, (r: Map<string, Resource>) => void, RegExp][] = [
    [
      'the Auto Scaling endpoint',
      (r) => r.delete('aws_vpc_endpoint.network_ssm_endpoint["autoscaling"]'),
      /^NAT fleet fix-gw-nat: aws autoscaling complete-lifecycle-action: endpoint: no interface endpoint com\.amazonaws\.eu-west-2\.autoscaling in vpc-/,
    ],
    [
      'private DNS of the Auto Scaling endpoint',
      (r) => (byAddress(r, 'aws_vpc_endpoint.network_ssm_endpoint["autoscaling"]').values.private_dns_enabled = false),
      /complete-lifecycle-action: endpoint: vpce-\w+ has private DNS off/,
    ],
    [
      "the NAT group's egress to the endpoints",
      (r) => r.delete('aws_vpc_security_group_egress_rule.nat_sg_egress_endpoints["created"]'),
      /complete-lifecycle-action: security group out: no egress rule of sg-\w+ allows 443 to vpce-/,
    ],
    [
      "the endpoints' ingress from the NAT group",
      (r) => r.delete('aws_vpc_security_group_ingress_rule.nat_sg_endpoint_ingress["created"]'),
      /complete-lifecycle-action: security group in: no ingress rule of sg-\w+ on vpce-\w+ admits 443 from sg-/,
    ],
    [
      'the lifecycle action statement',
      (r) => {
        const policy = byAddress(r, 'aws_iam_role_policy.nat_rules_access');
        const doc = JSON.parse(policy.values.policy);
        doc.Statement = doc.Statement.filter((s: { Sid: string }) => s.Sid !== 'CompleteOwnLaunch');
        policy.values.policy = JSON.stringify(doc);
      },
      /complete-lifecycle-action: IAM: role fix-gw-nat-\d+ has no statement allowing autoscaling:CompleteLifecycleAction on arn:aws:autoscaling:eu-west-2:111111111111:autoScalingGroup:/,
    ],
    [
      'the S3 gateway endpoint in the NAT route tables',
      (r) => (byAddress(r, 'aws_vpc_endpoint.network_s3_endpoint').values.route_table_ids = []),
      /^NAT fleet fix-gw-nat: aws s3api get-object: route: the route tables of subnet-\w+, subnet-\w+ do not carry the S3 gateway endpoint/,
    ],
    [
      'the egress to S3',
      (r) => r.delete('aws_vpc_security_group_egress_rule.nat_sg_egress_s3[0]'),
      /s3api get-object: security group out: no egress rule of sg-\w+ allows 443 to the S3 prefix list pl-/,
    ],
    [
      'the route propagation of one zone',
      (r) => r.delete('aws_vpn_gateway_route_propagation.direct_connect_route_propagation["eu-west-2b"]'),
      /^forward fix-gw-internal-nlb:9001 via fix-gw-nat -> 192\.0\.2\.10:9876: route: route table rtb-\w+ of subnet subnet-\w+ has no route to 192\.0\.2\.10/,
    ],
    [
      "the VGW's attachment to the VPC",
      (r) => (byAddress(r, 'aws_vpn_gateway.direct_connect_vgw[0]').values.vpc_id = null),
      /^forward fix-gw-internal-nlb:9443 -> 172\.20\.5\.15:8443: Direct Connect: vgw-\w+ is not attached to vpc-\w+/,
    ],
    [
      "a forward's egress from the NAT group",
      (r) => r.delete('aws_vpc_security_group_egress_rule.nat_sg_egress_target["broker-a-fix"]'),
      /^forward fix-gw-internal-nlb:9001 via fix-gw-nat -> 192\.0\.2\.10:9876: NAT security group out: no egress rule of sg-\w+ allows 192\.0\.2\.10:9876/,
    ],
    [
      "a tenant's ingress into the NAT group",
      (r) => r.delete('aws_vpc_security_group_ingress_rule.nat_sg_ingress_clients_0["broker-b-fix"]'),
      /^health check fix-gw-clients-nlb:9002 via fix-gw-nat: NAT security group in: no ingress rule of sg-\w+ admits 9002 from fix-gw-clients-nlb/,
    ],
    [
      "a direct target's egress from its NLB",
      (r) => r.delete('aws_vpc_security_group_egress_rule.tenant_internal_s0_nlb_sg_egress_direct["clearing-api"]'),
      /^health check fix-gw-internal-nlb:9443 -> 172\.20\.5\.15:8443: NLB security group out: no egress rule of sg-\w+ allows 172\.20\.5\.15:8443/,
    ],
    [
      'the endpoint service of a tenant',
      (r) => r.delete('aws_vpc_endpoint_service.tenant_clients_s0_service'),
      /^forward fix-gw-clients-nlb:9002 via fix-gw-nat -> 198\.51\.100\.20:4500: endpoint service: no endpoint service has fix-gw-clients-nlb/,
    ],
    [
      'a forward in the NAT rules',
      (r) => {
        const rules = byAddress(r, 'aws_s3_object.nat_rules');
        rules.values.content = String(rules.values.content).replace(/^.*dport 9002 dnat.*$/m, '');
      },
      /^forward fix-gw-internal-nlb:9002 via fix-gw-nat: NAT rules: the rules of fix-gw-nat translate no listen port 9002/,
    ],
    [
      'the flow logs role statement',
      (r) => r.delete('aws_iam_role_policy.flow_logs_role_policy[0]'),
      /^flow logs of subnet-\w+: IAM: role fix-gw-flow-logs-\d+ may not write log streams/,
    ],
    [
      'a new AWS call in the boot script, without its endpoint',
      (r) => {
        const lt = byAddress(r, 'aws_launch_template.nat_launch_template');
        const script = Buffer.from(lt.values.user_data, 'base64')
          .toString('utf8')
          .replace('lifecycle CONTINUE\n', 'aws ec2 describe-tags --region "$region"\nlifecycle CONTINUE\n');
        lt.values.user_data = Buffer.from(script).toString('base64');
      },
      /^NAT fleet fix-gw-nat: aws ec2 describe-tags: endpoint: no interface endpoint com\.amazonaws\.eu-west-2\.ec2 in vpc-/,
    ],
  ];

  test.each(cases)('%s', (_, change, expected) => {
    const problems = missingHops(mutated(change), WHERE);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.find((p) => expected.test(p))).toEqual(expect.stringMatching(expected));
  });

  test('without the Auto Scaling endpoint, the lifecycle action is no longer a reachable call', () => {
    const d = mutated((r) => r.delete('aws_vpc_endpoint.network_ssm_endpoint["autoscaling"]'));
    expect(reachableCalls(d, WHERE, 'fix-gw-nat')).toEqual(['s3api get-object']);
  });
});
