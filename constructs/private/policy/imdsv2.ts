import { COMPLIANT, NOT_APPLICABLE, PolicyRule, asArray, violation } from './types';

/** Instances require IMDSv2 (session tokens), so SSRF cannot read instance credentials. */
export const IMDSV2_REQUIRED: PolicyRule = {
  id: 'DXPL-EC2-1',
  description: 'instances require IMDSv2',
  fix: 'set metadata_options { http_tokens = "required" }',
  check: (r) => {
    if (r.type !== 'aws_launch_template' && r.type !== 'aws_instance') return NOT_APPLICABLE;
    const options = asArray(r.values.metadata_options)[0] as Record<string, unknown> | undefined;
    return options?.http_tokens === 'required'
      ? COMPLIANT
      : violation('IMDSv2 is not required (metadata_options.http_tokens is not "required")');
  },
};
