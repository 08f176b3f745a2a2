import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { monthlyAlarmCost } from '../constructs/private/alarms';
import { QUOTAS } from '../constructs/private/quotas';
import { runMain } from './support/cli';
import { fakeSubnetOf, startFakeAws } from './support/fake-aws';
import { alarmsByKind, monitoringOfPlan } from './support/plan-monitoring';
import { QuotaUse, quotaUsesOfPlan } from './support/plan-quotas';
import { config1000, config150 } from './support/scale';
import { fakeHandoffObjects } from './support/state';
import { Plan, planInParallel, readPlan, resourcesOfType } from './support/terraform';
import { examplePlan } from './support/example';
import { applyFromPlan } from './support/applied-state';
import { missingHops } from './support/flows';

// Issue 12: at real scale, what `terraform apply` would need stays within
// every AWS quota. Two configs are synthesized and planned for real: 150
// forwards (130 public) in 3 overlapping tenants for 5 consumers, and 1000
// forwards; every quota is read back from the plan JSON.

let tmp: string;
const plans: Record<string, Plan> = {};
const summaries: Record<string, string> = {};
const providers: Record<string, Record<string, any>> = {};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-scale-'));
  const aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
  const jobs: { dir: string; base: string }[] = [];
  for (const [name, config, consumers] of [
    ['150', config150(), ['consumer-c2', 'consumer-c3']],
    ['1000', config1000(), ['consumer-c0']],
  ] as const) {
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(file, stringify(config, { lineWidth: 0 }));
    const out = path.join(tmp, name);
    const r = runMain([file, '--out', out], tmp);
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    summaries[name] = r.stdout;
    const provider = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
    providers[name] = provider;
    for (const [key, body] of fakeHandoffObjects(provider)) aws.objects.set(key, body);
    mkdirSync(path.join(tmp, 'plans'), { recursive: true });
    for (const stack of ['provider', ...consumers])
      jobs.push({ dir: path.join(out, 'stacks', stack), base: path.join(tmp, 'plans', `${name}-${stack}`) });
  }
  try {
    await planInParallel(jobs, aws, { validate: false });
  } finally {
    await aws.close();
  }
  for (const job of jobs) plans[path.basename(job.base)] = readPlan(job.base);
}, 900000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The largest use of each quota in a plan. */
function largest(uses: QuotaUse[]): Record<string, QuotaUse> {
  const top: Record<string, QuotaUse> = {};
  for (const u of uses) if (!top[u.quota] || u.count > top[u.quota].count) top[u.quota] = u;
  return top;
}

describe('at scale, every quota read from the real plan is within its limit', () => {
  test.each(['150-provider', '150-consumer-c2', '150-consumer-c3', '1000-provider', '1000-consumer-c0'])('%s', (name) => {
    const uses = quotaUsesOfPlan(plans[name]);
    const over = uses.filter((u) => u.count > QUOTAS[u.quota].default);
    expect(over).toEqual([]);
  });

  test('150 forwards in 3 tenants: 7 NLBs, NAT target groups in as few fleets as 50 per Auto Scaling group allow', () => {
    const uses = quotaUsesOfPlan(plans['150-provider']);
    const top = largest(uses);
    // 303 NAT target groups (130 public forwards, in 2 or 3 tenants each): the fewest fleets of 50 that hold them
    const perFleet = uses.filter((u) => u.quota === 'target_groups_per_auto_scaling_group').map((u) => u.count);
    expect(perFleet.reduce((a, b) => a + b, 0)).toBe(303);
    expect(perFleet).toHaveLength(Math.ceil(303 / 50));
    expect(Math.max(...perFleet)).toBeLessThanOrEqual(50);
    expect(resourcesOfType(plans['150-provider'], 'aws_autoscaling_group')).toHaveLength(7);
    expect(top.listeners_per_nlb.count).toBe(50);
    expect(uses.filter((u) => u.quota === 'listeners_per_nlb')).toHaveLength(7);
    // a NAT fleet's security group: one inbound rule per target group and ICMP; one outbound per target, SSM and S3
    expect(top.security_group_rules_per_direction.count).toBeLessThanOrEqual(52);
    // the boot script holds no forward: about 8 KB at 150 forwards as for the example (the quota is 16 KB),
    // the difference being the longer fleet and bucket names
    const exampleUserData = largest(quotaUsesOfPlan(examplePlan('provider'))).user_data_bytes.count;
    expect(top.user_data_bytes.count).toBeLessThan(exampleUserData + 256);
    expect(top.user_data_bytes.count).toBeLessThan(9 * 1024);
    // the summary lists the fleets and their sizes
    expect(summaries['150']).toContain('  nat fleets: 7 (2 to 2 instances each)');
    expect(summaries['150']).toMatch(/\n {4}fix-gw-nat-6 +\d+ target groups, \d+ forwards\n/);
  });

  test('the consumer of all 150 forwards with 3 CIDRs: one covering range per CIDR per endpoint, within 60 rules', () => {
    const uses = quotaUsesOfPlan(plans['150-consumer-c2']);
    // tenant tc has 150 forwards: 3 endpoints (shards), each admitting its ports from 3 CIDRs
    const rules = uses.filter((u) => u.quota === 'security_group_rules_per_direction');
    expect(rules.map((u) => u.count)).toEqual([3, 3, 3]);
    expect(largest(uses).interface_endpoints_per_vpc.count).toBe(3);
    expect(largest(uses).records_per_hosted_zone.count).toBe(152);
  });

  test('1000 forwards: 20 NLBs of 50 listeners, 16 fleets of 50 target groups, 500 targets per NLB at most', () => {
    const top = largest(quotaUsesOfPlan(plans['1000-provider']));
    expect(top.listeners_per_nlb.count).toBe(50);
    expect(top.load_balancers_per_region.count).toBe(20);
    expect(top.target_groups_per_region.count).toBe(1000);
    expect(top.auto_scaling_groups_per_region.count).toBe(16);
    expect(top.target_groups_per_auto_scaling_group.count).toBe(50);
    // 40 NAT target groups × 2 instances + 10 IP targets
    expect(top.targets_per_nlb.count).toBe(90);
    expect(quotaUsesOfPlan(plans['1000-consumer-c0']).filter((u) => u.quota === 'interface_endpoints_per_vpc')[0].count).toBe(20);
  });
});

describe('at scale, every flow has every hop', () => {
  test.each(['150', '1000'])(
    '%s forwards: the provider stack as its first apply leaves it',
    async (name) => {
      const deployed = await applyFromPlan(path.join(tmp, name, 'stacks', 'provider'), plans[`${name}-provider`].json as never);
      expect(missingHops(deployed, { region: 'eu-west-2', account: '111111111111' })).toEqual([]);
    },
    600000,
  );
});

describe('at scale, alarms per forward watch what they name, within every quota', () => {
  test('150 forwards in 3 tenants: one no-healthy-target alarm per listener, one NAT-degraded alarm per NAT target group', () => {
    const m = monitoringOfPlan(plans['150-provider'], providers['150']);
    expect(m.problems).toEqual([]);
    // tenants of 100, 100 and 150 forwards: 350 listeners; 303 NAT target groups in 7 fleets
    expect(alarmsByKind(m.alarms)).toEqual({
      noHealthyTarget: 350,
      natPathDegraded: 303,
      fleetBelowMinimum: 7,
      connectionDown: 1,
      vifTrafficStopped: 1,
    });
    expect(m.counts).toMatchObject({
      aws_autoscaling_notification: 7,
      aws_vpc_endpoint_connection_notification: 7,
      aws_cloudwatch_dashboard: 1,
    });
    expect(summaries['150']).toContain('  alarms: 662 to topic');
  });

  test('1000 forwards: how many alarms, and what they cost a month at list prices', () => {
    const m = monitoringOfPlan(plans['1000-provider'], providers['1000']);
    expect(m.problems).toEqual([]);
    const counts = alarmsByKind(m.alarms);
    // 1000 listeners; 800 public targets through 16 NAT fleets
    expect(counts).toEqual({ noHealthyTarget: 1000, natPathDegraded: 800, fleetBelowMinimum: 16, connectionDown: 1, vifTrafficStopped: 1 });
    // (1000 + 800 × 2 + 16 + 1 + 4) metrics × $0.10
    expect(monthlyAlarmCost(counts)).toBe(262.1);
    expect(summaries['1000']).toContain('about $262.10 a month at CloudWatch list prices');
  });
});
