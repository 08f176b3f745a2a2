/**
 * Bad inputs of the generated modules: each is planned from an HCL root and
 * must be refused by a variable validation naming the variable.
 */
import { PRIVATE_VIF } from './module-roots';

/**
 * An input a variable validation must refuse, in root `root`: one plan
 * checks a root's inputs together. Terraform skips the validations of a
 * variable that reads another invalid one (nat_fleet reads forwards), so a
 * root holds bad values of independent variables only.
 */
export interface BadInput {
  readonly what: string;
  readonly root: string;
  readonly variable: string;
  readonly message: string;
  readonly forwards?: string;
  readonly directConnect?: string;
  readonly natFleet?: string;
  /** Further module arguments (operations inputs). */
  readonly extra?: string;
  readonly allowedCidrs?: string;
  readonly dnsZone?: string;
  readonly services?: string;
}

export const BAD_INPUTS: BadInput[] = [
  {
    what: 'a duplicate listen port',
    root: 'bad-1',
    forwards: `{\n    a = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 1 }\n    b = { listen_port = 9001, target_ip = "192.0.2.11", target_port = 2 }\n  }`,
    variable: 'var.forwards',
    message: 'forwards: has duplicate listen_port values (got [9001,9001]); give every entry its own listen_port',
  },
  {
    what: 'a target that is not IPv4',
    root: 'bad-2',
    forwards: `{\n    a = { listen_port = 9001, target_ip = "broker.example.com", target_port = 1 }\n  }`,
    variable: 'var.forwards',
    message:
      'forwards["a"].target_ip: is not an IPv4 address (got "broker.example.com"); write the target as a dotted-quad IPv4 address such as 192.0.2.10 (no host names, no prefix length)',
  },
  {
    what: 'a listen port out of range',
    root: 'bad-3',
    forwards: `{\n    a = { listen_port = 70000, target_ip = "192.0.2.10", target_port = 1 }\n  }`,
    variable: 'var.forwards',
    message: 'forwards["a"].listen_port: is out of range (got 70000); use a TCP port from 1 to 65535',
  },
  {
    what: 'VIF peers on the same address',
    root: 'bad-1',
    directConnect: PRIVATE_VIF.replace('169.254.100.2/30', '169.254.100.1/30'),
    variable: 'var.direct_connect',
    message: 'direct_connect.private_vif.customer_address: is the same address as amazon_address (got "169.254.100.1/30")',
  },
  {
    what: 'a public VIF peer address',
    root: 'bad-2',
    directConnect: PRIVATE_VIF.replace('169.254.100.1/30', '198.51.100.1/30'),
    variable: 'var.direct_connect',
    message: 'direct_connect.private_vif.amazon_address: is not a link-local or private address (got "198.51.100.1/30")',
  },
  {
    what: 'an x86 instance type on arm64',
    root: 'bad-5',
    natFleet: '{ instance_type = "c6i.large" }',
    variable: 'var.nat_fleet',
    message: 'nat_fleet.instance_type: does not match nat_fleet.architecture (got "c6i.large")',
  },
  {
    what: 'an instance type with a newline',
    root: 'bad-6',
    natFleet: '{ instance_type = "t4g.small\\n" }',
    variable: 'var.nat_fleet',
    message: 'nat_fleet.instance_type: is not an EC2 instance type (got "t4g.small\\n")',
  },
  {
    what: 'an alarm topic that is not an SNS topic ARN',
    root: 'bad-5',
    extra: '  monitoring = { topic_arn = "arn:aws:sqs:eu-west-2:111111111111:alarms" }',
    variable: 'var.monitoring',
    message: 'monitoring.topic_arn: is not the ARN of a standard SNS topic (got "arn:aws:sqs:eu-west-2:111111111111:alarms")',
  },
  {
    what: 'an e-mail address without a domain',
    root: 'bad-6',
    extra: '  monitoring = { emails = ["noc@"] }',
    variable: 'var.monitoring',
    message: 'monitoring.emails: is not an e-mail address (got "noc@")',
  },
  {
    what: 'flow logs to S3 without a bucket',
    root: 'bad-3',
    extra: '  flow_logs = { destination = "s3" }',
    variable: 'var.flow_logs',
    message: 'flow_logs.s3_bucket_arn: is required with destination "s3"',
  },
  {
    what: 'a flow log retention CloudWatch Logs does not offer',
    root: 'bad-2',
    extra: '  flow_logs = { retention_days = 45 }',
    variable: 'var.flow_logs',
    message: 'flow_logs.retention_days: is not a retention CloudWatch Logs offers (got 45)',
  },
  {
    what: 'consumer allowed_cidrs that together cover all of IPv4',
    root: 'bad-consumer',
    allowedCidrs: '["0.0.0.0/1", "128.0.0.0/1"]',
    variable: 'var.allowed_cidrs',
    message: 'allowed_cidrs: admits every IPv4 address (got ["0.0.0.0/1","128.0.0.0/1"])',
  },
  {
    what: 'a consumer DNS zone inside amazonaws.com',
    root: 'bad-consumer',
    dnsZone: '"eu-west-2.amazonaws.com"',
    variable: 'var.dns_zone',
    message: 'dns_zone: is an AWS-owned domain, or a parent or child of one (got "eu-west-2.amazonaws.com")',
  },
  {
    // max_size 6 is 12 instances while the fleet replaces instances (new ones first).
    what: 'more NLB targets than 500: 50 public forwards × max_size 6, twice that while replacing',
    root: 'bad-4',
    forwards: `{\n${Array.from({ length: 50 }, (_, i) => `    f${i} = { listen_port = ${10000 + i}, target_ip = "203.0.113.${i + 1}", target_port = 5000 }`).join('\n')}\n  }`,
    natFleet: '{ min_size = 2, max_size = 6 }',
    variable: 'var.nat_fleet',
    message:
      "nat_fleet.max_size: makes the NLB's targets (NAT target groups × instances, 200% of max_size while instances are replaced, + IP targets) exceed the 500 per cross-zone NLB",
  },
  {
    what: 'more allowed CIDRs than rules per security group',
    root: 'bad-consumer-2',
    allowedCidrs: JSON.stringify(Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`)),
    variable: 'Invalid value for variable',
    message: 'allowed_cidrs: needs one rule per CIDR in each endpoint security group, more than quotas.security_group_rules_per_direction',
  },
  {
    what: 'more endpoint services than interface endpoints per VPC',
    root: 'bad-consumer-3',
    services: `{\n${Array.from({ length: 51 }, (_, i) => `    s${i} = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0${i}", ports = { f${i} = ${10000 + i} } }`).join('\n')}\n  }`,
    variable: 'Invalid value for variable',
    message: 'services: needs one interface endpoint each, more than quotas.interface_endpoints_per_vpc',
  },
];
