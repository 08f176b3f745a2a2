import { COMPLIANT, NOT_APPLICABLE, PolicyRule, WORLD, asArray, violation } from './types';

/**
 * Egress goes to named destinations and ports: the targets' addresses, the
 * VPC (service endpoints), a prefix list or a security group. Never to
 * anywhere, never all ports or protocols: a NAT instance must not become an
 * open relay out of the VPC.
 */
export const EGRESS_LIMITED: PolicyRule = {
  id: 'DXPL-SG2',
  description: 'security group egress is limited to named destinations and TCP ports',
  fix: 'allow egress only to the targets (address/32 and port) and to declared service endpoints (VPC CIDR or prefix list on 443)',
  check: (r) => {
    const v = r.values;
    let rules: Record<string, unknown>[];
    if (r.type === 'aws_vpc_security_group_egress_rule')
      rules = [{ ...v, cidr_blocks: [v.cidr_ipv4, v.cidr_ipv6], protocol: v.ip_protocol }];
    else if (r.type === 'aws_security_group_rule' && v.type === 'egress')
      rules = [{ ...v, cidr_blocks: [...asArray(v.cidr_blocks), ...asArray(v.ipv6_cidr_blocks)] }];
    else if (r.type === 'aws_security_group') {
      rules = asArray(v.egress).map((e) => {
        const rule = e as Record<string, unknown>;
        return { ...rule, cidr_blocks: [...asArray(rule.cidr_blocks), ...asArray(rule.ipv6_cidr_blocks)] };
      });
    } else return NOT_APPLICABLE;
    for (const rule of rules) {
      const open = asArray(rule.cidr_blocks).find((c) => typeof c === 'string' && WORLD.includes(c));
      if (open !== undefined) return violation(`egress to ${open}`);
      if (rule.protocol === '-1' || rule.protocol === 'all' || rule.protocol === -1) return violation('egress on every protocol and port');
    }
    return COMPLIANT;
  },
};
