import { Construct } from 'constructs';
import { TerraformLocal, TerraformOutput, TerraformStack, Token, ref } from 'cdktf';
import { DataAwsS3Object } from '@cdktf/provider-aws/lib/data-aws-s3-object';
import { ConsumedService, ConsumerEndpoint, ConsumerEndpointProps } from './consumer-endpoint';
import { isPlainString } from './props-check';
import { handoffKey } from './private/handoff';
import { RULES, check } from './private/rules';
import { DxStack, DxStackProps } from './dx-stack';

/** A tenant shard the consumer connects to; its service name comes from the handoff. */
export interface ConsumedShard {
  /** Key of the service in the handoff and of the endpoint (`<tenant>-<shard>`). */
  readonly key: string;
  readonly ports: Readonly<Record<string, number>>;
}

/** Where the provider stack published this consumer's handoff (ConsumerHandoff). */
export interface HandoffLocation {
  readonly bucket: string;
  /** Region of the bucket: the provider's region. */
  readonly region: string;
}

export interface ConsumerStackProps extends DxStackProps {
  /**
   * Id of the provider stack in the same app, when there is one: `cdktf
   * deploy` then deploys it first.
   * @default - no ordering
   */
  readonly providerStackId?: string;
  /** Region of the provider's endpoint services. */
  readonly providerRegion: string;
  readonly handoff: HandoffLocation;
  readonly endpoint: Omit<ConsumerEndpointProps, 'services'>;
  readonly shards: ConsumedShard[];
}

/**
 * One consumer account's stack. Its AWS provider assumes a role in that
 * account. The endpoint services' names and zones come from the handoff the
 * provider stack publishes for this account alone (one S3 object only it may
 * read): the consumer never reads the provider's Terraform state.
 */
export class ConsumerStack extends DxStack {
  public readonly endpoint: ConsumerEndpoint;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    validateConsumerStackProps(props);
    // The bucket is in the provider's region; read it there.
    const reader = props.handoff.region === props.region ? undefined : this.regionalProvider('handoff-region', props.handoff.region);
    const object = new DataAwsS3Object(this, 'handoff', {
      provider: reader,
      bucket: props.handoff.bucket,
      key: handoffKey(props.accountId),
    });
    const handoff = new TerraformLocal(this, 'handoff-services', `\${jsondecode(${object.fqn}.body).services}`).fqn;
    const providerStack = props.providerStackId ? scope.node.tryFindChild(props.providerStackId) : undefined;
    if (providerStack instanceof TerraformStack) this.addDependency(providerStack);

    const sameRegion = props.providerRegion === props.region;
    const services: ConsumedService[] = props.shards.map((shard) => ({
      key: shard.key,
      // References (tokens), not "${...}" text: the endpoint refuses template sequences in plain strings.
      serviceName: Token.asString(ref(`${handoff}["${shard.key}"].service_name`)),
      ports: shard.ports,
      serviceRegion: sameRegion ? undefined : props.providerRegion,
      // Zones must match only for an endpoint in the service's own region.
      zoneIds: sameRegion ? Token.asString(ref(`${handoff}["${shard.key}"].zone_ids`)) : undefined,
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

/** Eager checks of the plain values the stack writes into Terraform expressions and the handoff lookup. */
function validateConsumerStackProps(props: ConsumerStackProps): void {
  const plain = isPlainString;
  const problem =
    (plain(props.providerRegion) ? check(RULES.region, 'providerRegion', props.providerRegion) : undefined) ??
    (plain(props.handoff.bucket) ? check(RULES.s3BucketName, 'handoff.bucket', props.handoff.bucket) : undefined) ??
    (plain(props.handoff.region) ? check(RULES.region, 'handoff.region', props.handoff.region) : undefined) ??
    props.shards.map((shard, i) => (plain(shard.key) ? check(RULES.serviceKey, `shards[${i}].key`, shard.key) : undefined)).find(Boolean);
  if (problem) throw problem;
}
