import { ProviderNetwork, ProviderNetworkProps } from '../constructs/provider-network';
import { synthObject, testStack } from './support/stack';

function build(props: Partial<ProviderNetworkProps>) {
  const stack = testStack();
  const network = new ProviderNetwork(stack, 'network', { name: 'fix', region: 'eu-west-2', natFleet: true, ...props });
  return { stack, network, json: synthObject(stack) };
}

describe('ProviderNetwork', () => {
  test("creates private subnets per zone, route tables, an S3 gateway endpoint and the fleet's interface endpoints, no internet gateway", () => {
    const { json } = build({ create: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a', 'eu-west-2b'] } });
    const r = json.resource;
    expect(r.aws_vpc.network_vpc).toMatchObject({ cidr_block: '10.42.0.0/24', enable_dns_support: true, enable_dns_hostnames: true });
    expect(r.aws_subnet.network_subnet).toMatchObject({
      for_each: { 'eu-west-2a': 0, 'eu-west-2b': 1 },
      availability_zone: '${each.key}',
      cidr_block: '${cidrsubnet(aws_vpc.network_vpc.cidr_block, 2, each.value)}',
      map_public_ip_on_launch: false,
    });
    expect(r.aws_vpc_endpoint.network_s3_endpoint).toMatchObject({
      service_name: 'com.amazonaws.eu-west-2.s3',
      vpc_endpoint_type: 'Gateway',
    });
    expect(r.aws_vpc_endpoint.network_ssm_endpoint).toMatchObject({
      for_each: '${toset(["autoscaling", "ssm", "ssmmessages", "ec2messages"])}',
      service_name: 'com.amazonaws.eu-west-2.${each.value}',
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      security_group_ids: ['${aws_security_group.network_endpoint_sg.id}'],
    });
    // no rule of its own: each NAT group adds the one that admits it
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(r.aws_internet_gateway).toBeUndefined();
    expect(r.aws_nat_gateway).toBeUndefined();
  });

  test('ssmEndpoints false leaves the Session Manager endpoints out, not the Auto Scaling one', () => {
    const { json } = build({ create: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a', 'eu-west-2b'], ssmEndpoints: false } });
    expect(json.resource.aws_vpc_endpoint.network_ssm_endpoint.for_each).toBe('${toset(["autoscaling"])}');
  });

  test('without a NAT fleet, no interface endpoint', () => {
    const { json } = build({ natFleet: false, create: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a', 'eu-west-2b'] } });
    expect(json.resource.aws_vpc_endpoint.network_ssm_endpoint).toBeUndefined();
    expect(json.resource.aws_security_group).toBeUndefined();
  });

  test('an existing VPC with a NAT fleet gets an Auto Scaling endpoint, and its own endpoints are checked at plan', () => {
    const { network, json } = build({
      existing: {
        vpcId: 'vpc-0123456789abcdef0',
        cidr: '10.0.0.0/16',
        subnetIds: { 'eu-west-2a': 'subnet-0aaaaaaaaaaaaaaaa', 'eu-west-2b': 'subnet-0bbbbbbbbbbbbbbbb' },
        routeTableIds: ['rtb-01111111111111111'],
        existingEndpoints: { securityGroupId: 'sg-0123456789abcdef0', endpointIds: { ssm: 'vpce-0aaaaaaaaaaaaaaaa' } },
      },
    });
    expect(json.resource.aws_vpc_endpoint.network_ssm_endpoint.for_each).toBe('${toset(["autoscaling"])}');
    const check = json.data.aws_vpc_endpoint.network_existing_endpoint;
    expect(check).toMatchObject({ for_each: { ssm: 'vpce-0aaaaaaaaaaaaaaaa' }, id: '${each.value}' });
    expect(check.lifecycle.postcondition.map((p: { error_message: string }) => p.error_message).join('\n')).toMatch(
      /has no private DNS.*\n.*does not carry security group/,
    );
    expect(network.endpointServices.sort()).toEqual(['autoscaling', 'ssm']);
    expect(Object.keys(network.endpointSecurityGroups).sort()).toEqual(['created', 'existing']);
  });

  test('an existing VPC without a NAT fleet creates nothing and passes its ids through', () => {
    const { network, json } = build({
      natFleet: false,
      existing: {
        vpcId: 'vpc-0123456789abcdef0',
        cidr: '10.0.0.0/16',
        subnetIds: { 'eu-west-2a': 'subnet-0aaaaaaaaaaaaaaaa', 'eu-west-2b': 'subnet-0bbbbbbbbbbbbbbbb' },
        routeTableIds: ['rtb-01111111111111111'],
      },
    });
    expect(json.resource).toBeUndefined();
    expect(network.subnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
    expect(network.routeTables).toEqual({ 'rtb-01111111111111111': 'rtb-01111111111111111' });
  });

  test('fails when given a single availability zone', () => {
    expect(() => build({ create: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a'] } })).toThrow(
      'vpc.create.availabilityZones: has fewer than 2 availability zones (got ["eu-west-2a"]); list at least two zones: the NLB and the NAT fleet must survive the loss of one',
    );
  });

  test('fails when the CIDR has host bits set', () => {
    expect(() => build({ create: { cidr: '10.42.0.1/24', availabilityZones: ['eu-west-2a', 'eu-west-2b'] } })).toThrow(
      'vpc.create.cidr: is not a usable VPC CIDR block (got "10.42.0.1/24")',
    );
  });

  test('fails when neither create nor existing is given', () => {
    expect(() => build({})).toThrow('vpc: must have exactly one of create or existing');
  });

  test('fails when a zone only starts with the region name', () => {
    expect(() => build({ create: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a', 'eu-west-21a'] } })).toThrow(
      'vpc.create.availabilityZones: is not an availability zone of region eu-west-2 (got "eu-west-21a")',
    );
  });
});
