import { COMPLIANT, NOT_APPLICABLE, PolicyRule, asArray, isExpression, referencedResource, violation } from './types';

/**
 * The security groups of interface endpoints admit TCP only, and never the
 * whole port space: their rules cover the forward ports of the endpoint's
 * own service (single ports, contiguous ranges, or the range from the
 * lowest to the highest when the quota needs it; the endpoint answers only
 * its service's listener ports). The provider cannot restrict which
 * listener a consumer reaches; the consumer's endpoint must.
 */
export const CONSUMER_ENDPOINT_PORTS: PolicyRule = {
  id: 'DXPL-VPCE2',
  // What it checks; which ports the rules cover is the endpoint construct's
  // (its own tests): a rule may be an expression, whose ports are known only to Terraform.
  description: 'interface endpoint security groups admit TCP only, and never every port',
  fix: 'admit TCP on the forward ports of the endpoint (single ports or ranges of them), from the allowed CIDRs only',
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
    const [from, to] = [r.values.from_port, r.values.to_port];
    if (!isExpression(from) && !isExpression(to) && Number(from) <= 1 && Number(to) >= 65535) {
      return violation(`admits every port (${JSON.stringify(from)}-${JSON.stringify(to)})`);
    }
    return COMPLIANT;
  },
};
