import { COMPLIANT, NOT_APPLICABLE, PolicyRule, asArray, violation } from './types';

const isTrue = (v: unknown) => v === true || v === 'true';

/** EBS volumes are encrypted. */
export const ENCRYPTED_VOLUMES: PolicyRule = {
  id: 'DXPL-EC2-2',
  description: 'EBS volumes are encrypted',
  fix: 'set encrypted = true on every EBS volume and block device mapping',
  check: (r) => {
    if (r.type === 'aws_ebs_volume') return isTrue(r.values.encrypted) ? COMPLIANT : violation('volume is not encrypted');
    if (r.type !== 'aws_launch_template') return NOT_APPLICABLE;
    const mappings = asArray(r.values.block_device_mappings) as Record<string, unknown>[];
    if (mappings.length === 0) return violation('no block device mapping: the root volume takes the AMI default (unencrypted)');
    const plain = mappings.find((m) => !isTrue((asArray(m.ebs)[0] as Record<string, unknown> | undefined)?.encrypted));
    return plain === undefined ? COMPLIANT : violation(`block device ${JSON.stringify(plain.device_name)} is not encrypted`);
  },
};
