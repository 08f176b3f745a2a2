import { examplePlan, exampleStackJson, exampleStacks, FIXTURE_TIMEOUT } from './support/example';
import { Plan, resourcesOfType } from './support/terraform';
import { fakeServiceName } from './support/state';

// The example's plans (and applied state) are built on first use, shared by every file (support/example.ts): here, with time for it.
beforeAll(() => {
  examplePlan('provider');
}, FIXTURE_TIMEOUT);

// Real `terraform init` and `plan` (which validates the configuration first;
// support/example.ts) of every stack of the example config, against the real
// AWS provider, offline.

function byIndex(plan: Plan, type: string, prefix: string): Record<string, Record<string, any>> {
  return Object.fromEntries(
    resourcesOfType(plan, type)
      .filter((r) => r.address.startsWith(`${type}.${prefix}`))
      .map((r) => [String(r.index), r.values]),
  );
}

describe('terraform plan of the example', () => {
  test('synthesizes the provider stack and one stack per consumer account', () => {
    expect(exampleStacks()).toEqual(['consumer-client-acme', 'consumer-client-globex', 'consumer-desk-eu', 'provider']);
  });

  test.each(['provider', 'consumer-client-acme', 'consumer-client-globex', 'consumer-desk-eu'])(
    '%s validates and plans: only creates',
    (stack) => {
      const actions = new Set(examplePlan(stack).json.resource_changes.map((r) => r.change.actions.join(',')));
      expect([...actions]).toEqual(['create']);
    },
  );

  test.each(['provider', 'consumer-client-acme'])('%s requires the AWS provider >= 5.100.0, < 7.0.0', (stack) => {
    expect(exampleStackJson(stack).terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: '>= 5.100.0, < 7.0.0' });
  });
});

describe('terraform plan of the example provider stack', () => {
  const plan = () => examplePlan('provider');

  test('creates the whole provider side: one NLB and endpoint service per tenant, one NAT fleet', () => {
    const counts: Record<string, number> = {};
    for (const r of plan().resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toMatchObject({
      aws_vpn_gateway: 1,
      aws_dx_private_virtual_interface: 1,
      aws_launch_template: 1,
      aws_autoscaling_group: 1,
      aws_lb: 2,
      aws_lb_listener: 4,
      aws_lb_target_group: 4,
      aws_lb_target_group_attachment: 1,
      aws_vpc_endpoint_service: 2,
      aws_vpc: 1,
      aws_subnet: 2,
      aws_vpn_gateway_route_propagation: 2,
    });
  });

  test('keys every per-forward resource by the forward name, per tenant', () => {
    const addresses = plan().resources.map((r) => r.address);
    for (const name of ['broker-a-fix', 'broker-b-fix', 'clearing-api']) {
      expect(addresses).toContain(`aws_lb_listener.tenant_internal_s0_nlb_listener["${name}"]`);
      expect(addresses).toContain(`aws_lb_target_group.tenant_internal_s0_nlb_target_group["${name}"]`);
    }
    expect(addresses).toContain('aws_lb_listener.tenant_clients_s0_nlb_listener["broker-b-fix"]');
    expect(addresses.filter((a) => a.startsWith('aws_lb_listener.tenant_clients'))).toHaveLength(1);
    expect(addresses).toContain('aws_lb_target_group_attachment.tenant_internal_s0_nlb_direct_target["clearing-api"]');
  });

  test('routes public targets through the NAT fleet and private ones directly', () => {
    const groups = byIndex(plan(), 'aws_lb_target_group', 'tenant_internal_s0');
    expect(groups['broker-a-fix']).toMatchObject({ target_type: 'instance', port: 9001, protocol: 'TCP' });
    expect(groups['broker-b-fix']).toMatchObject({ target_type: 'instance', port: 9002 });
    expect(groups['clearing-api']).toMatchObject({ target_type: 'ip', port: 8443 });
    const [attachment] = resourcesOfType(plan(), 'aws_lb_target_group_attachment');
    expect(attachment.values).toMatchObject({ target_id: '172.20.5.15', port: 8443, availability_zone: 'all' });
  });

  test('NLBs are internal and cross-zone, listeners carry the idle timeout', () => {
    const lbs = resourcesOfType(plan(), 'aws_lb').map((r) => r.values);
    expect(lbs.map((v) => v.name).sort()).toEqual(['fix-gw-clients-nlb', 'fix-gw-internal-nlb']);
    for (const lb of lbs)
      expect(lb).toMatchObject({ internal: true, load_balancer_type: 'network', enable_cross_zone_load_balancing: true });
    const listeners = byIndex(plan(), 'aws_lb_listener', 'tenant_internal_s0');
    expect(listeners['broker-a-fix']).toMatchObject({ port: 9001, protocol: 'TCP', tcp_idle_timeout_seconds: 3600 });
    expect(listeners['clearing-api']).toMatchObject({ port: 9443, tcp_idle_timeout_seconds: 350 });
  });

  test("each tenant's service admits only that tenant's consumers, with the tenant's acceptance", () => {
    const services = Object.fromEntries(resourcesOfType(plan(), 'aws_vpc_endpoint_service').map((r) => [r.name, r.values]));
    expect(services.tenant_internal_s0_service).toMatchObject({
      acceptance_required: false,
      allowed_principals: ['arn:aws:iam::222222222222:root'],
    });
    expect(services.tenant_clients_s0_service.acceptance_required).toBe(true);
    expect([...(services.tenant_clients_s0_service.allowed_principals as string[])].sort()).toEqual([
      'arn:aws:iam::333333333333:root',
      'arn:aws:iam::444444444444:root',
    ]);
  });

  test('the Auto Scaling group spans both zones with EC2 health checks', () => {
    const [asg] = resourcesOfType(plan(), 'aws_autoscaling_group');
    expect(asg.values).toMatchObject({ min_size: 2, max_size: 2, health_check_type: 'EC2' });
    expect(asg.values.instance_refresh).toEqual([expect.objectContaining({ strategy: 'Rolling' })]);
  });

  test('the BGP key is a sensitive variable, never a literal', () => {
    const stack = exampleStackJson('provider');
    expect(stack.variable.bgp_auth_key).toMatchObject({ sensitive: true, type: 'string' });
    const vif = stack.resource.aws_dx_private_virtual_interface.direct_connect_private_vif;
    expect(vif.bgp_auth_key).toBe('${var.bgp_auth_key}');
  });

  test('state lives beside the output directory, so a new synth never deletes it', () => {
    expect(exampleStackJson('provider').terraform.backend).toEqual({ local: { path: '../../../terraform.provider.tfstate' } });
  });
});

describe('terraform plan of the example consumer stacks', () => {
  test('desk-eu (tenant internal) gets one endpoint, ports of the internal tenant only, and DNS names', () => {
    const plan = examplePlan('consumer-desk-eu');
    const [endpoint] = resourcesOfType(plan, 'aws_vpc_endpoint');
    expect(endpoint.address).toBe('aws_vpc_endpoint.endpoint["internal-0"]');
    expect(endpoint.values).toMatchObject({
      service_name: fakeServiceName('internal-0'),
      vpc_endpoint_type: 'Interface',
      vpc_id: 'vpc-0222222222222222a',
      subnet_ids: expect.arrayContaining(['subnet-0222222222222222a', 'subnet-0222222222222222b']),
      private_dns_enabled: false,
    });
    const rules = resourcesOfType(plan, 'aws_vpc_security_group_ingress_rule').map((r) => [
      r.values.from_port,
      r.values.to_port,
      r.values.cidr_ipv4,
    ]);
    // contiguous ports as one range
    expect(rules.sort()).toEqual([
      [9001, 9002, '10.1.0.0/16'],
      [9443, 9443, '10.1.0.0/16'],
    ]);
    expect(
      resourcesOfType(plan, 'aws_route53_record')
        .map((r) => r.values.name)
        .sort(),
    ).toEqual(['broker-a-fix.fix.internal', 'broker-b-fix.fix.internal', 'clearing-api.fix.internal']);
  });

  test("client-acme (tenant clients) reaches only the clients tenant's service and port", () => {
    const plan = examplePlan('consumer-client-acme');
    const endpoints = resourcesOfType(plan, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => [e.address, e.values.service_name])).toEqual([
      ['aws_vpc_endpoint.endpoint["clients-0"]', fakeServiceName('clients-0')],
    ]);
    const rules = resourcesOfType(plan, 'aws_vpc_security_group_ingress_rule').map((r) => [r.values.from_port, r.values.cidr_ipv4]);
    expect(rules.sort()).toEqual([
      [9002, '10.0.0.0/24'],
      [9002, '10.0.8.0/24'],
    ]);
    expect(resourcesOfType(plan, 'aws_route53_zone')).toEqual([]);
  });

  test('consumer stacks assume the role in their own account and read only their own handoff', () => {
    const stack = exampleStackJson('consumer-client-globex');
    expect(stack.provider.aws[0]).toMatchObject({
      allowed_account_ids: ['444444444444'],
      assume_role: [{ role_arn: 'arn:aws:iam::444444444444:role/dx-privatelink-deploy' }],
    });
    expect(stack.data.terraform_remote_state).toBeUndefined();
    expect(stack.data.aws_s3_object.handoff).toMatchObject({
      bucket: 'fix-gw-handoff-111111111111-eu-west-2',
      key: 'consumers/444444444444.json',
    });
  });
});

describe('the consumer handoff published by the example provider stack (issue 11)', () => {
  const BUCKET = 'fix-gw-handoff-111111111111-eu-west-2';
  const CONSUMERS = ['222222222222', '333333333333', '444444444444'];

  test("the bucket policy's only Allow: s3:GetObject on the reader's own object, for the consumer accounts only", () => {
    // GIVEN the planned policy (a known value: what Terraform sends to AWS)
    const [policy] = resourcesOfType(examplePlan('provider'), 'aws_s3_bucket_policy').filter((r) => r.name === 'handoff_policy');
    const statements = JSON.parse(policy.values.policy as string).Statement as Record<string, unknown>[];
    // THEN one Allow: one action, one object key per principal account, no wildcard, no other account
    expect(statements.filter((s) => s.Effect !== 'Deny')).toEqual([
      {
        Sid: 'EachConsumerReadsItsOwnHandoff',
        Effect: 'Allow',
        Principal: { AWS: CONSUMERS.map((a) => `arn:aws:iam::${a}:root`) },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/consumers/\${aws:PrincipalAccount}.json`,
      },
    ]);
    // and everything else is a Deny (requests without TLS)
    expect(statements.filter((s) => s.Effect === 'Deny')).toEqual([
      expect.objectContaining({ Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
    const [block] = resourcesOfType(examplePlan('provider'), 'aws_s3_bucket_public_access_block').filter((r) =>
      r.name.startsWith('handoff'),
    );
    expect(block.values).toEqual({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("one object per consumer account, keyed by the account, holding only that consumer's services", () => {
    // GIVEN the planned objects
    const objects = resourcesOfType(examplePlan('provider'), 'aws_s3_object').filter((r) => r.name === 'handoff_object');
    expect(Object.fromEntries(objects.map((r) => [r.index, [r.values.bucket, r.values.key, r.values.content_type]]))).toEqual(
      Object.fromEntries(CONSUMERS.map((a) => [a, [BUCKET, `consumers/${a}.json`, 'application/json']])),
    );
    // WHEN the content is read: known only after apply (service names), it is
    // jsonencode(each.value), each.value being the stack's per-account map
    const object = exampleStackJson('provider').resource.aws_s3_object.handoff_object;
    expect(object.content).toBe('${jsonencode(each.value)}');
    const zoneIds = '${[for s in aws_subnet.network_subnet : s.availability_zone_id]}';
    const service = (tenant: string, ports: Record<string, number>) => ({
      service_name: `\${aws_vpc_endpoint_service.tenant_${tenant}_s0_service.service_name}`,
      region: 'eu-west-2',
      zone_ids: zoneIds,
      ports,
    });
    // THEN each account gets its own tenant's service and ports, nothing else
    const clients = { 'clients-0': service('clients', { 'broker-b-fix': 9002 }) };
    expect(object.for_each).toEqual({
      '222222222222': {
        consumer: 'desk-eu',
        services: { 'internal-0': service('internal', { 'broker-a-fix': 9001, 'broker-b-fix': 9002, 'clearing-api': 9443 }) },
      },
      '333333333333': { consumer: 'client-acme', services: clients },
      '444444444444': { consumer: 'client-globex', services: clients },
    });
    const acme = JSON.stringify(object.for_each['333333333333']);
    for (const other of [
      'internal',
      'desk-eu',
      'globex',
      'broker-a-fix',
      'clearing-api',
      '9001',
      '9443',
      '192.0.2.10',
      '198.51.100.20',
      'bgp',
    ])
      expect({ other, leaked: acme.includes(other) }).toEqual({ other, leaked: false });
  });
});
