/**
 * The value rules of dx-privatelink, one list shared by the config loader and
 * the constructs' eager validation (and, later, the generated modules'
 * `validation` blocks). Each rule says what is allowed and how to fix a
 * value that is not. Pure: no cdktf import.
 */
import {
  IPV4_CIDR_PATTERN,
  IPV4_PATTERN,
  PEER_RANGE_PATTERN,
  UNROUTABLE_PATTERN,
  coversAllIpv4,
  coversAllIpv4Tf,
  isDirectTarget,
  isIpv4Cidr,
  isNetworkAddress,
} from './ipv4';

/** One problem with one input value: the field, what was received, and the fix. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${field}: ${problem} (got ${formatValue(value)}); ${fix}`);
    this.name = 'ValidationError';
  }
}

export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export interface Rule<T> {
  /** True when the value is acceptable. */
  readonly test: (value: T) => boolean;
  /**
   * The same check as a Terraform boolean expression over `x` (an
   * expression for the value), for the generated modules' validation blocks.
   */
  readonly tf: (x: string) => string;
  /** What is wrong, phrased for "<field>: <problem> (got <value>)". */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

export function check<T>(rule: Rule<T>, field: string, value: T): ValidationError | undefined {
  return rule.test(value) ? undefined : new ValidationError(field, value, rule.problem, rule.fix);
}

const isInt = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
const tfInt = (x: string, min: number, max: number) => `floor(${x}) == ${x} && ${x} >= ${min} && ${x} <= ${max}`;

/**
 * A rule from a regular expression that means the same to JavaScript (with
 * the `u` flag) and to Terraform's regex() (RE2): plain classes, `\\p{..}`
 * Unicode classes, no look-around or back-references.
 */
function pattern(source: string, problem: string, fix: string): Rule<string> {
  const re = new RegExp(source, 'u');
  return { test: (v) => re.test(v), tf: (x) => `can(regex(${JSON.stringify(source)}, ${x}))`, problem, fix };
}

/** The longest TCP idle timeout an NLB listener takes, in seconds. */
export const MAX_TCP_IDLE_TIMEOUT = 6000;

function range(min: number, max: number, problem: string, fix: string): Rule<number> {
  return { test: (v) => isInt(v, min, max), tf: (x) => tfInt(x, min, max), problem, fix };
}

const isCidr = (v: string) => isIpv4Cidr(v) && isNetworkAddress(v);
const tfCidr = (x: string) => `can(regex(${JSON.stringify(IPV4_CIDR_PATTERN)}, ${x})) && try(cidrsubnet(${x}, 0, 0) == ${x}, false)`;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Characters AWS allows in tag keys and values on every service (IAM, ELB, EC2, ...). */
const TAG_CHARACTERS = '[\\p{L}\\p{Z}\\p{N}_.:/=+@-]';

/** Longest DNS zone: a 32-character forward name, a dot and the zone fit in 253 characters. */
export const MAX_DNS_ZONE_LENGTH = 220;

/**
 * Domains of AWS services and endpoints. A private hosted zone equal to one,
 * inside one or above one shadows real AWS names in the consumer's VPC.
 */
export const AWS_DOMAINS = [
  'amazonaws.com',
  'amazonaws.com.cn',
  'amazon.com',
  'amazontrust.com',
  'api.aws',
  'on.aws',
  'aws.dev',
  'aws',
  'amazon',
  'c2s.ic.gov',
  'sc2s.sgov.gov',
  'cloudfront.net',
  'awsglobalaccelerator.com',
] as const;

export const RULES = {
  name: pattern(
    '^[a-z][a-z0-9-]{0,18}[a-z0-9]$',
    'is not a valid name',
    'use 2 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  ),
  forwardName: pattern(
    '^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$',
    'is not a valid forward name',
    'use 1 to 32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  ),
  port: range(1, 65535, 'is out of range', 'use a TCP port from 1 to 65535'),
  targetIp: pattern(
    IPV4_PATTERN,
    'is not an IPv4 address',
    'write the target as a dotted-quad IPv4 address such as 192.0.2.10 (no host names, no prefix length)',
  ),
  routableTarget: {
    test: (v: string) => !new RegExp(UNROUTABLE_PATTERN).test(v),
    tf: (x: string) => `!can(regex(${JSON.stringify(UNROUTABLE_PATTERN)}, ${x}))`,
    problem: 'is a loopback, link-local, multicast or reserved address',
    fix: 'use the address of the endpoint behind Direct Connect',
  },
  tcpIdleTimeout: range(
    60,
    MAX_TCP_IDLE_TIMEOUT,
    'is out of range',
    'use a whole number of seconds from 60 to 6000 (the NLB TCP idle timeout range; 350 is the AWS default)',
  ),
  cidr: {
    test: isCidr,
    tf: tfCidr,
    problem: 'is not an IPv4 CIDR block',
    fix: 'write a network address with its prefix length, such as 10.42.0.0/24 (host bits zero)',
  },
  vpcCidr: {
    test: (v: string) => isCidr(v) && isInt(Number(v.split('/')[1]), 16, 26),
    tf: (x: string) => `${tfCidr(x)} && try(${tfInt(`tonumber(split("/", ${x})[1])`, 16, 26)}, false)`,
    problem: 'is not a usable VPC CIDR block',
    fix: 'write a network address with a prefix length from /16 to /26, such as 10.42.0.0/24',
  },
  existingVpcCidr: {
    test: (v: string) => isCidr(v) && isInt(Number(v.split('/')[1]), 16, 28),
    tf: (x: string) => `${tfCidr(x)} && try(${tfInt(`tonumber(split("/", ${x})[1])`, 16, 28)}, false)`,
    problem: 'is not a VPC CIDR block',
    fix: 'write the VPC CIDR with its prefix length, from /16 to /28 (the VPC size limits), such as 10.42.0.0/24',
  },
  linkAddress: pattern(
    `${IPV4_CIDR_PATTERN.slice(0, IPV4_CIDR_PATTERN.lastIndexOf('/'))}/3[01]$`,
    'is not an address with a /30 or /31 prefix length',
    'write the BGP peer address with its /30 or /31 link prefix, such as 169.254.100.1/30',
  ),
  linkAddressRange: pattern(
    PEER_RANGE_PATTERN,
    'is not a link-local or private address',
    'use link-local addresses (169.254.0.0/16, as AWS generates them) or RFC 1918 private addresses for the BGP peers',
  ),
  linkAddressHost: {
    test: (v: string) => !/[/]30$/.test(v) || [1, 2].includes(Number(v.split('/')[0].split('.')[3]) % 4),
    tf: (x: string) => `!can(regex("/30$", ${x})) || contains([1, 2], try(tonumber(split(".", split("/", ${x})[0])[3]) % 4, -1))`,
    problem: 'is the network or broadcast address of its /30',
    fix: 'use one of the two host addresses of the /30, such as .1 and .2',
  },
  accountId: pattern('^[0-9]{12}$', 'is not an AWS account id', 'write the 12-digit account id in quotes, such as "111111111111"'),
  region: pattern('^[a-z]{2}(-[a-z]+)+-[0-9]+$', 'is not an AWS region name', 'use a region code such as eu-west-2'),
  availabilityZone: pattern(
    '^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$',
    'is not an availability zone name',
    'use an availability zone name such as eu-west-2a',
  ),
  vlan: range(1, 4094, 'is out of range', 'use the VLAN id of the virtual interface, from 1 to 4094'),
  bgpAsn: range(1, 4294967294, 'is out of range', 'use the BGP ASN of your router, from 1 to 4294967294'),
  amazonSideAsn: {
    test: (v: number) => isInt(v, 64512, 65534) || isInt(v, 4200000000, 4294967294),
    tf: (x: string) => `(${tfInt(x, 64512, 65534)}) || (${tfInt(x, 4200000000, 4294967294)})`,
    problem: 'is not a private ASN',
    fix: 'use a private ASN from 64512 to 65534 or from 4200000000 to 4294967294 (64512 is the AWS default)',
  },
  fleetMinSize: range(
    2,
    100,
    'is too small for high availability',
    'use at least 2 NAT instances (one per availability zone) and at most 100',
  ),
  mtu: {
    test: (v: number) => v === 1500 || v === 9001,
    tf: (x: string) => `contains([1500, 9001], ${x})`,
    problem: 'is not an MTU a private virtual interface supports',
    fix: 'use 1500 (default) or 9001 (jumbo frames)',
  },
  principal: pattern(
    '^arn:(aws|aws-cn|aws-us-gov):iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$',
    'is not an IAM principal ARN',
    'list each consumer account as arn:aws:iam::<account id>:root (no wildcards)',
  ),
  dnsZone: pattern(
    '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?[.])+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$',
    'is not a DNS zone name',
    'use a lowercase domain such as fix.internal (no trailing dot)',
  ),
  dnsZoneLength: {
    test: (v: string) => v.length <= MAX_DNS_ZONE_LENGTH,
    tf: (x: string) => `length(${x}) <= ${MAX_DNS_ZONE_LENGTH}`,
    problem: 'is too long',
    fix: `use at most ${MAX_DNS_ZONE_LENGTH} characters, so that every <forward>.<zone> name fits the 253-character DNS limit`,
  },
  dnsZoneNotAws: {
    test: (v: string) => !AWS_DOMAINS.some((d) => v === d || v.endsWith(`.${d}`) || d.endsWith(`.${v}`)),
    tf: (x: string) =>
      `!anytrue([for d in ${JSON.stringify(AWS_DOMAINS)} : ${x} == d || endswith(${x}, format(".%s", d)) || endswith(d, format(".%s", ${x}))])`,
    problem: 'is an AWS-owned domain, or a parent or child of one',
    fix: 'use a private domain such as fix.internal: a private zone for an AWS domain would shadow AWS service endpoints in the VPC',
  },
  roleArn: pattern(
    '^arn:(aws|aws-cn|aws-us-gov):iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$',
    'is not an IAM role ARN of partition aws, aws-cn or aws-us-gov',
    'use a role ARN such as arn:aws:iam::111111111111:role/dx-privatelink-deploy',
  ),
  tagKey: pattern(`^${TAG_CHARACTERS}{1,128}$`, 'is not a valid tag key', 'use 1 to 128 letters, digits, spaces or _ . : / = + - @'),
  tagKeyNotReserved: {
    test: (v: string) => !/^aws:/i.test(v),
    tf: (x: string) => `!can(regex("^(?i)aws:", ${x}))`,
    problem: 'starts with the reserved prefix aws:',
    fix: 'AWS reserves tag keys that start with aws: for its own tags; rename the tag',
  },
  tagValue: pattern(
    `^${TAG_CHARACTERS}{0,256}$`,
    'is not a valid tag value',
    'use at most 256 letters, digits, spaces or _ . : / = + - @ (no line breaks)',
  ),
  cidrsNotEveryone: {
    test: (v: readonly string[]) => !coversAllIpv4(v),
    tf: (x: string) => `!(${coversAllIpv4Tf(x)})`,
    problem: 'admits every IPv4 address',
    fix: 'list only the CIDRs of the applications that may connect (together they must not cover all of IPv4)',
  },
  instanceType: pattern(
    '^[a-z][a-z0-9-]{0,15}[.][a-z0-9]{1,15}$',
    'is not an EC2 instance type',
    'use an instance type name such as t4g.small (arm64) or t3.small (x86_64)',
  ),
  snsTopicArn: pattern(
    '^arn:(aws|aws-cn|aws-us-gov):sns:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$',
    'is not the ARN of a standard SNS topic',
    'use a topic ARN such as arn:aws:sns:eu-west-2:111111111111:netops-alerts (CloudWatch alarms cannot notify FIFO topics)',
  ),
  email: pattern(
    '^[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]{1,63}[.])+[A-Za-z]{2,63}$',
    'is not an e-mail address',
    'write one address such as netops@example.com',
  ),
  s3BucketArn: pattern(
    '^arn:(aws|aws-cn|aws-us-gov):s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9!_.*()/-]*)?$',
    'is not the ARN of an S3 bucket',
    'use a bucket ARN such as arn:aws:s3:::acme-flow-logs, optionally with a folder: arn:aws:s3:::acme-flow-logs/dx-privatelink/',
  ),
  logRetentionDays: {
    test: (v: number) => LOG_RETENTION_DAYS.includes(v),
    tf: (x: string) => `contains(${JSON.stringify(LOG_RETENTION_DAYS)}, ${x})`,
    problem: 'is not a retention CloudWatch Logs offers',
    fix: `use one of ${LOG_RETENTION_DAYS.join(', ')} days`,
  },
  amiId: pattern(
    '^ami-([0-9a-f]{8}|[0-9a-f]{17})$',
    'is not an AMI id',
    "give the id of an Amazon Linux 2023 image of the fleet's architecture, such as ami-0123456789abcdef0, or leave ami_id out to track the latest one",
  ),
  maxInstanceLifetimeDays: range(
    1,
    365,
    'is out of range',
    'use a whole number of days from 1 to 365 (the Auto Scaling limits), or leave it out for no limit',
  ),
  vpcId: pattern('^vpc-[0-9a-f]{8,17}$', 'is not a VPC id', 'use the id of the VPC, such as vpc-0123456789abcdef0'),
  subnetId: pattern('^subnet-[0-9a-f]{8,17}$', 'is not a subnet id', 'use the id of a subnet, such as subnet-0123456789abcdef0'),
  securityGroupId: pattern('^sg-[0-9a-f]{8,17}$', 'is not a security group id', 'use a security group id such as sg-0123456789abcdef0'),
  vpcEndpointId: pattern('^vpce-[0-9a-f]{8,17}$', 'is not a VPC endpoint id', 'use an endpoint id such as vpce-0123456789abcdef0'),
  routeTableId: pattern('^rtb-[0-9a-f]{8,17}$', 'is not a route table id', 'use a route table id such as rtb-0123456789abcdef0'),
  prefixListId: pattern(
    '^pl-[0-9a-f]{8,17}$',
    'is not a prefix list id',
    "use the id of the region's S3 prefix list (aws ec2 describe-prefix-lists), such as pl-7ca54015",
  ),
  vgwId: pattern('^vgw-[0-9a-f]{8,17}$', 'is not a virtual private gateway id', 'use an id such as vgw-0123456789abcdef0'),
  dxGatewayId: pattern(
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    'is not a Direct Connect gateway id',
    'use the gateway id, a UUID such as 5f1c4e1e-0000-4000-8000-000000000000',
  ),
  dxConnectionId: pattern(
    '^dx(con|lag)-[0-9a-z]{8}$',
    'is not a Direct Connect connection or LAG id',
    'use an id such as dxcon-fg5678gh (a connection) or dxlag-ffrz71kw (a LAG)',
  ),
  hostedVifId: pattern('^dxvif-[0-9a-z]{8}$', 'is not a virtual interface id', 'use the id the partner shared, such as dxvif-ffhhk74f'),
  s3BucketName: {
    test: (v: string) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..'),
    tf: (x: string) => `can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", ${x})) && !strcontains(${x}, "..")`,
    problem: 'is not an S3 bucket name',
    fix: 'use 3 to 63 lowercase letters, digits, dots or hyphens',
  },
  s3KeyPrefix: pattern(
    "^[A-Za-z0-9_!.*'()-][A-Za-z0-9_!.*'()/-]{0,899}$",
    'is not a usable S3 key prefix',
    'use a path such as dx-privatelink/fix-gw (no leading slash)',
  ),
  serviceKey: pattern(
    '^[a-z][a-z0-9-]{0,18}[a-z0-9]-[0-9]{1,3}$',
    'is not a service key',
    'use <tenant>-<shard>, such as internal-0 (the key the provider stack publishes in the handoff)',
  ),
  kmsKeyArn: pattern(
    '^arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
    'is not the ARN of a KMS key',
    'use the key ARN of a symmetric customer managed key, such as arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias or a key id: CloudWatch Logs takes only a key ARN)',
  ),
  iamPath: pattern(
    '^/([\\x21-\\x7E]{1,510}/)?$',
    'is not an IAM path',
    'use / or a path that starts and ends with /, such as /network/ (at most 512 characters, no spaces)',
  ),
  permissionsBoundaryArn: pattern(
    '^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}|aws):policy/([\\x21-\\x7E]{1,510}/)?[A-Za-z0-9+=,.@_-]{1,128}$',
    'is not the ARN of an IAM managed policy',
    'use the ARN of the boundary policy, such as arn:aws:iam::111111111111:policy/dx-boundary',
  ),
  hostedZoneId: pattern(
    '^Z[A-Z0-9]{1,31}$',
    'is not a Route 53 hosted zone id',
    'use the id of the private hosted zone, such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
  ),
} satisfies Record<string, Rule<never>>;

/** True when an NLB can reach the target directly; otherwise the NAT fleet forwards it. */
export function targetPath(targetIp: string): 'direct' | 'nat' {
  return isDirectTarget(targetIp) ? 'direct' : 'nat';
}

/** The most listeners one Network Load Balancer can have. */
export const MAX_LISTENERS_PER_NLB = 50;

/** Reports the first duplicate of `key` among the items, naming the second occurrence. */
export function findDuplicate<T>(
  items: readonly T[],
  key: (item: T) => string | number,
  field: (index: number) => string,
  what: string,
): ValidationError | undefined {
  const seen = new Map<string | number, number>();
  for (const [index, item] of items.entries()) {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      return new ValidationError(field(index), k, `duplicates ${what} of entry ${first}`, `give every entry its own ${what}`);
    }
    seen.set(k, index);
  }
  return undefined;
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The partitions dx-privatelink supports. */
export const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** The AWS partition of a region: ARNs in that region start with arn:<partition>:. */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The partition of an ARN, when it has one of the three known ones. */
export function arnPartition(arn: string): Partition | undefined {
  const m = /^arn:(aws|aws-cn|aws-us-gov):/.exec(arn);
  return m?.[1] as Partition | undefined;
}

/** Graviton families have a `g` right after the generation digit (t4g, c7gn, m6gd, x2gd, g5g), and a1. */
export const ARM64_INSTANCE_PATTERN = '^([a-z]+[0-9]+g|a1[.])';

/** The CPU architecture of an EC2 instance type, which the AMI must match. */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  return new RegExp(ARM64_INSTANCE_PATTERN).test(instanceType) ? 'arm64' : 'x86_64';
}

/** Tags dx-privatelink sets on its resources itself; a user tag of the same key would fight them. */
export const RESERVED_TAG_KEYS = ['Name', 'managed-by', 'forward'] as const;

/** AWS allows 50 tags per resource; dx-privatelink's own take the rest. */
export const MAX_USER_TAGS = 50 - RESERVED_TAG_KEYS.length;

/** A config field for the map entry `key` of `parent`: `tags.team`, or `tags["aws:x"]` when the key needs quoting. */
export function keyField(parent: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
