/**
 * What the provider side of a deployment uses of each AWS quota, from its
 * layout (shards, NAT fleets, sizes), checked against the limits. Pure: no
 * cdktf import. Counts are the stacks' own use: resources already in the
 * account use the same regional quotas.
 */
import { NAT_MAX_HEALTHY_PERCENT, peakInstances } from './fleets';
import { QuotaOverrides, checkQuota, quotaLimit } from './quotas';

export interface ShardUse {
  /** The NLB's name, for messages. */
  readonly name: string;
  readonly natForwards: number;
  readonly directForwards: number;
  /** The most instances of the NAT fleet(s) behind this shard's NAT target groups. */
  readonly natInstances: number;
}

export interface FleetUse {
  readonly name: string;
  /** Target groups the fleet's Auto Scaling group is attached to. */
  readonly targetGroups: number;
  /** Distinct forwards (targets) of the fleet. */
  readonly forwards: number;
  /** Egress rules besides the targets: SSM endpoints, S3. */
  readonly otherEgressRules: number;
  /** Bytes of the rendered boot script (user data). */
  readonly userDataBytes: number;
}

export interface ProviderUse {
  readonly shards: readonly ShardUse[];
  readonly fleets: readonly FleetUse[];
  /** Distinct target addresses with static routes (0 with propagated routes). */
  readonly staticRoutes: number;
}

export function checkProviderQuotas(use: ProviderUse, overrides: QuotaOverrides = {}): void {
  for (const s of use.shards) {
    const listeners = s.natForwards + s.directForwards;
    checkQuota(
      'listeners_per_nlb',
      listeners,
      `the load balancer ${s.name}`,
      'the tenant is split into shards of 50; pin fewer forwards to this shard',
      overrides,
    );
    checkQuota(
      'security_group_rules_per_direction',
      listeners,
      `the security group of ${s.name} (one rule per listener)`,
      'pin fewer forwards to this shard',
      overrides,
    );
    const peak = peakInstances(s.natInstances);
    const targets = s.natForwards * peak + s.directForwards;
    const roomPerGroup = Math.floor((quotaLimit('targets_per_nlb', overrides) - s.directForwards) / Math.max(1, s.natForwards));
    checkQuota(
      'targets_per_nlb',
      targets,
      `the load balancer ${s.name} (${s.natForwards} NAT target groups × up to ${peak} instances: ` +
        `max_size ${s.natInstances}, ${NAT_MAX_HEALTHY_PERCENT}% while instances are replaced; + ${s.directForwards} IP targets)`,
      `lower nat_fleet.max_size to ${Math.max(2, Math.floor((roomPerGroup * 100) / NAT_MAX_HEALTHY_PERCENT))}, or pin forwards of this shard to another shard`,
      overrides,
    );
  }
  for (const f of use.fleets) {
    checkQuota(
      'target_groups_per_auto_scaling_group',
      f.targetGroups,
      `the NAT fleet ${f.name}`,
      'pin forwards to another NAT fleet (fleet:)',
      overrides,
    );
    checkQuota(
      'security_group_rules_per_direction',
      f.targetGroups + 1,
      `the security group of NAT fleet ${f.name} (inbound: one rule per target group, and ICMP)`,
      'pin forwards to another NAT fleet (fleet:)',
      overrides,
    );
    checkQuota(
      'security_group_rules_per_direction',
      f.forwards + f.otherEgressRules,
      `the security group of NAT fleet ${f.name} (outbound: one rule per target, SSM and S3)`,
      'pin forwards to another NAT fleet (fleet:)',
      overrides,
    );
    checkQuota(
      'user_data_bytes',
      f.userDataBytes,
      `the launch template of NAT fleet ${f.name}`,
      'shorten name (the boot script names its bucket)',
      overrides,
    );
  }
  checkQuota(
    'routes_per_route_table',
    use.staticRoutes,
    'each route table of the VPC (routing: static, one route per target address)',
    'use routing: propagate',
    overrides,
  );
  checkQuota('load_balancers_per_region', use.shards.length, 'the region (one NLB per tenant shard)', 'use fewer tenants', overrides);
  const targetGroups = use.shards.reduce((n, s) => n + s.natForwards + s.directForwards, 0);
  checkQuota(
    'target_groups_per_region',
    targetGroups,
    'the region (one target group per forward and tenant shard)',
    'list forwards in fewer tenants',
    overrides,
  );
  checkQuota(
    'auto_scaling_groups_per_region',
    use.fleets.length,
    'the region (one Auto Scaling group per NAT fleet)',
    'list forwards in fewer tenants',
    overrides,
  );
}
