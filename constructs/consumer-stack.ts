import { Construct } from 'constructs';
import { DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, TerraformOutput, TerraformStack } from 'cdktf';
import { ConsumedService, ConsumerEndpoint, ConsumerEndpointProps } from './consumer-endpoint';
import { DxStack, DxStackProps, localStatePath, s3StateKey } from './dx-stack';

/** A tenant shard the consumer connects to, found in the provider stack's `services` output. */
export interface ConsumedShard {
  readonly tenant: string;
  readonly index: number;
  readonly ports: Readonly<Record<string, number>>;
}

export interface ConsumerStackProps extends DxStackProps {
  /** Id of the provider stack whose state holds the `services` output. */
  readonly providerStackId: string;
  /** Region of the provider's endpoint services. */
  readonly providerRegion: string;
  readonly endpoint: Omit<ConsumerEndpointProps, 'services'>;
  readonly shards: ConsumedShard[];
}

/**
 * One consumer account's stack. Its AWS provider assumes a role in that
 * account; the endpoint service names come from the provider stack's state
 * (`terraform_remote_state`, local file or S3 like the stacks' own state), so
 * the stack plans with plain Terraform once the provider stack is applied,
 * and `cdktf deploy` orders it after the provider stack.
 */
export class ConsumerStack extends DxStack {
  public readonly endpoint: ConsumerEndpoint;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    const s3 = props.state?.s3;
    const remote = s3
      ? new DataTerraformRemoteStateS3(this, 'provider', {
          bucket: s3.bucket,
          region: s3.region,
          key: s3StateKey(s3, props.providerStackId),
          assumeRole: s3.roleArn ? { roleArn: s3.roleArn } : undefined,
        })
      : new DataTerraformRemoteStateLocal(this, 'provider', { path: localStatePath(props.providerStackId) });
    const providerStack = scope.node.tryFindChild(props.providerStackId);
    if (providerStack instanceof TerraformStack) this.addDependency(providerStack);

    const services: ConsumedService[] = props.shards.map((shard) => ({
      key: `${shard.tenant}-${shard.index}`,
      serviceName: `\${${remote.fqn}.outputs.services["${shard.tenant}"][${shard.index}].service_name}`,
      ports: shard.ports,
      serviceRegion: props.providerRegion === props.region ? undefined : props.providerRegion,
    }));
    this.endpoint = new ConsumerEndpoint(this, 'Default', { ...props.endpoint, services });

    new TerraformOutput(this, 'endpoint_dns_names', {
      value: this.endpoint.endpointDnsNames,
      description: 'Regional DNS name of each interface endpoint, by tenant shard',
    });
    new TerraformOutput(this, 'forwards', {
      value: this.endpoint.forwardAddresses,
      description: 'host:port to connect to, by forward name',
    });
  }
}
