import { ConsumerEndpoint, ConsumerEndpointProps } from '../constructs/consumer-endpoint';
import { TerraformOutput, Token, ref } from 'cdktf';
import { synthObject, testStack } from './support/stack';

function build(props: Partial<ConsumerEndpointProps> = {}) {
  const stack = testStack();
  const endpoint = new ConsumerEndpoint(stack, 'consumer', {
    name: 'desk-eu',
    vpcId: 'vpc-02222222222222222',
    subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    allowedCidrs: ['10.1.0.0/16', '10.2.0.0/16'],
    services: [
      { key: 'internal-0', serviceName: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0a', ports: { 'broker-a': 9001, clearing: 9443 } },
      { key: 'internal-1', serviceName: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0b', ports: { 'broker-c': 9100 } },
    ],
    ...props,
  });
  new TerraformOutput(stack, 'forwards', { value: endpoint.forwardAddresses });
  return { endpoint, json: synthObject(stack) };
}

// The resources are Terraform for_each over one `services` local, so these
// tests check what is rendered; the real plans of the example's consumer
// stacks (terraform-plan.test.ts) and of the module check the outcome.
describe('ConsumerEndpoint', () => {
  test('renders the services, CIDRs and zone as locals', () => {
    const { endpoint, json } = build({ dnsZone: 'fix.internal' });
    expect(json.locals).toEqual({
      consumer_services: {
        'internal-0': { service_name: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0a', ports: { 'broker-a': 9001, clearing: 9443 } },
        'internal-1': { service_name: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0b', ports: { 'broker-c': 9100 } },
      },
      consumer_allowed_cidrs: ['10.1.0.0/16', '10.2.0.0/16'],
      consumer_dns_zone: 'fix.internal',
      consumer_subnet_zone_ids: '${{ for s in data.aws_subnet.consumer_subnets_subnet : s.id => s.availability_zone_id }}',
      consumer_subnets_subnet_ids: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      consumer_rules_quota: 60,
      consumer_port_ranges: expect.stringMatching(
        /^\$\{\{ for key, s in local\.consumer_services : key => \(local\.consumer_rules_quota >= /,
      ),
    });
    expect(endpoint.serviceKeys).toEqual(['internal-0', 'internal-1']);
  });

  test('looks up the endpoint subnets and refuses, at plan, one in a zone the service does not offer', () => {
    const { json } = build({
      services: [{ key: 'internal-0', serviceName: 'svc', ports: { a: 9001 }, zoneIds: Token.asString(ref('local.zones')) }],
    });
    expect(json.data.aws_subnet.consumer_subnets_subnet).toMatchObject({
      // keyed by position: ids of the same apply are unknown at plan
      for_each: '${{ for i, id in local.consumer_subnets_subnet_ids : tostring(i) => id }}',
      id: '${each.value}',
    });
    expect(json.locals.consumer_services['internal-0'].zone_ids).toBe('${local.zones}');
    const [precondition] = json.resource.aws_vpc_endpoint.consumer_endpoint.lifecycle.precondition;
    expect(precondition.condition).toContain('try(each.value.zone_ids, null) == null ||');
    expect(precondition.error_message).toContain('does not offer (it offers zone ids %s)');
  });

  test('one interface endpoint per service (shard), keyed by its stable key', () => {
    const { json } = build();
    expect(json.resource.aws_vpc_endpoint.consumer_endpoint).toMatchObject({
      for_each: '${local.consumer_services}',
      service_name: '${each.value.service_name}',
      vpc_endpoint_type: 'Interface',
      subnet_ids: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      security_group_ids: ['${aws_security_group.consumer_sg[each.key].id}'],
      private_dns_enabled: false,
    });
  });

  test('one security group per endpoint, admitting its forward ports (as ranges within the quota) from the listed CIDRs only', () => {
    const { json } = build();
    expect(json.resource.aws_security_group.consumer_sg).toMatchObject({
      for_each: '${local.consumer_services}',
      name: 'desk-eu-dx-privatelink-${each.key}',
    });
    expect(json.locals.consumer_rules_quota).toBe(60);
    expect(json.locals.consumer_port_ranges).toContain('local.consumer_rules_quota >= length(local.consumer_allowed_cidrs) * length(');
    const rule = json.resource.aws_vpc_security_group_ingress_rule.consumer_sg_ingress;
    expect(rule.for_each).toBe(
      '${merge([for key, rs in local.consumer_port_ranges : { for pair in setproduct(local.consumer_allowed_cidrs, rs) : format("%s %s %d-%d", key, pair[0], pair[1].from, pair[1].to) => { service = key, cidr = pair[0], from = pair[1].from, to = pair[1].to } }]...)}',
    );
    expect(rule).toMatchObject({
      security_group_id: '${aws_security_group.consumer_sg[each.value.service].id}',
      from_port: '${each.value.from}',
      to_port: '${each.value.to}',
      cidr_ipv4: '${each.value.cidr}',
      ip_protocol: 'tcp',
    });
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test('optional private zone: one alias record per forward to the endpoint serving it', () => {
    const { json } = build({ dnsZone: 'fix.internal' });
    expect(json.resource.aws_route53_zone.consumer_zone).toMatchObject({
      count: '${local.consumer_dns_zone != null ? 1 : 0}',
      vpc: [{ vpc_id: 'vpc-02222222222222222' }],
    });
    expect(json.resource.aws_route53_record.consumer_record).toMatchObject({
      for_each:
        '${local.consumer_dns_zone != null ? merge([for key, s in local.consumer_services : { for f, p in s.ports : f => key }]...) : {}}',
      name: '${format("%s.%s", each.key, try(coalesce(local.consumer_dns_zone), ""))}',
      type: 'A',
      alias: {
        name: '${aws_vpc_endpoint.consumer_endpoint[each.value].dns_entry[0].dns_name}',
        zone_id: '${aws_vpc_endpoint.consumer_endpoint[each.value].dns_entry[0].hosted_zone_id}',
        evaluate_target_health: true,
      },
    });
  });

  test('without a zone, no zone is created and forwards are reached at the endpoint DNS name', () => {
    const { json } = build();
    expect(json.resource.aws_route53_zone.consumer_zone.count).toBe('${null != null ? 1 : 0}');
    expect(json.output.forwards.value).toBe(
      '${merge([for key, s in local.consumer_services : { for f, p in s.ports : f => format("%s:%d", null != null ? format("%s.%s", f, null) : aws_vpc_endpoint.consumer_endpoint[key].dns_entry[0].dns_name, p) }]...)}',
    );
  });

  test('fails when an allowed CIDR is not a CIDR', () => {
    expect(() => build({ allowedCidrs: ['10.1.0.0'] })).toThrow(
      'allowedCidrs[0]: is not an IPv4 CIDR block (got "10.1.0.0"); write a network address with its prefix length, such as 10.42.0.0/24 (host bits zero)',
    );
  });

  test('fails when every address is allowed', () => {
    expect(() => build({ allowedCidrs: ['0.0.0.0/0'] })).toThrow(
      'allowedCidrs[0]: admits every IPv4 address (got ["0.0.0.0/0"]); list only the CIDRs of the applications that may connect (together they must not cover all of IPv4)',
    );
  });

  test('fails when there is no service', () => {
    expect(() => build({ services: [] })).toThrow('services: is empty (got []); give at least one endpoint service to connect to');
  });

  test('fails when the allowed CIDRs together cover all of IPv4', () => {
    expect(() => build({ allowedCidrs: ['0.0.0.0/1', '128.0.0.0/1'] })).toThrow(
      'allowedCidrs: admits every IPv4 address (got ["0.0.0.0/1","128.0.0.0/1"])',
    );
  });

  test('fails when the DNS zone is an AWS domain', () => {
    expect(() => build({ dnsZone: 'amazonaws.com' })).toThrow(
      'dnsZone: is an AWS-owned domain, or a parent or child of one (got "amazonaws.com")',
    );
  });

  test("an existing private zone (a locked-down account's own): its records, no zone created", () => {
    const { json } = build({ dnsZone: 'fix.internal', dnsZoneId: 'Z0123456789ABCDEFGHIJ' });
    expect(json.locals.consumer_dns_zone_id).toBe('Z0123456789ABCDEFGHIJ');
    expect(json.resource.aws_route53_zone.consumer_zone.count).toBe(
      '${local.consumer_dns_zone != null && local.consumer_dns_zone_id == null ? 1 : 0}',
    );
    expect(json.resource.aws_route53_record.consumer_record).toMatchObject({
      zone_id: '${coalesce(local.consumer_dns_zone_id, one(aws_route53_zone.consumer_zone[*].zone_id))}',
      name: '${format("%s.%s", each.key, try(coalesce(local.consumer_dns_zone), ""))}',
    });
  });

  test('without an existing zone id the zone is created as before', () => {
    const { json } = build({ dnsZone: 'fix.internal' });
    expect(json.locals.consumer_dns_zone_id).toBeUndefined();
    expect(json.resource.aws_route53_zone.consumer_zone.count).toBe('${local.consumer_dns_zone != null ? 1 : 0}');
    expect(json.resource.aws_route53_record.consumer_record.zone_id).toBe('${aws_route53_zone.consumer_zone[0].zone_id}');
  });

  test('fails when the zone id is not one', () => {
    expect(() => build({ dnsZone: 'fix.internal', dnsZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ' })).toThrow(
      'dnsZoneId: is not a Route 53 hosted zone id (got "/hostedzone/Z0123456789ABCDEFGHIJ"); use the id of the private hosted zone, such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
    );
  });

  test('fails when a zone id comes without the zone name', () => {
    expect(() => build({ dnsZoneId: 'Z0123456789ABCDEFGHIJ' })).toThrow(
      'dnsZoneId: is given without dnsZone (got "Z0123456789ABCDEFGHIJ"); set dnsZone to the name of that zone (the records are <forward>.<dnsZone>), or remove dnsZoneId',
    );
  });
});
