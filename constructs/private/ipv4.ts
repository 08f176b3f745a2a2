/**
 * IPv4 parsing and classification. Pure functions: no cdktf import, so they
 * test in milliseconds and can be shared by the config loader and constructs.
 */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_SOURCE = `${OCTET}[.]${OCTET}[.]${OCTET}[.]${OCTET}`;

/**
 * Matches a dotted-quad IPv4 address without leading zeros. Written without
 * backslashes so the same source can sit inside a Terraform `regex()` call.
 */
export const IPV4_PATTERN = `^${IPV4_SOURCE}$`;

/** Matches `a.b.c.d/n` with n from 0 to 32 (Terraform-safe like IPV4_PATTERN). */
export const IPV4_CIDR_PATTERN = `^${IPV4_SOURCE}/(3[0-2]|[12]?[0-9])$`;

/**
 * Address ranges an NLB accepts as IP targets outside the VPC: RFC 1918
 * (10/8, 172.16/12, 192.168/16) and RFC 6598 shared address space (100.64/10).
 * Anything else is "public" and must go through the NAT fleet.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#target-type
 */
export const DIRECT_TARGET_PATTERN = '^(10[.]|192[.]168[.]|172[.](1[6-9]|2[0-9]|3[01])[.]|100[.](6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])[.])';

/**
 * Leading octets of ranges that can never be a broker behind Direct Connect:
 * 0/8, 127/8 (loopback), 169.254/16 (link-local), 224/4 (multicast), 240/4 (reserved).
 */
export const UNROUTABLE_PATTERN = '^(0|127|169[.]254|22[4-9]|23[0-9]|24[0-9]|25[0-5])[.]';

const ipv4Regex = new RegExp(IPV4_PATTERN);
const cidrRegex = new RegExp(IPV4_CIDR_PATTERN);
const directRegex = new RegExp(DIRECT_TARGET_PATTERN);

export function isIpv4(value: string): boolean {
  return ipv4Regex.test(value);
}

export function isIpv4Cidr(value: string): boolean {
  return cidrRegex.test(value);
}

/** The address as an unsigned 32-bit integer; throws on anything that is not IPv4. */
export function ipv4ToInt(address: string): number {
  if (!isIpv4(address)) throw new Error(`not an IPv4 address: ${address}`);
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
  readonly prefixLength: number;
}

export function cidrRange(cidr: string): Ipv4Range {
  if (!isIpv4Cidr(cidr)) throw new Error(`not an IPv4 CIDR block: ${cidr}`);
  const [address, length] = cidr.split('/');
  const prefixLength = Number(length);
  const size = 2 ** (32 - prefixLength);
  const first = Math.floor(ipv4ToInt(address) / size) * size;
  return { first, last: first + size - 1, prefixLength };
}

/** True when the CIDR's address has no bits set beyond its prefix (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAddress(cidr: string): boolean {
  return cidrRange(cidr).first === ipv4ToInt(cidr.split('/')[0]);
}

export function cidrContains(cidr: string, address: string): boolean {
  const range = cidrRange(cidr);
  const value = ipv4ToInt(address);
  return value >= range.first && value <= range.last;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return x.first <= y.last && y.first <= x.last;
}

/** True when an NLB can reach the address as an IP target without NAT. */
export function isDirectTarget(address: string): boolean {
  return isIpv4(address) && directRegex.test(address);
}

/** BGP peer addresses of a private VIF: link-local 169.254/16 or RFC 1918 (Terraform-safe like IPV4_PATTERN). */
export const PEER_RANGE_PATTERN = '^(169[.]254|10|192[.]168|172[.](1[6-9]|2[0-9]|3[01]))[.]';

const ALL_IPV4 = 2 ** 32;

/**
 * True when the blocks together cover every IPv4 address, whatever their
 * overlaps: 0.0.0.0/1 and 128.0.0.0/1 admit everyone as surely as 0.0.0.0/0.
 * Invalid blocks are ignored (they are reported elsewhere).
 */
export function coversAllIpv4(cidrs: readonly string[]): boolean {
  const ranges = cidrs
    .filter(isIpv4Cidr)
    .map(cidrRange)
    .sort((a, b) => a.first - b.first);
  let next = 0;
  for (const r of ranges) {
    if (r.first > next) return false;
    next = Math.max(next, r.last + 1);
  }
  return next === ALL_IPV4;
}

/**
 * The same test as a Terraform expression over a list of CIDR strings `x`:
 * address 0 is covered, and so is the address after the end of every block
 * (or the block ends the address space). Without a sort or a fold this is
 * quadratic, which is nothing for a list of a few dozen blocks.
 */
export function coversAllIpv4Tf(x: string): string {
  const start = (c: string) =>
    `sum([for i, o in split(".", split("/", ${c})[0]) : tonumber(o) * pow(256, 3 - i)]) - sum([for i, o in split(".", split("/", ${c})[0]) : tonumber(o) * pow(256, 3 - i)]) % pow(2, 32 - tonumber(split("/", ${c})[1]))`;
  const size = (c: string) => `pow(2, 32 - tonumber(split("/", ${c})[1]))`;
  const covered = (address: string) =>
    `anytrue([for c in ${x} : ${start('c')} <= ${address} && ${address} < ${start('c')} + ${size('c')}])`;
  return `try(${covered('0')} && alltrue([for b in ${x} : ${start('b')} + ${size('b')} == ${ALL_IPV4} || ${covered(`(${start('b')} + ${size('b')})`)}]), false)`;
}
