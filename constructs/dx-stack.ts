import { Construct, Node } from 'constructs';
import { LocalBackend, S3Backend, TerraformElement, TerraformStack, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { checkTags } from './private/checks';
import { isPlainString, refuseTemplates } from './props-check';
import { RULES, ValidationError, arnPartition, check, partitionOf } from './private/rules';

/**
 * The oldest Terraform the stacks support: 1.5, the last MPL-licensed line
 * (the JSON itself needs 1.2 for pre- and postconditions).
 */
export const TERRAFORM_VERSION_CONSTRAINT = '>= 1.5.0';

/** With state in S3: `use_lockfile` (S3-native locking) needs Terraform 1.10. */
export const TERRAFORM_S3_STATE_CONSTRAINT = '>= 1.10.0';
export const AWS_PROVIDER_VERSION_CONSTRAINT = '>= 5.100.0, < 7.0.0';

export interface DxStackProps {
  readonly region: string;
  /** The stack refuses to run with credentials of any other account. */
  readonly accountId: string;
  /**
   * Role to assume in that account.
   * @default - the caller's credentials are used as they are
   */
  readonly assumeRoleArn?: string;
  /** Tags on every resource (provider default tags). @default - none */
  readonly tags?: Record<string, string>;
  /**
   * Where the stack keeps its Terraform state.
   * @default - a local file `terraform.<stack>.tfstate` beside the output directory
   */
  readonly state?: StateSpec;
}

/** Remote state in S3: one object per stack, `<keyPrefix>/<stack>.tfstate`, with S3 lock files. */
export interface S3StateSpec {
  readonly bucket: string;
  readonly region: string;
  readonly keyPrefix: string;
  /** Role to assume for state access. @default - the caller's credentials */
  readonly roleArn?: string;
}

export interface StateSpec {
  readonly s3?: S3StateSpec;
}

/**
 * Path of a stack's local state file, relative to the stack's directory
 * (`<out>/stacks/<stack>`): beside the output directory, so a new synth,
 * which replaces the output directory, never deletes state.
 */
export function localStatePath(stack: string): string {
  return `../../../terraform.${stack}.tfstate`;
}

export function s3StateKey(spec: S3StateSpec, stack: string): string {
  return `${spec.keyPrefix.replace(/\/+$/, '')}/${stack}.tfstate`;
}

/**
 * A stack with one AWS provider, the project's provider-version constraint,
 * local (default) or S3 state, and readable resource addresses
 * (`aws_lb_listener.nlb_listener["broker-a"]` rather than cdktf's hashed ids).
 */
export class DxStack extends TerraformStack {
  private readonly providerProps: DxStackProps;

  constructor(scope: Construct, id: string, props: DxStackProps) {
    super(scope, id);
    validateStackProps(props);
    this.providerProps = props;
    this.awsProvider('aws', props.region);
    const s3 = props.state?.s3;
    if (s3) {
      new S3Backend(this, {
        bucket: s3.bucket,
        region: s3.region,
        key: s3StateKey(s3, id),
        encrypt: true,
        assumeRole: s3.roleArn ? { roleArn: s3.roleArn } : undefined,
      });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21 has no field for it.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      new LocalBackend(this, { path: localStatePath(id) });
    }
    this.addOverride('terraform.required_version', s3 ? TERRAFORM_S3_STATE_CONSTRAINT : TERRAFORM_VERSION_CONSTRAINT);
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSION_CONSTRAINT);
  }

  /**
   * A second AWS provider for another region, with the same account,
   * role and tags (alias = `id`).
   */
  public regionalProvider(id: string, region: string): AwsProvider {
    return this.awsProvider(id, region, id);
  }

  private awsProvider(id: string, region: string, alias?: string): AwsProvider {
    const props = this.providerProps;
    return new AwsProvider(this, id, {
      alias,
      region,
      allowedAccountIds: [props.accountId],
      assumeRole: props.assumeRoleArn ? [{ roleArn: props.assumeRoleArn, sessionName: 'dx-privatelink' }] : undefined,
      defaultTags: [{ tags: { ...props.tags, 'managed-by': 'dx-privatelink' } }],
    });
  }

  /**
   * Addresses from the construct path below the stack, without hashes:
   * `nlb/listener` becomes `nlb_listener`. Construct ids are API: renaming
   * one moves its resources in the state.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    return pathLogicalId(this, element);
  }
}

/**
 * Eager checks of plain stack props (of every subclass: template sequences
 * anywhere in them): region, account, tags, state, the roles' partitions.
 */
function validateStackProps(props: DxStackProps): void {
  refuseTemplates(props);
  const plain = isPlainString;
  const s3 = props.state?.s3;
  const problem =
    (plain(props.region) ? check(RULES.region, 'region', props.region) : undefined) ??
    (plain(props.accountId) ? check(RULES.accountId, 'accountId', props.accountId) : undefined) ??
    (props.tags && !Token.isUnresolved(props.tags) ? checkTags(props.tags, 'tags') : undefined) ??
    (plain(props.assumeRoleArn) ? check(RULES.roleArn, 'assumeRoleArn', props.assumeRoleArn) : undefined) ??
    (plain(s3?.bucket) ? check(RULES.s3BucketName, 'state.s3.bucket', s3.bucket) : undefined) ??
    (plain(s3?.region) ? check(RULES.region, 'state.s3.region', s3.region) : undefined) ??
    (plain(s3?.keyPrefix) ? check(RULES.s3KeyPrefix, 'state.s3.keyPrefix', s3.keyPrefix) : undefined) ??
    (plain(s3?.roleArn) ? check(RULES.roleArn, 'state.s3.roleArn', s3.roleArn) : undefined);
  if (problem) throw problem;
  for (const [field, arn, region] of [
    ['assumeRoleArn', props.assumeRoleArn, props.region],
    ['state.s3.roleArn', s3?.roleArn, s3?.region],
  ] as const) {
    if (plain(arn) && plain(region) && arnPartition(arn) !== partitionOf(region)) {
      throw new ValidationError(
        field,
        arn,
        `is not in partition ${partitionOf(region)} of region ${region}`,
        `use a role ARN that starts with arn:${partitionOf(region)}:iam::`,
      );
    }
  }
}

/** A logical id from the construct path below `stack`, ids named `Default` left out. */
export function pathLogicalId(stack: TerraformStack, element: TerraformElement | Node): string {
  const node = element instanceof Node ? element : element.node;
  return node.scopes
    .slice(node.scopes.indexOf(stack) + 1)
    .map((scope) => scope.node.id)
    .filter((part) => part !== 'Default')
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_');
}
