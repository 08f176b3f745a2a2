import { ConsumerEndpoint, ConsumerEndpointProps } from '../constructs/consumer-endpoint';
import { TerraformOutput } from 'cdktf';
import { synthObject, testStack } from './support/stack';

function build(props: Partial<ConsumerEndpointProps> = {}) {
  const stack = testStack();
  const endpoint = new ConsumerEndpoint(stack, 'consumer', {
    name: 'desk-eu',
    vpcId: 'vpc-2',
    subnetIds: ['subnet-a', 'subnet-b'],
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

describe('ConsumerEndpoint', () => {
  test('one interface endpoint per service (shard), keyed by its stable key', () => {
    const { json } = build();
    expect(json.resource.aws_vpc_endpoint.consumer_endpoint).toMatchObject({
      for_each: {
        'internal-0': { service_name: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0a', service_region: null },
        'internal-1': { service_name: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0b', service_region: null },
      },
      service_name: '${each.value.service_name}',
      vpc_endpoint_type: 'Interface',
      subnet_ids: ['subnet-a', 'subnet-b'],
      security_group_ids: ['${aws_security_group.consumer_sg.id}'],
      private_dns_enabled: false,
    });
  });

  test('the security group admits only the forward ports, only from the listed CIDRs', () => {
    const { json } = build();
    const rule = json.resource.aws_vpc_security_group_ingress_rule.consumer_sg_ingress;
    expect(rule.for_each).toEqual({
      'broker-a 10.1.0.0/16': { port: 9001, cidr: '10.1.0.0/16' },
      'broker-a 10.2.0.0/16': { port: 9001, cidr: '10.2.0.0/16' },
      'clearing 10.1.0.0/16': { port: 9443, cidr: '10.1.0.0/16' },
      'clearing 10.2.0.0/16': { port: 9443, cidr: '10.2.0.0/16' },
      'broker-c 10.1.0.0/16': { port: 9100, cidr: '10.1.0.0/16' },
      'broker-c 10.2.0.0/16': { port: 9100, cidr: '10.2.0.0/16' },
    });
    expect(rule).toMatchObject({
      from_port: '${each.value.port}',
      to_port: '${each.value.port}',
      cidr_ipv4: '${each.value.cidr}',
      ip_protocol: 'tcp',
    });
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test('optional private zone: one alias record per forward to the endpoint serving it', () => {
    const { endpoint, json } = build({ dnsZone: 'fix.internal' });
    expect(json.resource.aws_route53_zone.consumer_zone).toMatchObject({ name: 'fix.internal', vpc: [{ vpc_id: 'vpc-2' }] });
    expect(json.resource.aws_route53_record.consumer_record).toMatchObject({
      for_each: { 'broker-a': 'internal-0', clearing: 'internal-0', 'broker-c': 'internal-1' },
      name: '${each.key}.fix.internal',
      type: 'A',
      alias: {
        name: '${aws_vpc_endpoint.consumer_endpoint[each.value].dns_entry[0].dns_name}',
        zone_id: '${aws_vpc_endpoint.consumer_endpoint[each.value].dns_entry[0].hosted_zone_id}',
        evaluate_target_health: true,
      },
    });
    expect(endpoint.forwardAddresses).toEqual({
      'broker-a': 'broker-a.fix.internal:9001',
      clearing: 'clearing.fix.internal:9443',
      'broker-c': 'broker-c.fix.internal:9100',
    });
  });

  test('without a zone, forwards are reached at the endpoint DNS name', () => {
    const { json } = build();
    expect(json.output.forwards.value['broker-c']).toBe('${aws_vpc_endpoint.consumer_endpoint["internal-1"].dns_entry[0].dns_name}:9100');
  });

  test('fails when an allowed CIDR is not a CIDR', () => {
    expect(() => build({ allowedCidrs: ['10.1.0.0'] })).toThrow(
      'allowedCidrs[0]: is not an IPv4 CIDR block (got "10.1.0.0"); write a network address with its prefix length, such as 10.42.0.0/24 (host bits zero)',
    );
  });

  test('fails when every address is allowed', () => {
    expect(() => build({ allowedCidrs: ['0.0.0.0/0'] })).toThrow(
      'allowedCidrs: admits every address (got "0.0.0.0/0"); list the CIDRs of the consumer applications only',
    );
  });
});
