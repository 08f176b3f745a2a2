import { Construct } from 'constructs';
import { IResolvable, Token } from 'cdktf';
import { DirectConnectAttachment, PrivateVifSpec } from './direct-connect';
import { EndpointService } from './endpoint-service';
import { ForwardSet, ForwardSpec } from './forward-set';
import { ForwardingNlb } from './forwarding-nlb';
import { NatFleet } from './nat-fleet';
import { CreateVpcSpec, ExistingVpcSpec, ProviderNetwork } from './provider-network';
import { RULES, check } from './private/rules';
import { targetPath } from './private/rules';

export interface DirectConnectSpec {
  /** @default 64512 (ignored with existingVgwId) */
  readonly amazonSideAsn?: number;
  /** @default - a virtual private gateway is created */
  readonly existingVgwId?: string;
  /** @default - the VIF attaches to the VGW directly */
  readonly dxGatewayId?: string;
  /** @default - no VIF is created (one exists already) */
  readonly privateVif?: PrivateVifSpec;
  /** @default - no hosted VIF is accepted */
  readonly hostedVifId?: string;
  /** @default 'propagate' */
  readonly routing?: 'propagate' | 'static';
}

export interface NatFleetSpec {
  /** @default 't4g.small' */
  readonly instanceType?: string;
  /** @default 'arm64' */
  readonly architecture?: 'arm64' | 'x86_64';
  /** @default 2 */
  readonly minSize?: number;
  /** @default minSize */
  readonly maxSize?: number;
}

export interface DxPrivateLinkProviderProps {
  /** Prefix of resource names: 2 to 20 lowercase letters, digits or hyphens. */
  readonly name: string;
  readonly region: string;
  /** Exactly one of `createVpc` and `existingVpc`. */
  readonly createVpc?: CreateVpcSpec;
  readonly existingVpc?: ExistingVpcSpec;
  readonly directConnect: DirectConnectSpec;
  /** Forwards keyed by name (plain values or a Terraform map expression). */
  readonly forwards: Record<string, ForwardSpec> | IResolvable;
  /** Account root ARNs allowed to connect to the endpoint service. */
  readonly allowedPrincipals: string[];
  /** @default true */
  readonly acceptanceRequired?: boolean;
  /** @default - the service's own region only */
  readonly supportedRegions?: string[];
  /** @default - 2 × t4g.small, arm64 */
  readonly natFleet?: NatFleetSpec;
}

/**
 * The whole provider-account side: VPC (created or existing), Direct Connect
 * attachment, forwarding NLB, NAT fleet for public targets and the endpoint
 * service consumers connect to.
 */
export class DxPrivateLinkProvider extends Construct {
  public readonly forwards: ForwardSet;
  public readonly network: ProviderNetwork;
  public readonly directConnect: DirectConnectAttachment;
  public readonly loadBalancer: ForwardingNlb;
  /** Absent when every forward is direct (no public targets, no NAT needed). */
  public readonly natFleet?: NatFleet;
  public readonly service: EndpointService;

  constructor(scope: Construct, id: string, props: DxPrivateLinkProviderProps) {
    super(scope, id);
    const nameProblem = Token.isUnresolved(props.name) ? undefined : check(RULES.name, 'name', props.name);
    if (nameProblem) throw nameProblem;

    this.forwards = new ForwardSet(this, 'forwards', { forwards: props.forwards });
    this.network = new ProviderNetwork(this, 'network', {
      name: props.name,
      region: props.region,
      create: props.createVpc,
      existing: props.existingVpc,
    });
    this.directConnect = new DirectConnectAttachment(this, 'direct-connect', {
      name: props.name,
      vpcId: this.network.vpcId,
      ...props.directConnect,
      allowedPrefixes: [this.network.vpcCidr],
      routeTables: this.network.routeTables,
      targetIps: this.forwards.targetIps,
    });
    this.loadBalancer = new ForwardingNlb(this, 'nlb', {
      name: props.name,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      subnetIds: this.network.subnetIds,
      forwards: this.forwards,
    });
    const plain = this.forwards.plain;
    const needsNat = plain === undefined || Object.values(plain).some((f) => targetPath(f.targetIp) === 'nat');
    if (needsNat) {
      this.natFleet = new NatFleet(this, 'nat', {
        name: props.name,
        vpcId: this.network.vpcId,
        vpcCidr: this.network.vpcCidr,
        subnetIds: this.network.subnetIds,
        forwards: this.forwards,
        loadBalancerSecurityGroupId: this.loadBalancer.securityGroupId,
        targetGroupArns: this.loadBalancer.natTargetGroupArns,
        s3PrefixListId: this.network.s3PrefixListId,
        ...props.natFleet,
      });
    }
    this.service = new EndpointService(this, 'service', {
      name: props.name,
      loadBalancerArn: this.loadBalancer.loadBalancerArn,
      allowedPrincipals: props.allowedPrincipals,
      acceptanceRequired: props.acceptanceRequired,
      supportedRegions: props.supportedRegions,
    });
  }
}
