/**
 * Bad inputs of the generated modules: each is planned from an HCL root and
 * must be refused by a variable validation naming the variable.
 */
import { PRIVATE_VIF } from './module-roots';

/**
 * An input a variable validation of module call `module` must refuse, in
 * root `root`: one plan checks a root's inputs together. Terraform skips the
 * validations of a variable that reads another invalid one (nat_fleet reads
 * forwards, quotas reads direct_connect), so a root holds bad values of
 * independent variables only, one per variable. Service roots call the VPC
 * module as "network" and the service module as "service".
 */
export interface BadInput {
  readonly what: string;
  readonly root: string;
  readonly module: 'network' | 'service' | 'consumer';
  readonly variable: string;
  /** The whole message: the field, the value received and the fix. */
  readonly message: string;
  readonly forwards?: string;
  /** The VPC module's direct_connect. */
  readonly directConnect?: string;
  readonly natFleet?: string;
  /** Further service module arguments (operations inputs). */
  readonly extra?: string;
  /** Further VPC module arguments. */
  readonly networkExtra?: string;
  /** VPC module arguments in place of the defaults (module-roots.ts networkModule). */
  readonly networkReplace?: Readonly<Record<string, string>>;
  readonly allowedCidrs?: string;
  readonly dnsZone?: string;
  readonly services?: string;
}

const FLEET_SG = '"sg-0e0e0e0e0e0e0e0e0"';

export const BAD_INPUTS: BadInput[] = [
  // ---- the service module
  {
    what: 'a duplicate listen port',
    root: 'bad-1',
    module: 'service',
    forwards: `{\n    a = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 1 }\n    b = { listen_port = 9001, target_ip = "192.0.2.11", target_port = 2 }\n  }`,
    variable: 'var.forwards',
    message: 'forwards: has duplicate listen_port values (got [9001,9001]); give every entry its own listen_port',
  },
  {
    what: 'a target that is not IPv4',
    root: 'bad-2',
    module: 'service',
    forwards: `{\n    a = { listen_port = 9001, target_ip = "broker.example.com", target_port = 1 }\n  }`,
    variable: 'var.forwards',
    message:
      'forwards["a"].target_ip: is not an IPv4 address (got "broker.example.com"); write the target as a dotted-quad IPv4 address such as 192.0.2.10 (no host names, no prefix length)',
  },
  {
    what: 'a listen port out of range',
    root: 'bad-3',
    module: 'service',
    forwards: `{\n    a = { listen_port = 70000, target_ip = "192.0.2.10", target_port = 1 }\n  }`,
    variable: 'var.forwards',
    message: 'forwards["a"].listen_port: is out of range (got 70000); use a TCP port from 1 to 65535',
  },
  {
    what: 'an x86 instance type on arm64',
    root: 'bad-5',
    module: 'service',
    natFleet: '{ instance_type = "c6i.large" }',
    variable: 'var.nat_fleet',
    message:
      'nat_fleet.instance_type: does not match nat_fleet.architecture (got "c6i.large"); Graviton types (a g after the generation digit: t4g, c7gn) need "arm64", all others "x86_64"',
  },
  {
    what: 'an instance type with a newline',
    root: 'bad-6',
    module: 'service',
    natFleet: '{ instance_type = "t4g.small\\n" }',
    variable: 'var.nat_fleet',
    message:
      'nat_fleet.instance_type: is not an EC2 instance type (got "t4g.small\\n"); use an instance type name such as t4g.small (arm64) or t3.small (x86_64)',
  },
  {
    what: 'an alarm topic that is not an SNS topic ARN',
    root: 'bad-5',
    module: 'service',
    extra: '  monitoring = { topic_arn = "arn:aws:sqs:eu-west-2:111111111111:alarms" }',
    variable: 'var.monitoring',
    message:
      'monitoring.topic_arn: is not the ARN of a standard SNS topic (got "arn:aws:sqs:eu-west-2:111111111111:alarms"); use a topic ARN such as arn:aws:sns:eu-west-2:111111111111:netops-alerts (CloudWatch alarms cannot notify FIFO topics)',
  },
  {
    what: 'an e-mail address without a domain',
    root: 'bad-6',
    module: 'service',
    extra: '  monitoring = { emails = ["noc@"] }',
    variable: 'var.monitoring',
    message: 'monitoring.emails: is not an e-mail address (got "noc@"); write one address such as netops@example.com',
  },
  {
    // max_size 6 is 12 instances while the fleet replaces instances (new ones first).
    what: 'more NLB targets than 500: 50 public forwards × max_size 6, twice that while replacing',
    root: 'bad-4',
    module: 'service',
    forwards: `{\n${Array.from({ length: 50 }, (_, i) => `    f${i} = { listen_port = ${10000 + i}, target_ip = "203.0.113.${i + 1}", target_port = 5000 }`).join('\n')}\n  }`,
    natFleet: '{ min_size = 2, max_size = 6 }',
    variable: 'var.nat_fleet',
    message:
      "nat_fleet.max_size: makes the NLB's targets (NAT target groups × instances, 200% of max_size while instances are replaced, + IP targets) exceed the 500 per cross-zone NLB (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html) (got 6); lower nat_fleet.max_size, or split the public-target forwards across module instances",
  },
  // ---- the VPC module: Direct Connect
  {
    what: 'VIF peers on the same address',
    root: 'bad-1',
    module: 'network',
    directConnect: PRIVATE_VIF.replace('169.254.100.2/30', '169.254.100.1/30'),
    variable: 'var.direct_connect',
    message:
      'direct_connect.private_vif.customer_address: is the same address as amazon_address (got "169.254.100.1/30"); give each side its own address of the link subnet, such as 169.254.100.1/30 and 169.254.100.2/30',
  },
  {
    what: 'a public VIF peer address',
    root: 'bad-2',
    module: 'network',
    directConnect: PRIVATE_VIF.replace('169.254.100.1/30', '198.51.100.1/30'),
    variable: 'var.direct_connect',
    message:
      'direct_connect.private_vif.amazon_address: is not a link-local or private address (got "198.51.100.1/30"); use link-local addresses (169.254.0.0/16, as AWS generates them) or RFC 1918 private addresses for the BGP peers',
  },
  {
    what: 'a VGW ASN that is not private',
    root: 'bad-7',
    module: 'network',
    directConnect: '{ amazon_side_asn = 100 }',
    variable: 'var.direct_connect',
    message:
      'direct_connect.amazon_side_asn: is not a private ASN (got 100); use a private ASN from 64512 to 65534 or from 4200000000 to 4294967294 (64512 is the AWS default)',
  },
  {
    what: 'both a private and a hosted VIF',
    root: 'bad-5',
    module: 'network',
    directConnect: PRIVATE_VIF.replace('{\n', '{\n    hosted_vif  = { id = "dxvif-ffhhk74f" }\n'),
    variable: 'var.direct_connect',
    message:
      'direct_connect: has both private_vif and hosted_vif (got ["private_vif","hosted_vif"]); create a VIF on your own connection or accept a hosted one, not both',
  },
  {
    what: 'an ASN for an existing VGW',
    root: 'bad-6',
    module: 'network',
    directConnect: '{ amazon_side_asn = 64600, existing_vgw = { id = "vgw-0123456789abcdef0" } }',
    variable: 'var.direct_connect',
    message:
      'direct_connect.amazon_side_asn: cannot be set for an existing gateway (got 64600); remove amazon_side_asn; the existing gateway keeps its ASN',
  },
  {
    what: 'more static routes than routes per route table',
    root: 'bad-4',
    module: 'network',
    directConnect: '{ hosted_vif = { id = "dxvif-ffhhk74f" }, routing = "static" }',
    networkExtra: '  static_targets = ["192.0.2.10", "192.0.2.11", "192.0.2.12"]\n  quotas = { routes_per_route_table = 2 }',
    variable: 'var.quotas',
    message:
      'static_targets: needs one route per target address in each route table, more than quotas.routes_per_route_table (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html) (got 3); use routing "propagate", or raise the quota (Service Quotas L-93826ACB) and set quotas.routes_per_route_table',
  },
  // ---- the VPC module: flow logs, fleet endpoints and its other inputs
  {
    what: 'flow logs to S3 without a bucket',
    root: 'bad-3',
    module: 'network',
    networkExtra: '  flow_logs = { destination = "s3" }',
    variable: 'var.flow_logs',
    message: 'flow_logs.s3_bucket_arn: is required with destination "s3" (got null); give the ARN of the bucket the flow logs go to',
  },
  {
    what: 'a flow log retention CloudWatch Logs does not offer',
    root: 'bad-2',
    module: 'network',
    networkExtra: '  flow_logs = { retention_days = 45 }',
    variable: 'var.flow_logs',
    message:
      'flow_logs.retention_days: is not a retention CloudWatch Logs offers (got 45); use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days',
  },
  {
    what: 'an existing fleet endpoint for a service the NAT instances do not call',
    root: 'bad-1',
    module: 'network',
    networkReplace: {
      fleet_endpoints: `{ existing = { security_group_id = ${FLEET_SG}, endpoint_ids = { autoscaling = "vpce-0a5c0a5c0a5c0a5c0", s3 = "vpce-0123456789abcdef0" } } }`,
    },
    variable: 'var.fleet_endpoints',
    message:
      'fleet_endpoints.existing.endpoint_ids: has a key that is not a service the NAT instances call (got ["autoscaling","s3"]); use keys of: "autoscaling", "ssm", "ssmmessages", "ec2messages"',
  },
  {
    what: 'existing fleet endpoints without Auto Scaling’s',
    root: 'bad-7',
    module: 'network',
    networkReplace: {
      fleet_endpoints: `{ existing = { security_group_id = ${FLEET_SG}, endpoint_ids = { ssm = "vpce-055a055a055a055a0" } } }`,
    },
    variable: 'var.fleet_endpoints',
    message:
      'fleet_endpoints.existing.endpoint_ids: has no autoscaling endpoint (got ["ssm"]); give the id of the VPC\'s com.amazonaws.<region>.autoscaling endpoint (private DNS on): each NAT instance completes its launch through it',
  },
  {
    what: 'Session Manager endpoints asked for beside existing endpoints',
    root: 'bad-6',
    module: 'network',
    networkReplace: {
      fleet_endpoints: `{ session_manager = true, existing = { security_group_id = ${FLEET_SG}, endpoint_ids = { autoscaling = "vpce-0a5c0a5c0a5c0a5c0" } } }`,
    },
    variable: 'var.fleet_endpoints',
    message:
      "fleet_endpoints.session_manager: cannot make endpoints beside existing ones (got true); list the VPC's own ssm, ssmmessages and ec2messages endpoints in existing.endpoint_ids instead, or remove existing",
  },
  {
    what: 'static targets with propagated routes',
    // its own root: a validation that reads another variable is skipped while any input is invalid
    root: 'bad-9',
    module: 'network',
    networkExtra: '  static_targets = ["192.0.2.10"]',
    variable: 'var.static_targets',
    message:
      'static_targets: is set, but direct_connect.routing is not "static" (the addresses would be ignored) (got ["192.0.2.10"]); set direct_connect.routing = "static", or remove static_targets (the VGW propagates the routes it learns)',
  },
  {
    what: 'one subnet',
    root: 'bad-6',
    module: 'network',
    networkReplace: { subnet_ids: '["subnet-0aaaaaaaaaaaaaaaa"]' },
    variable: 'var.subnet_ids',
    message:
      'subnet_ids: has fewer than 2 subnets (got ["subnet-0aaaaaaaaaaaaaaaa"]); give one subnet in each of at least two availability zones',
  },
  {
    what: 'a VPC module name with capitals and an underscore',
    root: 'bad-5',
    module: 'network',
    networkReplace: { name: '"Fix_GW"' },
    variable: 'var.name',
    message:
      'name: is not a valid name (got "Fix_GW"); use 2 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  },
  {
    what: 'a VPC module tag key in the aws: namespace',
    root: 'bad-7',
    module: 'network',
    networkExtra: '  tags = { "aws:owner" = "noc" }',
    variable: 'var.tags',
    message:
      'tags: has a key of 0 or more than 128 characters, a value over 256, or a key starting with aws: (got {"aws:owner":"noc"}); use keys of 1 to 128 characters not starting with aws: and values of at most 256',
  },
  {
    what: 'a link alarm e-mail address without a domain',
    root: 'bad-7',
    module: 'network',
    networkExtra: '  monitoring = { emails = ["noc@"] }',
    variable: 'var.monitoring',
    message: 'monitoring.emails: is not an e-mail address (got "noc@"); write one address such as netops@example.com',
  },
  // ---- the consumer module
  {
    what: 'consumer allowed_cidrs that together cover all of IPv4',
    root: 'bad-consumer',
    module: 'consumer',
    allowedCidrs: '["0.0.0.0/1", "128.0.0.0/1"]',
    variable: 'var.allowed_cidrs',
    message:
      'allowed_cidrs: admits every IPv4 address (got ["0.0.0.0/1","128.0.0.0/1"]); list only the CIDRs of the applications that may connect (together they must not cover all of IPv4)',
  },
  {
    what: 'a consumer DNS zone inside amazonaws.com',
    root: 'bad-consumer',
    module: 'consumer',
    dnsZone: '"eu-west-2.amazonaws.com"',
    variable: 'var.dns_zone',
    message:
      'dns_zone: is an AWS-owned domain, or a parent or child of one (got "eu-west-2.amazonaws.com"); use a private domain such as fix.internal: a private zone for an AWS domain would shadow AWS service endpoints in the VPC',
  },
  {
    what: 'a consumer forward name that is not a DNS label',
    root: 'bad-consumer',
    module: 'consumer',
    services: '{ clients-0 = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0", ports = { Broker_A = 9002 } } }',
    variable: 'var.services',
    message:
      'services["clients-0"].ports["Broker_A"]: is not a valid forward name (got "Broker_A"); use 1 to 32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  },
  {
    what: 'two consumer services with the same forward name',
    root: 'bad-consumer-4',
    module: 'consumer',
    services:
      '{\n    a = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0a", ports = { broker-fix = 9001 } }\n    b = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0b", ports = { broker-fix = 9002 } }\n  }',
    variable: 'var.services',
    message:
      'services: has a forward name in the ports of two services (its DNS name and forwards output would be one of them only) (got ["broker-fix","broker-fix"]); give every forward its own name across services (the provider side keeps forward names unique per tenant; prefix them per service here if two tenants share one)',
  },
  {
    what: 'more allowed CIDRs than rules per security group',
    root: 'bad-consumer-2',
    module: 'consumer',
    allowedCidrs: JSON.stringify(Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`)),
    variable: 'Invalid value for variable',
    message:
      'allowed_cidrs: needs one rule per CIDR in each endpoint security group, more than quotas.security_group_rules_per_direction (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html) (got 61); list fewer, larger CIDRs, or raise the quota (Service Quotas L-0EA8095F) and set quotas.security_group_rules_per_direction',
  },
  {
    what: 'more endpoint services than interface endpoints per VPC',
    root: 'bad-consumer-3',
    module: 'consumer',
    services: `{\n${Array.from({ length: 51 }, (_, i) => `    s${i} = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0${i}", ports = { f${i} = ${10000 + i} } }`).join('\n')}\n  }`,
    variable: 'Invalid value for variable',
    message:
      'services: needs one interface endpoint each, more than quotas.interface_endpoints_per_vpc (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html) (got 51); connect to fewer services, or raise the quota (Service Quotas L-29B6F2EB) and set quotas.interface_endpoints_per_vpc',
  },
];
