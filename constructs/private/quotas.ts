/**
 * The AWS quotas the dx-privatelink stacks touch, with the default of each
 * and where it comes from. `terraform plan` checks none of them; a config
 * that would exceed one fails synth (exit 2) naming the quota, the count,
 * the resource and what to change. Accounts with raised quotas set them in
 * the config (`quotas:`), within what AWS allows. Pure: no cdktf import.
 */
import { ValidationError } from './rules';

export interface Quota {
  /** What it limits, for messages. */
  readonly name: string;
  /** AWS's default. */
  readonly default: number;
  /** The highest value AWS grants on request; equal to the default when it cannot be raised. */
  readonly max: number;
  /** The Service Quotas code to raise it, when it can be raised. */
  readonly code?: string;
  /** Where the figure comes from. */
  readonly source: string;
}

const EC2 = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide';
const VPC = 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html';
const NLB = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html';
const ASG = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html';

export const QUOTAS = {
  user_data_bytes: {
    name: 'EC2 user data size (raw, before base64)',
    default: 16384,
    max: 16384,
    source: `${EC2}/user-data.html`,
  },
  target_groups_per_auto_scaling_group: {
    name: 'target groups per Auto Scaling group',
    default: 50,
    max: 50,
    source: ASG,
  },
  listeners_per_nlb: {
    name: 'listeners per Network Load Balancer',
    default: 50,
    max: 50,
    source: NLB,
  },
  targets_per_nlb: {
    name: 'targets per Network Load Balancer with cross-zone load balancing (an instance counts once per target group)',
    default: 500,
    max: 500,
    source: NLB,
  },
  load_balancers_per_region: {
    name: 'Network Load Balancers per region',
    default: 50,
    max: 1000,
    code: 'L-69A177A2',
    source: NLB,
  },
  target_groups_per_region: {
    name: 'target groups per region',
    default: 3000,
    max: 10000,
    code: 'L-B22855CB',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html',
  },
  auto_scaling_groups_per_region: {
    name: 'Auto Scaling groups per region',
    default: 500,
    max: 5000,
    code: 'L-CDE20ADC',
    source: ASG,
  },
  security_group_rules_per_direction: {
    name: 'inbound or outbound rules per security group',
    default: 60,
    max: 1000,
    code: 'L-0EA8095F',
    source: VPC,
  },
  security_groups_per_network_interface: {
    name: 'security groups per network interface',
    default: 5,
    max: 16,
    code: 'L-2AFB9258',
    source: VPC,
  },
  routes_per_route_table: {
    name: 'non-propagated routes per route table',
    default: 50,
    max: 1000,
    code: 'L-93826ACB',
    source: VPC,
  },
  interface_endpoints_per_vpc: {
    name: 'interface VPC endpoints per VPC',
    default: 50,
    max: 100,
    code: 'L-29B6F2EB',
    source: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html',
  },
  records_per_hosted_zone: {
    name: 'records per hosted zone',
    default: 10000,
    max: 10000,
    source: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html',
  },
  metrics_per_dashboard: {
    name: 'metrics per CloudWatch dashboard',
    default: 2500,
    max: 2500,
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html',
  },
  widgets_per_dashboard: {
    name: 'widgets per CloudWatch dashboard',
    default: 500,
    max: 500,
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html',
  },
  bucket_policy_bytes: {
    name: 'S3 bucket policy size',
    default: 20480,
    max: 20480,
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  },
} as const satisfies Record<string, Quota>;

export type QuotaKey = keyof typeof QUOTAS;

/** Raised quotas of an account, by key; the rest keep AWS's defaults. */
export type QuotaOverrides = Partial<Record<QuotaKey, number>>;

export function quotaLimit(key: QuotaKey, overrides: QuotaOverrides = {}): number {
  return overrides[key] ?? QUOTAS[key].default;
}

/** Checks raised quotas: known keys, whole numbers from the default to what AWS grants. */
export function checkQuotaOverrides(overrides: Readonly<Record<string, unknown>>, field = 'quotas'): ValidationError | undefined {
  for (const [key, value] of Object.entries(overrides)) {
    const quota = (QUOTAS as Record<string, Quota>)[key];
    if (!quota) {
      return new ValidationError(
        `${field}.${key}`,
        value,
        'is not a quota dx-privatelink checks',
        `use one of: ${Object.keys(QUOTAS).join(', ')}`,
      );
    }
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= quota.default && value <= quota.max)) {
      return new ValidationError(
        `${field}.${key}`,
        value,
        quota.max === quota.default ? `is a fixed AWS limit (${quota.default})` : `is not a value AWS grants`,
        quota.max === quota.default
          ? 'remove it: AWS does not raise this quota'
          : `use your account's raised value, a whole number from ${quota.default} to ${quota.max} (Service Quotas ${quota.code})`,
      );
    }
  }
  return undefined;
}

/**
 * A use of a quota by one resource: `count` must stay within the limit.
 * Throws a ValidationError naming the quota, the resource, the count and the fix.
 */
export function checkQuota(key: QuotaKey, count: number, resource: string, fix: string, overrides: QuotaOverrides = {}): void {
  const quota: Quota = QUOTAS[key];
  const limit = quotaLimit(key, overrides);
  if (count <= limit) return;
  const raise = quota.code ? `, or raise the quota (Service Quotas ${quota.code}) and set quotas.${key}` : '';
  throw new ValidationError(
    `quotas.${key}`,
    count,
    `${resource} would need ${count}, above the ${limit} ${quota.name} (${quota.source})`,
    `${fix}${raise}`,
  );
}
