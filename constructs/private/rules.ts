/**
 * The value rules of dx-privatelink, one list shared by the config loader and
 * the constructs' eager validation (and, later, the generated modules'
 * `validation` blocks). Each rule says what is allowed and how to fix a
 * value that is not. Pure: no cdktf import.
 */
import { IPV4_CIDR_PATTERN, IPV4_PATTERN, UNROUTABLE_PATTERN, isDirectTarget, isIpv4Cidr, isNetworkAddress } from './ipv4';

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

/** A rule from a regular expression written without backslashes, so Terraform's regex() reads the same source. */
function pattern(source: string, problem: string, fix: string): Rule<string> {
  const re = new RegExp(source);
  return { test: (v) => re.test(v), tf: (x) => `can(regex(${JSON.stringify(source)}, ${x}))`, problem, fix };
}

function range(min: number, max: number, problem: string, fix: string): Rule<number> {
  return { test: (v) => isInt(v, min, max), tf: (x) => tfInt(x, min, max), problem, fix };
}

const isCidr = (v: string) => isIpv4Cidr(v) && isNetworkAddress(v);
const tfCidr = (x: string) => `can(regex(${JSON.stringify(IPV4_CIDR_PATTERN)}, ${x})) && try(cidrsubnet(${x}, 0, 0) == ${x}, false)`;

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
    6000,
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
  linkAddress: pattern(
    IPV4_CIDR_PATTERN,
    'is not an address with prefix length',
    'write the BGP peer address with its prefix length, such as 169.254.100.1/30',
  ),
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
    test: (v: number) => v === 1500 || v === 9001 || v === 8500,
    tf: (x: string) => `contains([1500, 8500, 9001], ${x})`,
    problem: 'is not an MTU a private virtual interface supports',
    fix: 'use 1500 (default), 8500 or 9001',
  },
  principal: pattern(
    '^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$',
    'is not an IAM principal ARN',
    'list each consumer account as arn:aws:iam::<account id>:root (no wildcards)',
  ),
  dnsZone: pattern(
    '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?[.])+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$',
    'is not a DNS zone name',
    'use a lowercase domain such as fix.internal (no trailing dot)',
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
