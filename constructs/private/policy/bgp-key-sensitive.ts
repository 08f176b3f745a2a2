import { COMPLIANT, NOT_APPLICABLE, PolicyRule, violation } from './types';

const TYPES = [
  'aws_dx_private_virtual_interface',
  'aws_dx_bgp_peer',
  'aws_dx_transit_virtual_interface',
  'aws_dx_public_virtual_interface',
];

/** A BGP key comes from a sensitive variable or an SSM parameter, never a literal in the JSON. */
export const BGP_KEY_SENSITIVE: PolicyRule = {
  id: 'DXPL-DX1',
  description: 'BGP auth keys come from a sensitive variable or an SSM parameter',
  fix: 'pass the key as a sensitive variable (TF_VAR_bgp_auth_key) or read it from an SSM SecureString parameter',
  check: (r, context) => {
    if (!TYPES.includes(r.type)) return NOT_APPLICABLE;
    const key = r.values.bgp_auth_key;
    if (key === undefined || key === null) return COMPLIANT;
    if (typeof key !== 'string') return violation('bgp_auth_key is not a reference');
    const variable = /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(key);
    if (variable) {
      return context.variables[variable[1]]?.sensitive === true
        ? COMPLIANT
        : violation(`bgp_auth_key comes from variable ${variable[1]}, which is not sensitive`);
    }
    if (/^\$\{data\.aws_ssm_parameter\.[A-Za-z0-9_-]+\.value\}$/.test(key)) return COMPLIANT;
    return violation('bgp_auth_key is a literal or an expression that is neither a sensitive variable nor an SSM parameter');
  },
};
