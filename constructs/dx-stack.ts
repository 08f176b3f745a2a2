import { Construct, Node } from 'constructs';
import { LocalBackend, TerraformElement, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Versions of Terraform and the AWS provider the synthesized JSON is written for. */
export const TERRAFORM_VERSION_CONSTRAINT = '>= 1.5.0';
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
}

/**
 * A stack with one AWS provider, the project's provider-version constraint,
 * a local backend beside the stack's JSON, and readable resource addresses
 * (`aws_lb_listener.nlb_listener["broker-a"]` rather than cdktf's hashed ids).
 */
export class DxStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: DxStackProps) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: props.region,
      allowedAccountIds: [props.accountId],
      assumeRole: props.assumeRoleArn ? [{ roleArn: props.assumeRoleArn, sessionName: 'dx-privatelink' }] : undefined,
      defaultTags: [{ tags: { ...props.tags, 'managed-by': 'dx-privatelink' } }],
    });
    new LocalBackend(this, { path: 'terraform.tfstate' });
    this.addOverride('terraform.required_version', TERRAFORM_VERSION_CONSTRAINT);
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSION_CONSTRAINT);
  }

  /**
   * Addresses from the construct path below the stack, without hashes:
   * `nlb/listener` becomes `nlb_listener`. Construct ids are API: renaming
   * one moves its resources in the state.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const path = node.scopes
      .slice(node.scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .filter((part) => part !== 'Default');
    return path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  }
}
