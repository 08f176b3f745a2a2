import { Construct } from 'constructs';
import { EndpointService } from './endpoint-service';
import { ForwardSet, ForwardSpec } from './forward-set';
import { ForwardingNlb } from './forwarding-nlb';
import { assignShards } from './private/shards';
import { checkOneOf } from './private/checks';
import { isPlain, isPlainString, refuseTemplates } from './props-check';
import { checkSecurityGroupIds } from './private/locked-down';
import { MAX_LISTENERS_PER_NLB, RULES, check } from './private/rules';

export interface TenantServiceProps {
  /** Prefix of resource names. */
  readonly name: string;
  /** Region of the endpoint services. */
  readonly region: string;
  /** Tenant name: part of resource names and of the `services` output. */
  readonly tenant: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** The tenant's forwards keyed by name, in the order they are assigned to shards. */
  readonly forwards: Record<string, ForwardSpec>;
  /** Account root ARNs allowed to connect. */
  readonly allowedPrincipals: string[];
  /**
   * `manual`: each endpoint connection waits for the provider to accept it.
   * `auto`: endpoints of the allowed principals are accepted at once.
   * @default 'manual'
   */
  readonly acceptance?: 'manual' | 'auto';
  /** @default - the service's own region only */
  readonly supportedRegions?: string[];
  /**
   * Listeners per NLB before another NLB + endpoint service is added.
   * @default 50 (the NLB limit)
   */
  readonly shardCapacity?: number;
  /** Deletion protection of the NLBs and endpoint services. @default true */
  readonly deletionProtection?: boolean;
  /** The account's own security groups on the tenant's NLBs (ForwardingNlbProps.securityGroupIds). @default - none */
  readonly nlbSecurityGroupIds?: string[];
}

/** One NLB and its endpoint service, serving a slice of the tenant's forwards. */
export interface ServiceShard {
  readonly index: number;
  /** `<tenant>-<index>`: the shard's service key, unique in the deployment. */
  readonly key: string;
  /** Name of the shard's load balancer. */
  readonly loadBalancerName: string;
  /** Names of the forwards on this shard. */
  readonly forwardNames: string[];
  readonly forwards: ForwardSet;
  readonly loadBalancer: ForwardingNlb;
  readonly service: EndpointService;
}

/**
 * The endpoint service(s) of one tenant. The provider cannot restrict which
 * listener a consumer reaches through a service, so each tenant gets its own
 * NLB and service: a consumer physically cannot reach another tenant's
 * forwards. A tenant with more forwards than one NLB takes (50 listeners) is
 * split across as many NLB + service pairs as needed.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#network-load-balancer-limits
 */
export class TenantService extends Construct {
  public readonly shards: ServiceShard[];

  constructor(scope: Construct, id: string, props: TenantServiceProps) {
    super(scope, id);
    refuseTemplates(props);
    validateTenantProps(props);
    const members = Object.entries(props.forwards).map(([name, f]) => ({ name, shard: f.shard }));
    const layout = assignShards(members, props.shardCapacity ?? MAX_LISTENERS_PER_NLB, undefined, props.tenant);
    this.shards = layout.map((names, index) => {
      const scopeOfShard = new Construct(this, `s${index}`);
      const base = layout.length > 1 ? `${props.name}-${props.tenant}-${index}` : `${props.name}-${props.tenant}`;
      const forwards = new ForwardSet(scopeOfShard, 'forwards', {
        forwards: Object.fromEntries(names.map((n) => [n, props.forwards[n]])),
      });
      const loadBalancer = new ForwardingNlb(scopeOfShard, 'nlb', {
        name: base,
        vpcId: props.vpcId,
        subnetIds: props.subnetIds,
        forwards,
        deletionProtection: props.deletionProtection,
        securityGroupIds: props.nlbSecurityGroupIds,
      });
      const service = new EndpointService(scopeOfShard, 'service', {
        name: base,
        region: props.region,
        loadBalancerArn: loadBalancer.loadBalancerArn,
        allowedPrincipals: props.allowedPrincipals,
        acceptanceRequired: (props.acceptance ?? 'manual') === 'manual',
        supportedRegions: props.supportedRegions,
        deletionProtection: props.deletionProtection,
      });
      return {
        index,
        key: `${props.tenant}-${index}`,
        loadBalancerName: `${base}-nlb`,
        forwardNames: names,
        forwards,
        loadBalancer,
        service,
      };
    });
  }
}

/** The plain ids and the acceptance among the props. */
function validateTenantProps(props: TenantServiceProps): void {
  const plain = isPlainString;
  const problem =
    (plain(props.vpcId) ? check(RULES.vpcId, 'vpcId', props.vpcId) : undefined) ??
    (isPlain(props.subnetIds)
      ? props.subnetIds.map((id, i) => (plain(id) ? check(RULES.subnetId, `subnetIds[${i}]`, id) : undefined)).find(Boolean)
      : undefined) ??
    (plain(props.acceptance) ? checkOneOf('acceptance', props.acceptance, ['manual', 'auto']) : undefined) ??
    checkSecurityGroupIds(props.nlbSecurityGroupIds, 'nlbSecurityGroupIds', undefined, isPlain);
  if (problem) throw problem;
}
