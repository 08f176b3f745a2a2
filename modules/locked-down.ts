/**
 * The modules' inputs for accounts whose guardrails require them, named as
 * the config file names them: `iam` (permissions boundary and path of every
 * role), `kms_key_arn` (a customer managed key) and lists of the account's
 * own security groups, with the config loader's rules and wording.
 */
import { TerraformStack, TerraformVariable, Token, ref } from 'cdktf';
import { IamOptions } from '../constructs/private/locked-down';
import { QUOTAS } from '../constructs/private/quotas';
import { RULES } from '../constructs/private/rules';
import { Validation, custom, formatText, scalar, variable } from './validation';

const IAM_TYPE = `object({
    permissions_boundary = optional(string)
    path                 = optional(string, "/")
  })`;

/** What the README's "Locked-down accounts" section says a key policy needs, per use. */
export const KEY_POLICY = {
  logs: 'logs.<region>.amazonaws.com: kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe* (limited by the encryption context kms:EncryptionContext:aws:logs:arn to the log group; in place before the group is created, or the apply fails)',
  alarms: 'cloudwatch.amazonaws.com (the alarms): kms:GenerateDataKey*, kms:Decrypt, or their messages are dropped',
  topic:
    'cloudwatch.amazonaws.com (the alarms) and vpce.amazonaws.com (endpoint connection notifications): kms:GenerateDataKey*, kms:Decrypt, or their messages are dropped',
  volumes:
    'the service-linked role AWSServiceRoleForAutoScaling: kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:DescribeKey, and kms:CreateGrant with kms:GrantIsForAWSResource = true, or every launch fails',
  bucket:
    "the account's IAM policies (the key policy's default statement): the NAT role's kms:Decrypt on its rules objects is one; whoever applies needs kms:GenerateDataKey and kms:Decrypt",
} as const;

const SEE = 'See "Locked-down accounts" in the dx-privatelink README for a key policy.';

/** What the `iam` input's description says of the roles of a module. */
export interface IamRoles {
  /** The roles that get the boundary. */
  readonly bounded: string;
  /** The actions their policies allow: the boundary must allow them too. */
  readonly actions: string;
  /** What gets the path, and what a change of it does. */
  readonly pathOf: string;
  readonly pathChange: string;
}

/** The `iam` input: permissions boundary and path of the module's roles. */
export function iamVariable(stack: TerraformStack, roles: IamRoles): TerraformVariable {
  return variable(stack, 'iam', {
    type: IAM_TYPE,
    description: `For accounts whose guardrails require them: permissions_boundary, the ARN of a managed policy set as the permissions boundary of ${roles.bounded} (it must allow ${roles.actions}, or they are denied at run time); path, the IAM path of ${roles.pathOf} (default "/"; a change ${roles.pathChange}).`,
    default: {},
    validations: [
      scalar('iam.permissions_boundary', 'var.iam.permissions_boundary', RULES.permissionsBoundaryArn, true),
      scalar('iam.path', 'var.iam.path', RULES.iamPath),
    ],
  });
}

/** The `iam` input as the constructs take it (each part an expression; a null boundary is none). */
export function iamOptions(iam: TerraformVariable): IamOptions {
  return {
    permissionsBoundary: Token.asString(ref(`${iam.fqn}.permissions_boundary`)),
    path: Token.asString(ref(`${iam.fqn}.path`)),
  };
}

/** The `kms_key_arn` input: a customer managed key for `uses`, whose key policy must allow `policy`. */
export function kmsKeyVariable(stack: TerraformStack, uses: string, policy: string): TerraformVariable {
  return variable(stack, 'kms_key_arn', {
    type: 'string',
    description: `ARN of a symmetric customer managed KMS key of this region (a key ARN: CloudWatch Logs takes no alias or key id) for ${uses}; null (default) for AWS's own encryption. Its key policy must allow ${policy}. ${SEE}`,
    nullDefault: true,
    validations: [scalar('kms_key_arn', 'var.kms_key_arn', RULES.kmsKeyArn, true)],
  });
}

/**
 * Validations of a list of security group ids at `x` (named `field`): each
 * an id, each once, and (with `quota`, an expression of the account's
 * groups per network interface) room beside the `own` groups.
 */
export function securityGroupIdsValidations(field: string, x: string, room?: { own: number; quota: string }): Validation[] {
  const rule = RULES.securityGroupId;
  const checks: Validation[] = [
    {
      condition: `\${alltrue([for id in ${x} : ${rule.tf('id')}])}`,
      errorMessage: `\${join("; ", [for i, id in ${x} : format("${field}[%d]: ${formatText(rule.problem)} (got %s); ${formatText(rule.fix)}", i, jsonencode(id)) if !(${rule.tf('id')})])}`,
    },
    custom(`length(distinct(${x})) == length(${x})`, field, x, 'lists a security group more than once', 'list each group once'),
  ];
  if (room === undefined) return checks;
  // The TypeScript check's message, with the counts and the limit filled in by Terraform.
  const q = QUOTAS.security_groups_per_network_interface;
  return [
    ...checks,
    {
      condition: `\${length(${x}) + ${room.own} <= ${room.quota}}`,
      errorMessage: `\${format("${field}: has %d security groups, and with the fleet's own group the instances would need %d, above the %d ${formatText(q.name)} (got %d); list at most %d, or raise the quota (Service Quotas ${q.code}) and set quotas.security_groups_per_network_interface", length(${x}), length(${x}) + ${room.own}, ${room.quota}, length(${x}), ${room.quota} - ${room.own})}`,
    },
  ];
}
