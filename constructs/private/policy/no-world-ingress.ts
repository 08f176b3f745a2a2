import { COMPLIANT, NOT_APPLICABLE, PolicyRule, WORLD, asArray, violation } from './types';

/** No security group admits traffic from anywhere. */
export const NO_WORLD_INGRESS: PolicyRule = {
  id: 'DXPL-SG1',
  description: 'no security group ingress from 0.0.0.0/0 or ::/0',
  fix: 'admit only the CIDRs or security groups that need the port',
  check: (r) => {
    const v = r.values;
    let sources: unknown[];
    if (r.type === 'aws_vpc_security_group_ingress_rule') sources = [v.cidr_ipv4, v.cidr_ipv6];
    else if (r.type === 'aws_security_group_rule' && v.type === 'ingress')
      sources = [...asArray(v.cidr_blocks), ...asArray(v.ipv6_cidr_blocks)];
    else if (r.type === 'aws_security_group') {
      sources = asArray(v.ingress).flatMap((i) => {
        const rule = i as Record<string, unknown>;
        return [...asArray(rule.cidr_blocks), ...asArray(rule.ipv6_cidr_blocks)];
      });
    } else return NOT_APPLICABLE;
    const open = sources.find((s) => typeof s === 'string' && WORLD.includes(s));
    return open === undefined ? COMPLIANT : violation(`ingress from ${open}`);
  },
};
