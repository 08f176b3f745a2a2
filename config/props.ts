/**
 * Maps a validated config file onto construct props (snake_case YAML to
 * camelCase TypeScript). No decisions are made here.
 */
import type { ForwardSpec } from '../constructs/forward-set';
import type { ConsumerStackProps, ConsumedShard } from '../constructs/consumer-stack';
import type { StateSpec } from '../constructs/dx-stack';
import type { TenantSpec } from '../constructs/dx-privatelink-provider';
import type { ProviderConsumer, ProviderStackProps } from '../constructs/provider-stack';
import { handoffBucketName, serviceKey } from '../constructs/private/handoff';
import { partitionOf } from '../constructs/private/rules';
import { Config, ConsumerConfig } from './schema';

/** Id of the provider stack: its directory under stacks/ and its state file name. */
export const PROVIDER_STACK = 'provider';

export function consumerStackId(consumer: ConsumerConfig): string {
  return `consumer-${consumer.name}`;
}

export function forwardsFromConfig(config: Config): Record<string, ForwardSpec> {
  return Object.fromEntries(
    config.forwards.map((f) => [
      f.name,
      {
        listenPort: f.listen_port,
        targetIp: f.target_ip,
        targetPort: f.target_port,
        tcpIdleTimeoutSeconds: f.tcp_idle_timeout_seconds,
        shard: f.shard,
        fleet: f.fleet,
      },
    ]),
  );
}

export function accountRootArn(accountId: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

function stateSpec(config: Config): StateSpec | undefined {
  const s3 = config.state?.s3;
  return s3 && { s3: { bucket: s3.bucket, region: s3.region, keyPrefix: s3.key_prefix, roleArn: s3.role_arn } };
}

/**
 * The tenants of the config; without a `tenants` list, one tenant named
 * `default` with every forward and every consumer.
 */
export function tenantsOf(config: Config): { name: string; forwards: string[]; consumers: string[]; acceptance: 'manual' | 'auto' }[] {
  const fallback = config.endpoint_service?.acceptance ?? 'manual';
  if (!config.tenants) {
    return [
      {
        name: 'default',
        forwards: config.forwards.map((f) => f.name),
        consumers: config.consumers.map((c) => c.name),
        acceptance: fallback,
      },
    ];
  }
  return config.tenants.map((t) => ({ name: t.name, forwards: t.forwards, consumers: t.consumers, acceptance: t.acceptance ?? fallback }));
}

/** The consumers of the config with their tenants, for the provider stack's handoff. */
function providerConsumers(config: Config): ProviderConsumer[] {
  const tenants = tenantsOf(config);
  return config.consumers.map((c) => ({
    name: c.name,
    accountId: c.account_id,
    tenants: tenants.filter((t) => t.consumers.includes(c.name)).map((t) => t.name),
  }));
}

export function providerStackProps(config: Config): ProviderStackProps {
  const accounts = new Map(config.consumers.map((c) => [c.name, c.account_id]));
  const tenants: TenantSpec[] = tenantsOf(config).map((t) => ({
    name: t.name,
    forwards: t.forwards,
    allowedPrincipals: t.consumers.map((c) => accountRootArn(accounts.get(c)!, partitionOf(config.region))),
    acceptance: t.acceptance,
    nlbSecurityGroupIds: config.tenants?.find((x) => x.name === t.name)?.nlb_security_group_ids,
  }));
  const { create, existing } = config.vpc;
  const dx = config.direct_connect;
  const vif = dx.private_vif;
  return {
    region: config.region,
    accountId: config.provider_account_id,
    tags: config.tags,
    state: stateSpec(config),
    consumers: providerConsumers(config),
    provider: {
      name: config.name,
      createVpc: create && { cidr: create.cidr, availabilityZones: create.availability_zones, ssmEndpoints: create.ssm_endpoints },
      existingVpc: existing && {
        vpcId: existing.vpc_id,
        cidr: existing.cidr,
        subnetIds: existing.subnet_ids,
        routeTableIds: existing.route_table_ids,
        s3PrefixListId: existing.s3_prefix_list_id,
        ssmEndpoints: existing.ssm_endpoints,
        existingEndpoints: existing.existing_endpoints && {
          securityGroupId: existing.existing_endpoints.security_group_id,
          endpointIds: existing.existing_endpoints.endpoint_ids,
        },
      },
      directConnect: {
        amazonSideAsn: dx.amazon_side_asn,
        existingVgwId: dx.existing_vgw_id,
        // A VPC created here has no gateway yet: attach the existing one to it.
        attachExistingVgw: dx.existing_vgw_id !== undefined && create !== undefined ? true : undefined,
        dxGatewayId: dx.dx_gateway_id,
        hostedVifId: dx.hosted_vif?.virtual_interface_id,
        routing: dx.routing,
        privateVif: vif && {
          connectionId: vif.connection_id,
          vlan: vif.vlan,
          bgpAsn: vif.bgp_asn,
          amazonAddress: vif.amazon_address,
          customerAddress: vif.customer_address,
          mtu: vif.mtu,
        },
      },
      forwards: forwardsFromConfig(config),
      tenants,
      supportedRegions: config.endpoint_service?.supported_regions,
      quotas: config.quotas,
      natFleet: config.nat_fleet && {
        instanceType: config.nat_fleet.instance_type,
        architecture: config.nat_fleet.architecture,
        minSize: config.nat_fleet.min_size,
        maxSize: config.nat_fleet.max_size,
        amiId: config.nat_fleet.ami_id,
        maxInstanceLifetimeDays: config.nat_fleet.max_instance_lifetime_days,
        securityGroupIds: config.nat_fleet.security_group_ids,
      },
      monitoring: config.monitoring && {
        alarms: config.monitoring.alarms,
        topicArn: config.monitoring.topic_arn,
        emails: config.monitoring.emails,
        dashboard: config.monitoring.dashboard,
      },
      flowLogs: config.flow_logs && {
        enabled: config.flow_logs.enabled,
        destination: config.flow_logs.destination,
        s3BucketArn: config.flow_logs.s3_bucket_arn,
        retentionDays: config.flow_logs.retention_days,
      },
      deletionProtection: config.deletion_protection,
      iam: config.iam && { permissionsBoundary: config.iam.permissions_boundary, path: config.iam.path },
      kmsKeyArn: config.kms_key_arn,
      nlbSecurityGroupIds: config.endpoint_service?.nlb_security_group_ids,
    },
  };
}

/**
 * Props of one consumer's stack. `shardsOf(tenant)` gives the tenant's shards
 * as the provider stack laid them out, so both sides agree by construction.
 */
export function consumerStackProps(
  config: Config,
  consumer: ConsumerConfig,
  shardsOf: (tenant: string) => { forwardNames: string[] }[],
): ConsumerStackProps {
  const ports = new Map(config.forwards.map((f) => [f.name, f.listen_port]));
  const shards: ConsumedShard[] = tenantsOf(config)
    .filter((t) => t.consumers.includes(consumer.name))
    .flatMap((t) =>
      shardsOf(t.name).map((shard, index) => ({
        key: serviceKey(t.name, index),
        ports: Object.fromEntries(shard.forwardNames.map((f) => [f, ports.get(f)!])),
      })),
    );
  return {
    region: consumer.region ?? config.region,
    accountId: consumer.account_id,
    assumeRoleArn: consumer.role_arn,
    tags: config.tags,
    state: stateSpec(config),
    providerStackId: PROVIDER_STACK,
    providerRegion: config.region,
    handoff: { bucket: handoffBucketName(config.name, config.provider_account_id, config.region), region: config.region },
    endpoint: {
      name: consumer.name,
      vpcId: consumer.vpc_id,
      subnetIds: consumer.subnet_ids,
      allowedCidrs: consumer.allowed_cidrs,
      dnsZone: consumer.dns_zone,
      dnsZoneId: consumer.dns_zone_id,
      securityGroupRulesQuota: config.quotas?.security_group_rules_per_direction,
      interfaceEndpointsQuota: config.quotas?.interface_endpoints_per_vpc,
    },
    shards,
  };
}
