/**
 * Maps a validated config file onto construct props (snake_case YAML to
 * camelCase TypeScript). No decisions are made here.
 */
import type { ForwardSpec } from '../constructs/forward-set';
import type { ProviderStackProps } from '../constructs/provider-stack';
import { Config } from './schema';

export function forwardsFromConfig(config: Config): Record<string, ForwardSpec> {
  return Object.fromEntries(
    config.forwards.map((f) => [
      f.name,
      { listenPort: f.listen_port, targetIp: f.target_ip, targetPort: f.target_port, tcpIdleTimeoutSeconds: f.tcp_idle_timeout_seconds },
    ]),
  );
}

export function accountRootArn(accountId: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function providerStackProps(config: Config): ProviderStackProps {
  const { create, existing } = config.vpc;
  const dx = config.direct_connect;
  const vif = dx.private_vif;
  return {
    region: config.region,
    accountId: config.provider_account_id,
    tags: config.tags,
    provider: {
      name: config.name,
      createVpc: create && { cidr: create.cidr, availabilityZones: create.availability_zones, ssmEndpoints: create.ssm_endpoints },
      existingVpc: existing && {
        vpcId: existing.vpc_id,
        cidr: existing.cidr,
        subnetIds: existing.subnet_ids,
        routeTableIds: existing.route_table_ids,
        s3PrefixListId: existing.s3_prefix_list_id,
      },
      directConnect: {
        amazonSideAsn: dx.amazon_side_asn,
        existingVgwId: dx.existing_vgw_id,
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
      allowedPrincipals: config.consumers.map((c) => accountRootArn(c.account_id)),
      acceptanceRequired: config.endpoint_service?.acceptance_required,
      supportedRegions: config.endpoint_service?.supported_regions,
      natFleet: config.nat_fleet && {
        instanceType: config.nat_fleet.instance_type,
        architecture: config.nat_fleet.architecture,
        minSize: config.nat_fleet.min_size,
        maxSize: config.nat_fleet.max_size,
      },
    },
  };
}
