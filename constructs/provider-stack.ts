import { Construct } from 'constructs';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { DxStack, DxStackProps } from './dx-stack';
import { DxPrivateLinkProvider, DxPrivateLinkProviderProps } from './dx-privatelink-provider';

export interface ProviderStackProps extends DxStackProps {
  readonly provider: Omit<DxPrivateLinkProviderProps, 'region'>;
}

/**
 * The provider account's stack: everything that turns the Direct Connect link
 * into an endpoint service. The BGP key, when a VIF is created, comes from the
 * sensitive variable `bgp_auth_key` (TF_VAR_bgp_auth_key), never from the config.
 */
export class ProviderStack extends DxStack {
  public readonly dx: DxPrivateLinkProvider;

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
    this.dx = new DxPrivateLinkProvider(this, 'Default', { ...props.provider, bgpAuthKey, region: props.region });

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
    if (this.dx.natFleet) {
      new TerraformOutput(this, 'nat_asg_name', {
        value: this.dx.natFleet.autoScalingGroupName,
        description: 'Auto Scaling group of the NAT instances',
      });
    }
  }
}
