import { COMPLIANT, NOT_APPLICABLE, PolicyRule, isExpression, violation } from './types';

/** Load balancers are internal: PrivateLink is the only way in. */
export const LB_INTERNAL: PolicyRule = {
  id: 'DXPL-LB1',
  description: 'load balancers are internal',
  fix: 'set internal = true; consumers reach the NLB through the endpoint service only',
  check: (r) => {
    if (r.type !== 'aws_lb' && r.type !== 'aws_alb') return NOT_APPLICABLE;
    if (isExpression(r.values.internal)) return COMPLIANT;
    return r.values.internal === true ? COMPLIANT : violation('load balancer is internet-facing');
  },
};
