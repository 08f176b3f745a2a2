/**
 * Checks of the options for accounts whose guardrails require them: a
 * permissions boundary and path on every IAM role, a customer managed KMS
 * key, the account's own security groups beside ours. Shared by the config
 * loader and the constructs (which name the fields their own way and pass
 * over Terraform expressions with `known`). Pure: no cdktf import.
 */
import { QUOTAS, QuotaOverrides, quotaLimit } from './quotas';
import { RULES, ValidationError, arnPartition, check, findDuplicate, partitionOf } from './rules';

/** Where the IAM roles dx-privatelink creates go, and what bounds them. */
export interface IamOptions {
  /**
   * ARN of the managed policy set as the permissions boundary of every role
   * created (the NAT instance role, the flow-logs delivery role).
   * @default - no boundary
   */
  readonly permissionsBoundary?: string;
  /**
   * IAM path of every role and instance profile created, such as
   * `/network/`. Changing it replaces them (and rolls the NAT fleet).
   * @default '/'
   */
  readonly path?: string;
}

/** True for a value known at synth time (not a Terraform expression). */
export type Known = (value: unknown) => boolean;
const always: Known = () => true;

/** Where the roles or resources go, when known: their region and account. */
export interface Place {
  readonly region?: string;
  readonly accountId?: string;
}

/** `arn` is in the partition of `region`: one problem naming the prefix to use. */
function checkPartition(arn: string, field: string, region: string, service: string, what: string): ValidationError | undefined {
  const partition = arnPartition(arn);
  const expected = partitionOf(region);
  if (partition === undefined || partition === expected) return undefined;
  return new ValidationError(
    field,
    arn,
    `is in partition ${partition}, but region ${region} is in partition ${expected}`,
    `use a ${what} ARN that starts with arn:${expected}:${service}:`,
  );
}

/**
 * A customer managed key for logs, topic, buckets and volumes: a key ARN
 * (CloudWatch Logs takes no alias), of the region it is used in.
 */
export function checkKmsKeyArn(arn: string | undefined, field: string, at: Place = {}, known = always): ValidationError | undefined {
  if (arn === undefined || !known(arn)) return undefined;
  const problem = check(RULES.kmsKeyArn, field, arn);
  if (problem || at.region === undefined || !known(at.region)) return problem;
  const keyRegion = arn.split(':')[3];
  if (keyRegion !== at.region) {
    return new ValidationError(
      field,
      arn,
      `is a key in ${keyRegion}, but it is used in ${at.region}`,
      `use a key of ${at.region} (a replica of a multi-Region key will do): CloudWatch Logs, SNS, S3 and EBS use keys of their own region only`,
    );
  }
  return checkPartition(arn, field, at.region, 'kms', 'key');
}

/** The IAM path of the roles. */
export function checkIamPath(path: string | undefined, field: string, known = always): ValidationError | undefined {
  return path === undefined || !known(path) ? undefined : check(RULES.iamPath, field, path);
}

/**
 * A permissions boundary: a managed policy of the roles' own account (or
 * an AWS managed one), in the region's partition.
 */
export function checkPermissionsBoundary(
  arn: string | undefined,
  field: string,
  at: Place = {},
  known = always,
): ValidationError | undefined {
  if (arn === undefined || !known(arn)) return undefined;
  const problem =
    check(RULES.permissionsBoundaryArn, field, arn) ??
    (at.region !== undefined && known(at.region) ? checkPartition(arn, field, at.region, 'iam:', 'policy') : undefined);
  if (problem) return problem;
  const account = arn.split(':')[4];
  if (at.accountId !== undefined && known(at.accountId) && account !== 'aws' && account !== at.accountId) {
    return new ValidationError(
      field,
      arn,
      `is a policy of account ${account}, not of the account ${at.accountId} the roles are in`,
      `use a managed policy of account ${at.accountId}, or an AWS managed policy (arn:aws:iam::aws:policy/...)`,
    );
  }
  return undefined;
}

/** Both IAM options, named `<field>.permissionsBoundary` and `<field>.path`. */
export function checkIamOptions(iam: IamOptions | undefined, field: string, at: Place = {}, known = always): ValidationError | undefined {
  if (iam === undefined || !known(iam)) return undefined;
  return (
    checkPermissionsBoundary(iam.permissionsBoundary, `${field}.permissionsBoundary`, at, known) ??
    checkIamPath(iam.path, `${field}.path`, known)
  );
}

/** Room for the account's groups on the NAT instances' network interface. */
export interface InterfaceRoom {
  /** Groups dx-privatelink puts there itself. */
  readonly own: number;
  readonly quotas?: QuotaOverrides;
}

/**
 * Security groups of the account's own, attached beside ours: group ids,
 * each once, and (with `room`) within the groups an interface takes.
 */
export function checkSecurityGroupIds(
  ids: readonly string[] | undefined,
  field: string,
  room?: InterfaceRoom,
  known = always,
): ValidationError | undefined {
  if (ids === undefined || !known(ids)) return undefined;
  for (const [i, id] of ids.entries()) {
    const problem = known(id) ? check(RULES.securityGroupId, `${field}[${i}]`, id) : undefined;
    if (problem) return problem;
  }
  const duplicate = findDuplicate(
    ids.map((id, i) => ({ id, i })),
    ({ id, i }) => (known(id) ? id : `(expression ${i})`),
    (i) => `${field}[${i}]`,
    'security group',
  );
  if (duplicate || room === undefined) return duplicate;
  const key = 'security_groups_per_network_interface';
  const limit = quotaLimit(key, room.quotas);
  if (ids.length + room.own <= limit) return undefined;
  return new ValidationError(
    field,
    ids.length,
    `has ${ids.length} security groups, and with the fleet's own group the instances would need ${ids.length + room.own}, above the ${limit} ${QUOTAS[key].name}`,
    `list at most ${limit - room.own}, or raise the quota (Service Quotas ${QUOTAS[key].code}) and set quotas.${key}`,
  );
}

/** A group of `ids` that `base` (reaching every tenant already) has too. */
export function checkNotRepeated(
  ids: readonly string[] | undefined,
  field: string,
  base: readonly string[] | undefined,
  baseField: string,
  known = always,
): ValidationError | undefined {
  if (ids === undefined || base === undefined || !known(ids) || !known(base)) return undefined;
  const i = ids.findIndex((id) => known(id) && base.includes(id));
  return i < 0
    ? undefined
    : new ValidationError(
        `${field}[${i}]`,
        ids[i],
        `is also in ${baseField}`,
        "list it once: those groups are on every tenant's NLBs already",
      );
}

/** The locked-down options of a whole provider deployment, as DxPrivateLinkProviderProps names them. */
export interface ProviderLockdown extends Place {
  readonly kmsKeyArn?: string;
  readonly iam?: IamOptions;
  readonly natSecurityGroupIds?: readonly string[];
  readonly nlbSecurityGroupIds?: readonly string[];
  readonly tenants?: readonly { readonly nlbSecurityGroupIds?: readonly string[] }[];
  readonly quotas?: QuotaOverrides;
}

/** The first problem among a provider's locked-down options. */
export function checkProviderLockdown(p: ProviderLockdown, known = always): ValidationError | undefined {
  const at = { region: p.region, accountId: p.accountId };
  return (
    checkKmsKeyArn(p.kmsKeyArn, 'kmsKeyArn', at, known) ??
    checkIamOptions(p.iam, 'iam', at, known) ??
    checkSecurityGroupIds(p.natSecurityGroupIds, 'natFleet.securityGroupIds', { own: 1, quotas: p.quotas }, known) ??
    checkSecurityGroupIds(p.nlbSecurityGroupIds, 'nlbSecurityGroupIds', undefined, known) ??
    p.tenants
      ?.map(
        (t, i) =>
          checkSecurityGroupIds(t.nlbSecurityGroupIds, `tenants[${i}].nlbSecurityGroupIds`, undefined, known) ??
          checkNotRepeated(t.nlbSecurityGroupIds, `tenants[${i}].nlbSecurityGroupIds`, p.nlbSecurityGroupIds, 'nlbSecurityGroupIds', known),
      )
      .find(Boolean)
  );
}
