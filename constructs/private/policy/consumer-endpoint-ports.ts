import { COMPLIANT, NOT_APPLICABLE, PolicyRule, asArray, referencedResource, violation } from './types';

/**
 * The security groups of interface endpoints admit single TCP ports (the
 * forwards), not ranges or every protocol: the provider cannot restrict
 * which listener a consumer reaches, the consumer's endpoint must.
 */
export const CONSUMER_ENDPOINT_PORTS: PolicyRule = {
  id: 'DXPL-VPCE2',
  description: 'interface endpoint security groups admit single TCP ports only',
  fix: 'add one ingress rule per forward port (from_port = to_port, ip_protocol = "tcp")',
  check: (r, context) => {
    if (r.type !== 'aws_vpc_security_group_ingress_rule') return NOT_APPLICABLE;
    const group = referencedResource(r.values.security_group_id);
    const guardsEndpoint = context.resources.some(
      (e) =>
        e.type === 'aws_vpc_endpoint' &&
        e.values.vpc_endpoint_type === 'Interface' &&
        asArray(e.values.security_group_ids).some((id) => referencedResource(id) === group),
    );
    if (group === undefined || !guardsEndpoint) return NOT_APPLICABLE;
    if (r.values.ip_protocol !== 'tcp') return violation(`admits protocol ${JSON.stringify(r.values.ip_protocol)}`);
    if (r.values.from_port !== r.values.to_port)
      return violation(`admits a port range ${JSON.stringify(r.values.from_port)}-${JSON.stringify(r.values.to_port)}`);
    return COMPLIANT;
  },
};
