import { coversAllIpv4 } from '../ipv4';
import { COMPLIANT, NOT_APPLICABLE, PolicyContext, PolicyRule, WORLD, asArray, violation } from './types';

/**
 * ICMP "fragmentation needed" (type 3 code 4): path-MTU discovery needs it
 * from whichever router is on the path, and it opens nothing else.
 */
function isFragmentationNeeded(v: Readonly<Record<string, unknown>>): boolean {
  return v.ip_protocol === 'icmp' && Number(v.from_port) === 3 && Number(v.to_port) === 4;
}

/** IPv4 sources a group admits through standalone ingress rules (`aws_vpc_security_group_ingress_rule`). */
function ruleSourcesOfGroup(group: unknown, context: PolicyContext): string[] {
  return context.resources
    .filter(
      (r) => r.type === 'aws_vpc_security_group_ingress_rule' && r.values.security_group_id === group && !isFragmentationNeeded(r.values),
    )
    .map((r) => r.values.cidr_ipv4)
    .filter((c): c is string => typeof c === 'string');
}

/**
 * No security group admits traffic from anywhere: not 0.0.0.0/0 or ::/0,
 * and not several blocks that together cover all of IPv4 (0.0.0.0/1 and
 * 128.0.0.0/1 admit everyone as surely).
 */
export const NO_WORLD_INGRESS: PolicyRule = {
  id: 'DXPL-SG1',
  description:
    'no security group ingress from everywhere (0.0.0.0/0, ::/0, or blocks that together cover all of IPv4), except ICMP fragmentation-needed',
  fix: 'admit only the CIDRs or security groups that need the port',
  check: (r, context) => {
    const v = r.values;
    let sources: unknown[];
    let together: unknown[];
    if (r.type === 'aws_vpc_security_group_ingress_rule') {
      if (isFragmentationNeeded(v)) return COMPLIANT;
      sources = [v.cidr_ipv4, v.cidr_ipv6];
      together = ruleSourcesOfGroup(v.security_group_id, context);
    } else if (r.type === 'aws_security_group_rule' && v.type === 'ingress') {
      sources = [...asArray(v.cidr_blocks), ...asArray(v.ipv6_cidr_blocks)];
      together = asArray(v.cidr_blocks);
    } else if (r.type === 'aws_security_group') {
      const rules = asArray(v.ingress) as Record<string, unknown>[];
      sources = rules.flatMap((rule) => [...asArray(rule.cidr_blocks), ...asArray(rule.ipv6_cidr_blocks)]);
      together = rules.flatMap((rule) => asArray(rule.cidr_blocks));
    } else return NOT_APPLICABLE;
    const open = sources.find((s) => typeof s === 'string' && WORLD.includes(s));
    if (open !== undefined) return violation(`ingress from ${open}`);
    const blocks = together.filter((c): c is string => typeof c === 'string');
    if (coversAllIpv4(blocks)) return violation(`ingress from ${blocks.join(', ')}, which together cover every IPv4 address`);
    return COMPLIANT;
  },
};
