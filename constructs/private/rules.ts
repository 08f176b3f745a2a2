/**
 * The value rules of dx-privatelink, one list shared by the config loader and
 * the constructs' eager validation (and, later, the generated modules'
 * `validation` blocks). Each rule says what is allowed and how to fix a
 * value that is not. Pure: no cdktf import.
 */
import { isDirectTarget, isIpv4, isIpv4Cidr, isNetworkAddress, cidrContains } from './ipv4';

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
  /** What is wrong, phrased for "<field>: <problem> (got <value>)". */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

export function check<T>(rule: Rule<T>, field: string, value: T): ValidationError | undefined {
  return rule.test(value) ? undefined : new ValidationError(field, value, rule.problem, rule.fix);
}

const isInt = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

/** Reserved ranges that can never be a broker behind Direct Connect. */
const UNROUTABLE_TARGETS = ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'];

export const RULES = {
  name: {
    test: (v: string) => /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(v),
    problem: 'is not a valid name',
    fix: 'use 2 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  },
  forwardName: {
    test: (v: string) => /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/.test(v),
    problem: 'is not a valid forward name',
    fix: 'use 1 to 32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  },
  port: {
    test: (v: number) => isInt(v, 1, 65535),
    problem: 'is out of range',
    fix: 'use a TCP port from 1 to 65535',
  },
  targetIp: {
    test: (v: string) => isIpv4(v),
    problem: 'is not an IPv4 address',
    fix: 'write the target as a dotted-quad IPv4 address such as 192.0.2.10 (no host names, no prefix length)',
  },
  routableTarget: {
    test: (v: string) => !UNROUTABLE_TARGETS.some((cidr) => cidrContains(cidr, v)),
    problem: 'is a loopback, link-local, multicast or reserved address',
    fix: 'use the address of the endpoint behind Direct Connect',
  },
  tcpIdleTimeout: {
    test: (v: number) => isInt(v, 60, 6000),
    problem: 'is out of range',
    fix: 'use a whole number of seconds from 60 to 6000 (the NLB TCP idle timeout range; 350 is the AWS default)',
  },
  cidr: {
    test: (v: string) => isIpv4Cidr(v) && isNetworkAddress(v),
    problem: 'is not an IPv4 CIDR block',
    fix: 'write a network address with its prefix length, such as 10.42.0.0/24 (host bits zero)',
  },
  vpcCidr: {
    test: (v: string) => isIpv4Cidr(v) && isNetworkAddress(v) && isInt(Number(v.split('/')[1]), 16, 28),
    problem: 'is not a usable VPC CIDR block',
    fix: 'write a network address with a prefix length from /16 to /28, such as 10.42.0.0/24',
  },
  linkAddress: {
    test: (v: string) => isIpv4Cidr(v),
    problem: 'is not an address with prefix length',
    fix: 'write the BGP peer address with its prefix length, such as 169.254.100.1/30',
  },
  accountId: {
    test: (v: string) => /^[0-9]{12}$/.test(v),
    problem: 'is not an AWS account id',
    fix: 'write the 12-digit account id in quotes, such as "111111111111"',
  },
  region: {
    test: (v: string) => /^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(v),
    problem: 'is not an AWS region name',
    fix: 'use a region code such as eu-west-2',
  },
  availabilityZone: {
    test: (v: string) => /^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$/.test(v),
    problem: 'is not an availability zone name',
    fix: 'use an availability zone name such as eu-west-2a',
  },
  vlan: {
    test: (v: number) => isInt(v, 1, 4094),
    problem: 'is out of range',
    fix: 'use the VLAN id of the virtual interface, from 1 to 4094',
  },
  bgpAsn: {
    test: (v: number) => isInt(v, 1, 4294967294),
    problem: 'is out of range',
    fix: 'use the BGP ASN of your router, from 1 to 4294967294',
  },
  amazonSideAsn: {
    test: (v: number) => isInt(v, 64512, 65534) || isInt(v, 4200000000, 4294967294),
    problem: 'is not a private ASN',
    fix: 'use a private ASN from 64512 to 65534 or from 4200000000 to 4294967294 (64512 is the AWS default)',
  },
  fleetMinSize: {
    test: (v: number) => isInt(v, 2, 100),
    problem: 'is too small for high availability',
    fix: 'use at least 2 NAT instances (one per availability zone) and at most 100',
  },
  mtu: {
    test: (v: number) => v === 1500 || v === 9001 || v === 8500,
    problem: 'is not an MTU a private virtual interface supports',
    fix: 'use 1500 (default), 8500 or 9001',
  },
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
