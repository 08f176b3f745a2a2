import { Testing } from 'cdktf';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsumerEndpoint } from '../constructs/consumer-endpoint';
import { ConsumerHandoff } from '../constructs/consumer-handoff';
import { QUOTAS, checkQuotaOverrides } from '../constructs/private/quotas';
import { runMain } from './support/cli';
import { exampleWith, manyForwards } from './support/mutate';

// Issue 12: `terraform plan` checks no AWS quota. Each one the stacks touch
// is checked at synth: exit 2, one line naming the quota, the resource, the
// count and what to change (or which quota to raise), nothing written.

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-quotas-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function synth(change: (c: Record<string, any>) => void) {
  const file = path.join(tmp, 'c.yaml');
  writeFileSync(file, exampleWith(change));
  const out = path.join(tmp, `out-${Date.now()}`);
  return { ...runMain([file, '--out', out, '--quiet'], tmp), out };
}

/** One tenant with `n` forwards and every consumer. */
function oneTenant(c: Record<string, any>, n: number, extra: (i: number) => Record<string, unknown> = () => ({})): void {
  c.forwards = manyForwards(n, extra);
  delete c.tenants;
}

describe('AWS quotas checked at synth', () => {
  test.each([
    [
      // A fleet launches every replacement before it terminates the old
      // instance (max healthy 200%), so for a while it runs twice max_size.
      'targets per NLB: 50 NAT target groups × max_size 6, twice that while instances are replaced',
      (c: Record<string, any>) => {
        oneTenant(c, 50);
        c.nat_fleet = { min_size: 2, max_size: 6 };
      },
      /^error: .*: quotas\.targets_per_nlb: the load balancer fix-gw-default-nlb \(50 NAT target groups × up to 12 instances: max_size 6, 200% while instances are replaced; \+ 0 IP targets\) would need 600, above the 500 targets per Network Load Balancer .* \(got 600\); lower nat_fleet\.max_size to 5, or pin forwards of this shard to another shard$/,
    ],
    [
      'static routes per route table: 51 target addresses',
      (c: Record<string, any>) => {
        oneTenant(c, 51, (i) => ({ target_ip: `203.0.113.${i + 1}` }));
        c.direct_connect.routing = 'static';
      },
      /^error: .*: quotas\.routes_per_route_table: each route table of the VPC .* would need 51, above the 50 non-propagated routes per route table .*; use routing: propagate, or raise the quota \(Service Quotas L-93826ACB\) and set quotas\.routes_per_route_table$/,
    ],
    [
      'rules per security group: 61 allowed CIDRs of one consumer',
      (c: Record<string, any>) => {
        c.consumers[0].allowed_cidrs = Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`);
      },
      /^error: .*: quotas\.security_group_rules_per_direction: the endpoint security group of desk-eu .* would need 61, above the 60 inbound or outbound rules per security group .*; list fewer, larger allowed_cidrs, or raise the quota \(Service Quotas L-0EA8095F\)/,
    ],
    [
      'Network Load Balancers per region: 51 tenants',
      (c: Record<string, any>) => {
        c.forwards = manyForwards(51);
        c.tenants = c.forwards.map((f: { name: string }, i: number) => ({ name: `t${i}`, forwards: [f.name], consumers: ['desk-eu'] }));
        c.consumers = [c.consumers[0]];
      },
      /^error: .*: quotas\.load_balancers_per_region: the region \(one NLB per tenant shard\) would need 51, above the 50 Network Load Balancers per region/,
    ],
  ])('%s: exit 2, named, nothing written', (_what, change, message) => {
    const r = synth(change);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  test('targets per NLB at the limit: 50 NAT target groups × max_size 5 (10 while replacing) synthesize', () => {
    const r = synth((c) => {
      oneTenant(c, 50);
      c.nat_fleet = { min_size: 2, max_size: 5 };
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('a raised quota in the config lets the same config through', () => {
    const r = synth((c) => {
      oneTenant(c, 51, (i) => ({ target_ip: `203.0.113.${i + 1}` }));
      c.direct_connect.routing = 'static';
      c.quotas = { routes_per_route_table: 100 };
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test.each([
    [{ no_such_quota: 10 }, 'quotas.no_such_quota: is not a quota dx-privatelink checks'],
    [
      { routes_per_route_table: 10 },
      "quotas.routes_per_route_table: is not a value AWS grants (got 10); use your account's raised value, a whole number from 50 to 1000 (Service Quotas L-93826ACB)",
    ],
    [{ routes_per_route_table: 5000 }, 'quotas.routes_per_route_table: is not a value AWS grants (got 5000)'],
    [
      { target_groups_per_auto_scaling_group: 100 },
      'quotas.target_groups_per_auto_scaling_group: is a fixed AWS limit (50) (got 100); remove it: AWS does not raise this quota',
    ],
  ])('refuses the raised quota %j', (quotas, message) => {
    expect(checkQuotaOverrides(quotas)?.message).toContain(message);
    const r = synth((c) => (c.quotas = quotas));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('interface endpoints per VPC: a consumer of 51 endpoint services', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new ConsumerEndpoint(scope, 'c', {
          name: 'wide',
          vpcId: 'vpc-1',
          subnetIds: ['subnet-a'],
          allowedCidrs: ['10.0.0.0/8'],
          services: Array.from({ length: 51 }, (_, i) => ({ key: `t-${i}`, serviceName: `svc-${i}`, ports: { [`f${i}`]: 10000 + i } })),
        });
      }),
    ).toThrow(
      /^quotas\.interface_endpoints_per_vpc: the VPC of wide \(one interface endpoint per endpoint service: t-0, .*\) would need 51, above the 50 interface VPC endpoints per VPC/,
    );
  });

  test('bucket policy size: a handoff for 700 consumer accounts', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new ConsumerHandoff(scope, 'h', {
          bucketName: 'fix-gw-handoff-111111111111-eu-west-2',
          consumers: Array.from({ length: 700 }, (_, i) => ({ name: `c${i}`, accountId: String(200000000000 + i), services: {} })),
        });
      }),
    ).toThrow(
      /^quotas\.bucket_policy_bytes: the policy of bucket fix-gw-handoff-111111111111-eu-west-2 would need \d+, above the 20480 S3 bucket policy size/,
    );
  });

  test('every quota names its source', () => {
    for (const [key, q] of Object.entries(QUOTAS))
      expect({ key, source: q.source }).toEqual({ key, source: expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//) });
  });
});
