import { TenantService } from '../constructs/tenant-service';
import { ForwardSpec } from '../constructs/forward-set';
import { synthObject, testStack } from './support/stack';

function forwards(n: number, from = 0): Record<string, ForwardSpec> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `f${from + i}`,
      { listenPort: 10000 + from + i, targetIp: '192.0.2.10', targetPort: 20000 + from + i },
    ]),
  );
}

function build(fwds: Record<string, ForwardSpec>, acceptance?: 'manual' | 'auto') {
  const stack = testStack();
  const tenant = new TenantService(stack, 'tenant-a', {
    name: 'fix',
    tenant: 'a',
    region: 'eu-west-2',
    vpcId: 'vpc-01111111111111111',
    subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    forwards: fwds,
    allowedPrincipals: ['arn:aws:iam::222222222222:root'],
    acceptance,
  });
  return { tenant, json: synthObject(stack) };
}

describe('TenantService', () => {
  test('one shard: one NLB and one endpoint service named after the tenant', () => {
    const { tenant, json } = build(forwards(3));
    expect(tenant.shards.map((s) => s.forwardNames)).toEqual([['f0', 'f1', 'f2']]);
    expect(json.resource.aws_lb.tenant_a_s0_nlb.name).toBe('fix-a-nlb');
    expect(json.resource.aws_vpc_endpoint_service.tenant_a_s0_service).toMatchObject({
      acceptance_required: true,
      allowed_principals: ['arn:aws:iam::222222222222:root'],
      network_load_balancer_arns: ['${aws_lb.tenant_a_s0_nlb.arn}'],
    });
  });

  test('120 forwards are split across 3 NLB + endpoint service pairs of at most 50 listeners', () => {
    const { tenant, json } = build(forwards(120));
    expect(tenant.shards.map((s) => s.forwardNames.length)).toEqual([50, 50, 20]);
    expect(Object.keys(json.resource.aws_lb).sort()).toEqual(['tenant_a_s0_nlb', 'tenant_a_s1_nlb', 'tenant_a_s2_nlb']);
    expect(Object.keys(json.resource.aws_vpc_endpoint_service)).toHaveLength(3);
    expect(json.resource.aws_lb.tenant_a_s2_nlb.name).toBe('fix-a-2-nlb');
    expect(Object.keys(json.locals.tenant_a_s2_forwards_input)).toEqual(Object.keys(forwards(20, 100)));
  });

  test('adding a forward keeps every existing forward on its shard', () => {
    const before = build(forwards(120)).tenant.shards.map((s) => s.forwardNames);
    const after = build({ ...forwards(120), extra: { listenPort: 30000, targetIp: '192.0.2.10', targetPort: 1 } }).tenant.shards.map(
      (s) => s.forwardNames,
    );
    expect(after.map((names, i) => names.filter((n) => before[i].includes(n)))).toEqual(before);
    expect(after[2]).toContain('extra');
  });

  test('automatic acceptance turns acceptance_required off for the listed principals', () => {
    const { json } = build(forwards(1), 'auto');
    expect(json.resource.aws_vpc_endpoint_service.tenant_a_s0_service.acceptance_required).toBe(false);
  });

  test('fails when a forward pins a full shard', () => {
    const fwds = forwards(2);
    fwds.f0 = { ...fwds.f0, shard: 0 };
    fwds.f1 = { ...fwds.f1, shard: 0 };
    const stack = testStack();
    expect(
      () =>
        new TenantService(stack, 't', {
          name: 'fix',
          tenant: 'a',
          region: 'eu-west-2',
          vpcId: 'vpc-01111111111111111',
          subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
          forwards: fwds,
          allowedPrincipals: ['arn:aws:iam::222222222222:root'],
          shardCapacity: 1,
        }),
    ).toThrow(
      'forwards.f1.shard: is full: shard 0 of tenant a already has 1 forwards (got 0); an NLB takes at most 1 listeners; pin this forward to another shard or leave shard out',
    );
  });
});
