import { COMPLIANT, NOT_APPLICABLE, PolicyRule, violation } from './types';

/** No SSH key pair: instances are managed through SSM Session Manager only. */
export const NO_SSH_KEY: PolicyRule = {
  id: 'DXPL-EC2-3',
  description: 'instances have no SSH key pair',
  fix: 'remove key_name; use SSM Session Manager',
  check: (r) => {
    if (r.type !== 'aws_launch_template' && r.type !== 'aws_instance') return NOT_APPLICABLE;
    return r.values.key_name === undefined || r.values.key_name === null
      ? COMPLIANT
      : violation(`key pair ${JSON.stringify(r.values.key_name)} is set`);
  },
};
