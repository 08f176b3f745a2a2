import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { dashboardSize } from '../constructs/dashboard';
import { ALARMS, monthlyAlarmCost } from '../constructs/private/alarms';
import { ROOT } from './support/cli';
import { examplePlan, exampleStackJson, FIXTURE_TIMEOUT } from './support/example';
import { alarmsByKind, monitoringOfPlan } from './support/plan-monitoring';
import { Plan, resourcesOfType } from './support/terraform';

// The example's plans (and applied state) are built on first use, shared by every file (support/example.ts): here, with time for it.
beforeAll(() => {
  examplePlan('provider');
}, FIXTURE_TIMEOUT);

// Issue 13: the example's real plan has every alarm, notification, the
// dashboard and flow logs, and each alarm watches what its name says: its
// dimensions are checked against the resources in the plan.

const plan = () => examplePlan('provider');
const stack = () => exampleStackJson('provider');
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('monitoring of the example, from its real plan', () => {
  test('every alarm, notification, the dashboard and the flow logs are planned', () => {
    const m = monitoringOfPlan(plan(), stack());
    expect(m.problems).toEqual([]);
    // 4 listeners (3 internal, 1 clients), 3 NAT target groups, 1 fleet, a private VIF
    expect(alarmsByKind(m.alarms)).toEqual({
      noHealthyTarget: 4,
      natPathDegraded: 3,
      fleetBelowMinimum: 1,
      connectionDown: 1,
      vifTrafficStopped: 1,
    });
    expect(m.alarms.map((a) => a.name).sort()).toEqual(
      [
        'fix-gw-internal-broker-a-fix-no-healthy-target',
        'fix-gw-internal-broker-b-fix-no-healthy-target',
        'fix-gw-internal-clearing-api-no-healthy-target',
        'fix-gw-clients-broker-b-fix-no-healthy-target',
        'fix-gw-internal-broker-a-fix-nat-degraded',
        'fix-gw-internal-broker-b-fix-nat-degraded',
        'fix-gw-clients-broker-b-fix-nat-degraded',
        'fix-gw-nat-below-minimum',
        'fix-gw-dx-connection-down',
        'fix-gw-dx-vif-traffic-stopped',
      ].sort(),
    );
    expect(m.counts).toEqual({
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_sns_topic_subscription: 0,
      aws_autoscaling_notification: 1,
      aws_vpc_endpoint_connection_notification: 2,
      aws_cloudwatch_dashboard: 1,
      aws_cloudwatch_log_group: 1,
      aws_flow_log: 2,
    });
    // the summary's estimate: 4 + 3×2 + 1 + 1 + 4 billed metrics at $0.10
    expect(monthlyAlarmCost(alarmsByKind(m.alarms))).toBe(1.6);
  });

  test('each alarm carries its figures from the one table, and its description says what to check first', () => {
    for (const alarm of resourcesOfType(plan(), 'aws_cloudwatch_metric_alarm')) {
      const a = Object.values(ALARMS).find((x) => String(alarm.values.alarm_name).endsWith(`-${x.suffix}`))!;
      expect(alarm.values).toMatchObject({
        comparison_operator: a.comparison,
        evaluation_periods: a.evaluationPeriods,
        datapoints_to_alarm: a.datapointsToAlarm,
        treat_missing_data: a.treatMissingData,
      });
    }
    // descriptions (some only known after apply: they name the VIF)
    for (const alarm of Object.values(stack().resource.aws_cloudwatch_metric_alarm) as { alarm_description: string }[])
      expect(alarm.alarm_description).toMatch(/^dx-privatelink, .*First check/);
  });

  test('the topic lets CloudWatch and VPC endpoint services of this account publish', () => {
    const [policy] = resourcesOfType(plan(), 'aws_sns_topic_policy');
    const json = stack().resource.aws_sns_topic_policy;
    const text = JSON.stringify(json);
    expect(text).toContain('cloudwatch.amazonaws.com');
    expect(text).toContain('vpce.amazonaws.com');
    expect(policy).toBeDefined();
  });

  test('flow logs: every subnet, one-minute aggregation, the fields that trace a NAT translation', () => {
    const flows = resourcesOfType(plan(), 'aws_flow_log').map((r) => r.values);
    expect(flows).toHaveLength(resourcesOfType(plan(), 'aws_subnet').length);
    for (const f of flows) {
      expect(f).toMatchObject({ traffic_type: 'ALL', max_aggregation_interval: 60, log_destination_type: 'cloud-watch-logs' });
      for (const field of [
        '${interface-id}',
        '${srcaddr}',
        '${srcport}',
        '${dstaddr}',
        '${dstport}',
        '${pkt-srcaddr}',
        '${pkt-dstaddr}',
        '${tcp-flags}',
      ])
        expect(f.log_format).toContain(field);
    }
    expect(resourcesOfType(plan(), 'aws_cloudwatch_log_group')[0].values).toMatchObject({
      name: '/dx-privatelink/fix-gw/flow-logs',
      retention_in_days: 30,
    });
  });

  test('NAT instances, their volumes and interfaces carry the deployment tags (default_tags do not reach them)', () => {
    const [lt] = resourcesOfType(plan(), 'aws_launch_template');
    const specs = lt.values.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
    expect(specs.map((s) => s.resource_type).sort()).toEqual(['instance', 'network-interface', 'volume']);
    for (const s of specs) expect(s.tags).toMatchObject({ team: 'trading-network' });
  });

  test('the dashboard: the size checked against CloudWatch limits at synth is the size rendered', () => {
    const body = stack().resource.aws_cloudwatch_dashboard.monitoring_dashboard.dashboard_body as string;
    const widgets = body.split('"type" = "metric"').length - 1;
    // fixed metrics in the body, and one healthy-target line per forward from the for expressions
    const metrics = body.split('["AWS/').length - 1 + 4;
    expect(dashboardSize([{ forwards: 3 }, { forwards: 1 }], 1, true)).toEqual({ widgets, metrics });
    expect(resourcesOfType(plan(), 'aws_cloudwatch_dashboard')[0].values.dashboard_name).toBe('fix-gw-dx-privatelink');
  });

  test('the README\'s "Operating it" section explains every alarm', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Operating it'), readme.indexOf('## Policy'));
    for (const a of Object.values(ALARMS)) {
      expect(section).toContain(`| \`-${a.suffix}\``);
      expect(section).toContain(a.metric);
    }
  });

  describe('the dimension check fails when an alarm watches the wrong thing', () => {
    const problems = (p: Plan, s: Record<string, any>) => monitoringOfPlan(p, s).problems;
    const configOf = (p: Plan, address: string) =>
      (p.json.configuration as any).root_module.resources.find((r: { address: string }) => r.address === address);

    test('a no-healthy-target alarm on another NLB', () => {
      const p = copy(plan());
      const alarm = configOf(p, 'aws_cloudwatch_metric_alarm.monitoring_clients_0_no_healthy_target');
      alarm.expressions.dimensions.constant_value.LoadBalancer = '${aws_lb.tenant_internal_s0_nlb.arn_suffix}';
      expect(problems(p, stack())).toEqual([
        expect.stringContaining(
          'LoadBalancer aws_lb.tenant_internal_s0_nlb, but aws_lb_target_group.tenant_clients_s0_nlb_target_group is served by aws_lb.tenant_clients_s0_nlb',
        ),
      ]);
    });

    test("a NAT-degraded alarm on the other tenant's target groups", () => {
      const s = copy(stack());
      s.locals.monitoring_nat_clients_0_groups = s.locals.monitoring_nat_internal_0_groups;
      expect(problems(plan(), s).length).toBeGreaterThan(0);
    });

    test("a below-minimum threshold that is not the group's minimum", () => {
      const p = copy(plan());
      const alarm = p.json.resource_changes.find((c) => c.address === 'aws_cloudwatch_metric_alarm.monitoring_nat_below_minimum[0]') as any;
      alarm.change.after.threshold = 1;
      expect(problems(p, stack())).toEqual([expect.stringContaining('threshold 1, minimum 2')]);
    });

    test('a target group without its alarm', () => {
      const p = copy(plan());
      p.json.resource_changes = p.json.resource_changes.filter(
        (c) => c.address !== 'aws_cloudwatch_metric_alarm.monitoring_internal_0_no_healthy_target["clearing-api"]',
      );
      expect(problems(p, stack())).toEqual([
        'aws_lb_target_group.tenant_internal_s0_nlb_target_group[clearing-api]: 0 no-healthy-target alarms',
      ]);
    });
  });
});
