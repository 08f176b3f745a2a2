import { DxPrivateLinkProvider, DxPrivateLinkProviderProps } from '../constructs/dx-privatelink-provider';
import { EndpointService } from '../constructs/endpoint-service';
import { ALARMS, METRIC_PERIODS } from '../constructs/private/alarms';
import { examplePlan, exampleStackJson, FIXTURE_TIMEOUT } from './support/example';
import { resourcesOfType } from './support/terraform';
import { synthObject, testStack } from './support/stack';

// The example's plans (and applied state) are built on first use, shared by every file (support/example.ts): here, with time for it.
beforeAll(() => {
  examplePlan('provider');
}, FIXTURE_TIMEOUT);

// Issue 19: the example's provider stack did not come up on its first apply.
// Each finding of the review, as read from the real plan of the example or
// from the synthesized JSON.

const plan = () => examplePlan('provider');

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

const natPolicy = (): Statement[] => {
  const [policy] = resourcesOfType(plan(), 'aws_iam_role_policy').filter((r) => r.name === 'nat_rules_access');
  return JSON.parse(policy.values.policy as string).Statement;
};
const actionsOf = (s: Statement) => [s.Action].flat();

describe('first apply of the example', () => {
  test('the NAT instances reach the Auto Scaling API: an autoscaling interface endpoint with private DNS in the NAT subnets', () => {
    const endpoints = resourcesOfType(plan(), 'aws_vpc_endpoint').map((r) => r.values);
    expect(endpoints).toContainEqual(
      expect.objectContaining({
        service_name: 'com.amazonaws.eu-west-2.autoscaling',
        vpc_endpoint_type: 'Interface',
        private_dns_enabled: true,
      }),
    );
  });

  test('the NAT role: no managed policy, Session Manager actions only, the lifecycle action pinned to the region, account and group', () => {
    expect(resourcesOfType(plan(), 'aws_iam_role_policy_attachment').filter((r) => r.name.startsWith('nat'))).toEqual([]);
    const statements = natPolicy();
    const all = statements.flatMap(actionsOf);
    expect(all).not.toContain('ssm:GetParameter');
    expect(all.filter((a) => a.includes('*'))).toEqual([]);
    const lifecycle = statements.find((s) => actionsOf(s).includes('autoscaling:CompleteLifecycleAction'));
    expect(lifecycle?.Resource).toBe('arn:aws:autoscaling:eu-west-2:111111111111:autoScalingGroup:*:autoScalingGroupName/fix-gw-nat');
    const register = statements.find((s) => actionsOf(s).includes('ssm:UpdateInstanceInformation'));
    expect(register?.Resource).toBe('arn:aws:ec2:eu-west-2:111111111111:instance/*');
    expect(all).toEqual(
      expect.arrayContaining([
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
        'ec2messages:GetMessages',
      ]),
    );
  });

  test('the NLB security groups admit nothing: PrivateLink traffic is not filtered by them, and nothing else must reach an NLB', () => {
    const nlbGroups = new Set(
      resourcesOfType(plan(), 'aws_security_group')
        .filter((r) => String(r.values.name).endsWith('-nlb'))
        .map((r) => r.address),
    );
    expect(nlbGroups.size).toBe(2);
    const json = exampleStackJson('provider');
    const ingress = Object.values<Record<string, unknown>>(json.resource.aws_vpc_security_group_ingress_rule ?? {});
    const intoNlb = ingress.filter((r) => [...nlbGroups].some((sg) => String(r.security_group_id).includes(sg.replace(/\[.*$/, ''))));
    expect(intoNlb).toEqual([]);
  });

  test('the NAT group is created after everything its first boot needs: egress rules, endpoints, routes', () => {
    const json = exampleStackJson('provider');
    const dependsOn: string[] = json.resource.aws_autoscaling_group.nat_asg.depends_on;
    for (const needed of [
      'aws_s3_object.nat_rules',
      'aws_iam_role_policy.nat_rules_access',
      'aws_vpc_security_group_egress_rule.nat_sg_egress_s3',
      'aws_vpc_security_group_egress_rule.nat_sg_egress_target',
      'aws_vpc_security_group_egress_rule.nat_sg_egress_endpoints',
      'aws_vpc_security_group_ingress_rule.nat_sg_endpoint_ingress',
      'aws_vpc_endpoint.network_s3_endpoint',
      'aws_vpc_endpoint.network_ssm_endpoint',
      'aws_route_table_association.network_route_table_association',
    ])
      expect(dependsOn).toContain(needed);
  });
});

describe('supported_regions', () => {
  const service = (supportedRegions?: string[]) => {
    const stack = testStack();
    new EndpointService(stack, 'service', {
      name: 'fix',
      region: 'eu-west-2',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-2:111111111111:loadbalancer/net/fix/1',
      allowedPrincipals: ['arn:aws:iam::222222222222:root'],
      supportedRegions,
    });
    return synthObject(stack).resource.aws_vpc_endpoint_service.service;
  };

  test("always holds the service's own region when set (AWS returns it, so a list without it plans a change forever)", () => {
    expect(service(['us-east-1']).supported_regions).toEqual(['eu-west-2', 'us-east-1']);
    expect(service(['us-east-1', 'eu-west-2']).supported_regions).toEqual(['eu-west-2', 'us-east-1']);
  });

  test('is left out when not set', () => {
    expect(service().supported_regions).toBeUndefined();
  });
});

describe('MSS clamp with a jumbo VIF', () => {
  const mss = (routing: 'propagate' | 'static', mtu: number) => {
    const stack = testStack();
    const props: DxPrivateLinkProviderProps = {
      name: 'fix-gw',
      region: 'eu-west-2',
      accountId: '111111111111',
      createVpc: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a', 'eu-west-2b'] },
      directConnect: {
        routing,
        privateVif: {
          connectionId: 'dxcon-fgexampl',
          vlan: 101,
          bgpAsn: 65010,
          amazonAddress: '169.254.100.1/30',
          customerAddress: '169.254.100.2/30',
          mtu,
        },
      },
      forwards: { 'broker-a': { listenPort: 9001, targetIp: '192.0.2.10', targetPort: 9876 } },
      allowedPrincipals: ['arn:aws:iam::222222222222:root'],
    };
    new DxPrivateLinkProvider(stack, 'dx', props);
    return synthObject(stack).locals.dx_nat_mss;
  };

  test('propagated routes carry the 9001-byte VIF: clamp to 8460 (PrivateLink carries 8500)', () => {
    expect(mss('propagate', 9001)).toBe(8460);
  });

  test('static routes to a VGW carry 1500 bytes whatever the VIF: clamp to 1460', () => {
    expect(mss('static', 9001)).toBe(1460);
    expect(mss('static', 1500)).toBe(1460);
  });
});

describe('alarm periods fit how often their metrics are published', () => {
  /** Every metric an alarm of the plan reads, with the alarm's period. */
  const alarmMetrics = () =>
    resourcesOfType(plan(), 'aws_cloudwatch_metric_alarm').flatMap((r) => {
      const v = r.values as Record<string, any>;
      const queries: Record<string, any>[] = v.metric_query ?? [];
      const direct = v.metric_name ? [{ namespace: v.namespace, metric: v.metric_name, period: v.period }] : [];
      const math = queries
        .flatMap((q) => q.metric ?? [])
        .map((m: Record<string, any>) => ({ namespace: m.namespace, metric: m.metric_name, period: m.period }));
      return [...direct, ...math].map((m) => ({ alarm: v.alarm_name as string, ...m }));
    });

  test('every metric of every planned alarm is in the table, and the period is a whole number of its intervals', () => {
    const metrics = alarmMetrics();
    expect(metrics.length).toBeGreaterThan(5);
    for (const m of metrics) {
      const published = METRIC_PERIODS[`${m.namespace} ${m.metric}`];
      expect({ ...m, published: published?.seconds }).toEqual({ ...m, published: expect.any(Number) });
      expect({ ...m, fits: m.period % published.seconds === 0 }).toEqual({ ...m, fits: true });
    }
  });

  test.each(Object.entries(ALARMS))('%s: its period fits its metric', (_, alarm) => {
    const published = METRIC_PERIODS[`${alarm.namespace} ${alarm.metric}`];
    expect(alarm.periodSeconds % published.seconds).toBe(0);
  });

  test('Direct Connect ConnectionState is published every 5 minutes: the connection alarm looks at 5-minute periods', () => {
    expect(METRIC_PERIODS['AWS/DX ConnectionState'].seconds).toBe(300);
    expect(ALARMS.connectionDown.periodSeconds).toBe(300);
  });
});

describe('rules that change address in this release are moved and replaced create-before-destroy', () => {
  test('the NLB egress to the NAT fleet, and the NAT group rules to and from the endpoints', () => {
    const json = exampleStackJson('provider');
    expect(json.moved).toEqual(
      expect.arrayContaining([
        {
          from: 'aws_vpc_security_group_egress_rule.tenant_internal_s0_nlb_sg_egress_nat["broker-a-fix"]',
          to: 'aws_vpc_security_group_egress_rule.nat_nlb_egress_internal_0["broker-a-fix"]',
        },
        {
          from: 'aws_vpc_security_group_egress_rule.tenant_clients_s0_nlb_sg_egress_nat["broker-b-fix"]',
          to: 'aws_vpc_security_group_egress_rule.nat_nlb_egress_clients_0["broker-b-fix"]',
        },
        {
          from: 'aws_vpc_security_group_egress_rule.nat_sg_egress_endpoints',
          to: 'aws_vpc_security_group_egress_rule.nat_sg_egress_endpoints["created"]',
        },
        {
          from: 'aws_vpc_security_group_ingress_rule.network_endpoint_sg_https',
          to: 'aws_vpc_security_group_ingress_rule.nat_sg_endpoint_ingress["created"]',
        },
      ]),
    );
    for (const [type, name] of [
      ['aws_vpc_security_group_egress_rule', 'nat_nlb_egress_internal_0'],
      ['aws_vpc_security_group_egress_rule', 'nat_sg_egress_endpoints'],
      ['aws_vpc_security_group_ingress_rule', 'nat_sg_endpoint_ingress'],
    ])
      expect(json.resource[type][name].lifecycle).toEqual({ create_before_destroy: true });
  });
});
