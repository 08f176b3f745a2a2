import { Construct } from 'constructs';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { DxStack, DxStackProps } from './dx-stack';
import { ConsumerHandoff } from './consumer-handoff';
import { handoffBucketName, serviceKey } from './private/handoff';
import { DxPrivateLinkProvider, DxPrivateLinkProviderProps } from './dx-privatelink-provider';
import { ValidationError, partitionOf } from './private/rules';

/** A consumer account of the deployment and the tenants it connects to. */
export interface ProviderConsumer {
  readonly name: string;
  readonly accountId: string;
  readonly tenants: readonly string[];
}

export interface ProviderStackProps extends DxStackProps {
  readonly provider: Omit<DxPrivateLinkProviderProps, 'region'>;
  /**
   * Consumer accounts to publish a handoff for (ConsumerHandoff): each reads
   * only its own services' names, zones and ports, never this stack's state.
   * @default - no handoff; consumers take the `services` output by hand
   */
  readonly consumers?: readonly ProviderConsumer[];
}

/**
 * The provider account's stack: everything that turns the Direct Connect link
 * into an endpoint service. The BGP key, when a VIF is created, comes from the
 * sensitive variable `bgp_auth_key` (TF_VAR_bgp_auth_key), never from the config.
 */
export class ProviderStack extends DxStack {
  public readonly dx: DxPrivateLinkProvider;
  /** Present when consumers are given. */
  public readonly handoff?: ConsumerHandoff;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id, props);
    let bgpAuthKey = props.provider.bgpAuthKey;
    if (props.provider.directConnect.privateVif && bgpAuthKey === undefined) {
      const key = new TerraformVariable(this, 'bgp_auth_key', {
        type: 'string',
        sensitive: true,
        nullable: true,
        description: 'BGP MD5 key of the private virtual interface (set TF_VAR_bgp_auth_key); null lets AWS generate one',
      });
      // cdktf cannot express a null default; without one the variable would be required.
      key.addOverride('default', null);
      bgpAuthKey = key.stringValue;
    }
    // Construct id "Default" keeps it out of resource addresses.
    this.dx = new DxPrivateLinkProvider(this, 'Default', {
      natRulesBucketName: `${props.provider.name}-nat-rules-${props.accountId}-${props.region}`,
      partition: partitionOf(props.region),
      ...props.provider,
      bgpAuthKey,
      region: props.region,
      accountId: props.accountId,
    });
    if (props.consumers && props.consumers.length > 0) {
      this.handoff = new ConsumerHandoff(this, 'handoff', {
        bucketName: handoffBucketName(props.provider.name, props.accountId, props.region),
        partition: partitionOf(props.region),
        kmsKeyArn: props.provider.kmsKeyArn,
        consumers: props.consumers.map((c) => ({
          name: c.name,
          accountId: c.accountId,
          services: Object.fromEntries(
            c.tenants.flatMap((tenant) => {
              const t = this.dx.tenants[tenant];
              if (!t) {
                throw new ValidationError(
                  `consumers.${c.name}.tenants`,
                  tenant,
                  'is not a tenant',
                  `use one of: ${Object.keys(this.dx.tenants).join(', ')}`,
                );
              }
              return t.shards.map((shard) => [
                serviceKey(tenant, shard.index),
                {
                  serviceName: shard.service.serviceName,
                  region: props.region,
                  zoneIds: this.dx.network.zoneIds,
                  ports: Object.fromEntries(shard.forwardNames.map((f) => [f, shard.forwards.plain![f].listenPort])),
                },
              ]);
            }),
          ),
        })),
      });
      new TerraformOutput(this, 'handoff_bucket', {
        value: this.handoff.bucketName,
        description: 'Bucket of the consumer handoff: consumers/<account id>.json per consumer account, readable by that account only',
      });
    }

    new TerraformOutput(this, 'services', {
      value: Object.fromEntries(
        Object.entries(this.dx.tenants).map(([tenant, t]) => [
          tenant,
          t.shards.map((shard) => ({
            service_name: shard.service.serviceName,
            service_id: shard.service.serviceId,
            availability_zones: shard.service.availabilityZones,
            ports: Object.fromEntries(shard.forwardNames.map((f) => [f, shard.forwards.plain![f].listenPort])),
          })),
        ]),
      ),
      description:
        'Endpoint services per tenant, one per shard: service_name (consumers create interface endpoints to it), service_id (accept connections there), availability_zones, ports',
    });
    new TerraformOutput(this, 'port_map', {
      value: `\${{ for name, f in ${this.dx.forwards.ref} : name => { port = f.listen_port, target = "\${f.target_ip}:\${f.target_port}", path = f.path } }}`,
      description: 'Forward name to listen port, target and path (nat or direct)',
    });
    new TerraformOutput(this, 'vgw_id', { value: this.dx.directConnect.vgwId, description: 'Virtual private gateway the routes point at' });
    if (this.dx.natFleets.length > 0) {
      new TerraformOutput(this, 'nat_asg_names', {
        value: this.dx.natFleets.map((f) => f.autoScalingGroupName),
        description: 'Auto Scaling groups of the NAT instances, one per fleet',
      });
    }
  }
}
