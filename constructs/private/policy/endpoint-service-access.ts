import { COMPLIANT, NOT_APPLICABLE, PolicyRule, asArray, isExpression, violation } from './types';

/** Endpoint services require acceptance, or name every allowed principal without wildcards. */
export const ENDPOINT_SERVICE_ACCESS: PolicyRule = {
  id: 'DXPL-VPCE1',
  description: 'endpoint services require acceptance or allow a non-empty, wildcard-free list of principals',
  fix: 'list each consumer account (arn:aws:iam::<id>:root) as an allowed principal, or require acceptance',
  check: (r) => {
    if (r.type !== 'aws_vpc_endpoint_service') return NOT_APPLICABLE;
    const principals = asArray(r.values.allowed_principals);
    const wildcard = principals.find((p) => typeof p === 'string' && !isExpression(p) && p.includes('*'));
    if (wildcard !== undefined) return violation(`allowed principal ${JSON.stringify(wildcard)} is a wildcard`);
    if (r.values.acceptance_required === true || isExpression(r.values.acceptance_required)) return COMPLIANT;
    if (isExpression(r.values.allowed_principals)) return COMPLIANT;
    return principals.length > 0 ? COMPLIANT : violation('accepts every endpoint without acceptance and lists no allowed principal');
  },
};
