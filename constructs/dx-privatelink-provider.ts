import { Construct } from 'constructs';
import { Fn, IResolvable, Token } from 'cdktf';
import { DirectConnectAttachment, DirectConnectSettings } from './direct-connect';
import { ForwardSet, ForwardSpec } from './forward-set';
import { NatFleet, NatTargetGroups, clampedMss, renderedBootScriptBytes } from './nat-fleet';
import { DeploymentMonitoring, MonitoringSpec } from './monitoring';
import { FlowLogs, FlowLogsSpec } from './flow-logs';
import { ProviderUse, checkProviderQuotas } from './private/provider-quotas';
import { QuotaOverrides, checkQuotaOverrides } from './private/quotas';
import { PrivateBucket } from './private-bucket';
import { assignFleets } from './private/fleets';
import { CreateVpcSpec, ExistingVpcSpec, ProviderNetwork } from './provider-network';
import { checkOneOf } from './private/checks';
import { isPlain, isPlainString, refuseTemplates } from './props-check';
import { IamOptions, checkProviderLockdown } from './private/locked-down';
import { PARTITIONS, RULES, ValidationError, check, targetPath } from './private/rules';
import { ServiceShard, TenantService } from './tenant-service';

export interface NatFleetSpec {
  /** @default 't4g.small' */
  readonly instanceType?: string;
  /** @default 'arm64' */
  readonly architecture?: 'arm64' | 'x86_64';
  /** @default 2 */
  readonly minSize?: number;
  /** @default minSize */
  readonly maxSize?: number;
  /** Pin the image (NatFleetProps.amiId). @default - the latest Amazon Linux 2023, tracked */
  readonly amiId?: string;
  /** Replace instances after this many days (NatFleetProps.maxInstanceLifetimeDays). @default - no limit */
  readonly maxInstanceLifetimeDays?: number;
  /** The account's own security groups on the instances (NatFleetProps.securityGroupIds). @default - none */
  readonly securityGroupIds?: string[];
}

/** A group of consumers sharing a subset of the forwards through their own service(s). */
export interface TenantSpec {
  /** Lowercase letters, digits, hyphens; part of resource names. */
  readonly name: string;
  /** Names of the forwards this tenant reaches. */
  readonly forwards: string[];
  /** Account root ARNs allowed to connect. */
  readonly allowedPrincipals: string[];
  /** @default 'manual' */
  readonly acceptance?: 'manual' | 'auto';
  /** Security groups of the account's own on this tenant's NLBs, besides `nlbSecurityGroupIds`. @default - none */
  readonly nlbSecurityGroupIds?: string[];
}

export interface DxPrivateLinkProviderProps {
  /** Prefix of resource names: 2 to 20 lowercase letters, digits or hyphens. */
  readonly name: string;
  readonly region: string;
  /**
   * The account deployed to: the NAT instances' policy names it.
   * @default - the account of the NAT instance role's own ARN
   */
  readonly accountId?: string;
  /** Exactly one of `createVpc` and `existingVpc`. */
  readonly createVpc?: CreateVpcSpec;
  readonly existingVpc?: ExistingVpcSpec;
  readonly directConnect: DirectConnectSettings;
  /**
   * BGP key of a private VIF: a token from a sensitive variable, never a literal.
   * @default - AWS generates one
   */
  readonly bgpAuthKey?: string;
  /** Forwards keyed by name (plain values or a Terraform map expression). */
  readonly forwards: Record<string, ForwardSpec> | IResolvable;
  /**
   * Tenants, each with its own NLB(s) and endpoint service(s).
   * @default - one tenant, `default`, with every forward and `allowedPrincipals`
   */
  readonly tenants?: TenantSpec[];
  /** Account root ARNs allowed to connect, when no tenants are given. */
  readonly allowedPrincipals?: string[];
  /** Acceptance when no tenants are given. @default 'manual' */
  readonly acceptance?: 'manual' | 'auto';
  /** @default - the service's own region only */
  readonly supportedRegions?: string[];
  /** @default - 2 × t4g.small, arm64 */
  readonly natFleet?: NatFleetSpec;
  /**
   * Name of the bucket the NAT rules are published in.
   * @default - a name AWS completes from `<name>-nat-rules-`
   */
  readonly natRulesBucketName?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /**
   * Alarms and notifications to an SNS topic, and a dashboard.
   * @default - both on, to a topic `<name>-alarms` created here
   */
  readonly monitoring?: MonitoringSpec;
  /**
   * Flow logs of the subnets holding the NLBs and NAT instances.
   * @default - to CloudWatch Logs, kept 30 days
   */
  readonly flowLogs?: FlowLogsSpec;
  /**
   * Deletion protection on the NLBs and `prevent_destroy` on the endpoint
   * services; turn off (and apply) before tearing the deployment down.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * The account's raised quotas (see constructs/private/quotas.ts).
   * @default - AWS's defaults
   */
  readonly quotas?: QuotaOverrides;
  /** Permissions boundary and path of every IAM role created (NAT instances, flow-log delivery). @default - none, path / */
  readonly iam?: IamOptions;
  /**
   * One customer managed key for the flow-log group, the alarm topic, the
   * NAT rules bucket and the NAT root volumes, of `region`; its key policy
   * must let each service use it (README).
   * @default - each service's own encryption
   */
  readonly kmsKeyArn?: string;
  /** The account's own security groups on every tenant's NLBs. @default - none */
  readonly nlbSecurityGroupIds?: string[];
}

/** Name of NAT fleet `index`: its Auto Scaling group, launch template and rules object. */
export function fleetNameOf(name: string, index: number): string {
  return index === 0 ? `${name}-nat` : `${name}-nat-${index}`;
}

/**
 * The whole provider-account side: VPC (created or existing), Direct Connect
 * attachment, NAT fleet for public targets, and per tenant the forwarding
 * NLB(s) and endpoint service(s) consumers connect to.
 */
export class DxPrivateLinkProvider extends Construct {
  public readonly forwards: ForwardSet;
  public readonly network: ProviderNetwork;
  public readonly directConnect: DirectConnectAttachment;
  /** Tenant services keyed by tenant name. */
  public readonly tenants: Record<string, TenantService>;
  /**
   * The NAT fleets, as many as the 50-target-group limit of an Auto Scaling
   * group needs; none when every forward is direct.
   */
  public readonly natFleets: NatFleet[] = [];
  /** Forward names of each NAT fleet, in fleet order. */
  public readonly natFleetForwards: string[][] = [];
  private readonly natFleetTargetGroups: NatTargetGroups[][] = [];
  /** Alarms, notifications and dashboard; absent when both are off. */
  public readonly monitoring?: DeploymentMonitoring;

  constructor(scope: Construct, id: string, props: DxPrivateLinkProviderProps) {
    super(scope, id);
    refuseTemplates(props);
    const nameProblem =
      (Token.isUnresolved(props.name) ? undefined : check(RULES.name, 'name', props.name)) ??
      (props.quotas ? checkQuotaOverrides(props.quotas) : undefined) ??
      checkChoices(props) ??
      checkProviderLockdown({ ...props, natSecurityGroupIds: props.natFleet?.securityGroupIds }, isPlain);
    if (nameProblem) throw nameProblem;

    this.forwards = new ForwardSet(this, 'forwards', { forwards: props.forwards });
    const plainForwards = this.forwards.plain;
    this.network = new ProviderNetwork(this, 'network', {
      name: props.name,
      region: props.region,
      create: props.createVpc,
      existing: props.existingVpc,
      natFleet: plainForwards !== undefined && Object.values(plainForwards).some((f) => targetPath(f.targetIp) === 'nat'),
    });
    this.directConnect = new DirectConnectAttachment(this, 'direct-connect', {
      name: props.name,
      vpcId: this.network.vpcId,
      settings: props.directConnect,
      bgpAuthKey: props.bgpAuthKey,
      allowedPrefixes: [this.network.vpcCidr],
      routeTables: this.network.routeTables,
      targetIps: this.forwards.targetIps,
    });
    const plain = this.forwards.plain;
    if (plain === undefined) {
      throw new ValidationError(
        'forwards',
        '(a Terraform expression)',
        'must be plain values here',
        'tenants and shards are decided at synth time; pass the forwards as plain values',
      );
    }
    const tenants = props.tenants ?? [
      {
        name: 'default',
        forwards: Object.keys(plain),
        allowedPrincipals: props.allowedPrincipals ?? [],
        acceptance: props.acceptance,
      },
    ];
    this.tenants = {};
    for (const [i, tenant] of tenants.entries()) {
      const nameProblem = check(RULES.name, `tenants[${i}].name`, tenant.name);
      if (nameProblem) throw nameProblem;
      const unknown = tenant.forwards.find((f) => !(f in plain));
      if (unknown !== undefined) {
        throw new ValidationError(
          `tenants[${i}].forwards`,
          unknown,
          'is not a forward',
          `use names from forwards: ${Object.keys(plain).join(', ')}`,
        );
      }
      this.tenants[tenant.name] = new TenantService(this, `tenant-${tenant.name}`, {
        name: props.name,
        region: props.region,
        tenant: tenant.name,
        vpcId: this.network.vpcId,
        subnetIds: this.network.subnetIds,
        forwards: Object.fromEntries(tenant.forwards.map((f) => [f, plain[f]])),
        allowedPrincipals: tenant.allowedPrincipals,
        acceptance: tenant.acceptance,
        supportedRegions: props.supportedRegions,
        deletionProtection: props.deletionProtection,
        nlbSecurityGroupIds: joinGroups(props.nlbSecurityGroupIds, tenant.nlbSecurityGroupIds),
      });
    }
    const shards = Object.values(this.tenants).flatMap((t) => t.shards);
    const natForwards = Object.entries(plain).filter(([, f]) => targetPath(f.targetIp) === 'nat');
    const isNat = (name: string) => targetPath(plain[name].targetIp) === 'nat';
    const maxSize = props.natFleet?.maxSize ?? props.natFleet?.minSize ?? 2;
    const settings = Token.isUnresolved(props.directConnect) ? undefined : (props.directConnect as DirectConnectSettings);
    const useOf = (layout: string[][]): ProviderUse => ({
      shards: shards.map((s) => ({
        name: s.loadBalancerName,
        natForwards: s.forwardNames.filter(isNat).length,
        directForwards: s.forwardNames.filter((n) => !isNat(n)).length,
        natInstances: Token.isUnresolved(maxSize) ? 0 : maxSize,
      })),
      fleets: layout.map((names, i) => ({
        name: fleetNameOf(props.name, i),
        targetGroups: shards.reduce((n, s) => n + s.forwardNames.filter((f) => names.includes(f)).length, 0),
        forwards: names.length,
        otherEgressRules: 1 + Object.keys(this.network.endpointSecurityGroups).length,
        userDataBytes: renderedBootScriptBytes(
          props.natRulesBucketName ?? `${props.name}-nat-rules-${'x'.repeat(26)}`,
          fleetNameOf(props.name, i),
          props.region,
        ),
      })),
      staticRoutes: settings?.routing === 'static' ? new Set(Object.values(plain).map((f) => f.targetIp)).size : 0,
    });
    if (natForwards.length === 0) checkProviderQuotas(useOf([]), props.quotas);
    else
      this.buildFleets(
        props,
        shards,
        natForwards.map(([name]) => name),
        tenants,
        useOf,
      );

    const watched = shards.map((shard) => ({
      key: shard.key,
      title: shard.loadBalancerName.replace(/-nlb$/, ''),
      loadBalancer: shard.loadBalancer,
      service: shard.service,
    }));
    if (props.monitoring?.alarms !== false || props.monitoring?.dashboard !== false) {
      this.monitoring = new DeploymentMonitoring(this, 'monitoring', {
        name: props.name,
        settings: props.monitoring ?? {},
        loadBalancers: watched,
        fleets: this.natFleets.map((fleet, i) => ({ fleet, targetGroups: this.natFleetTargetGroups[i] })),
        directConnect: this.directConnect,
        kmsKeyArn: props.kmsKeyArn,
      });
    }
    if (props.flowLogs?.enabled !== false) {
      new FlowLogs(this, 'flow-logs', {
        name: props.name,
        subnetIds: this.network.subnetIds,
        settings: props.flowLogs ?? {},
        kmsKeyArn: props.kmsKeyArn,
        iam: props.iam,
      });
    }
  }

  /** The NAT fleets, their rules bucket, and the checks of the layout against the quotas. */
  private buildFleets(
    props: DxPrivateLinkProviderProps,
    shards: ServiceShard[],
    natNames: string[],
    tenants: readonly TenantSpec[],
    useOf: (layout: string[][]) => ProviderUse,
  ): void {
    const plain = this.forwards.plain!;
    const partition = props.partition ?? 'aws';
    const bucket = new PrivateBucket(this, 'nat-rules', {
      bucketName: props.natRulesBucketName,
      namePrefix: props.natRulesBucketName ? undefined : `${props.name}-nat-rules-`,
      partition,
      kmsKeyArn: props.kmsKeyArn,
    });
    const tenantCount = (name: string) => tenants.filter((t) => t.forwards.includes(name)).length;
    const layout = assignFleets(natNames.map((name) => ({ name, targetGroups: tenantCount(name), fleet: plain[name].fleet })));
    checkProviderQuotas(useOf(layout), props.quotas);
    const mtu = pathMtu(props.directConnect);
    for (const [index, names] of layout.entries()) {
      const fleetName = fleetNameOf(props.name, index);
      // Fleet 0 keeps the construct id of the single fleet before fleets were split.
      const scopeId = index === 0 ? 'nat' : `nat-${index}`;
      const forwards = new ForwardSet(this, `${scopeId}-forwards`, { forwards: Object.fromEntries(names.map((n) => [n, plain[n]])) });
      const served = shards.filter((s) => s.forwardNames.some((n) => names.includes(n)));
      const targetGroups = served.map((s) => {
        const forwards = names.filter((n) => s.forwardNames.includes(n));
        return {
          key: s.key,
          groups: s.loadBalancer.targetGroupMap(forwards),
          loadBalancerArnSuffix: s.loadBalancer.loadBalancerArnSuffix,
          forwards,
        };
      });
      this.natFleets.push(
        new NatFleet(this, scopeId, {
          fleetName,
          vpcId: this.network.vpcId,
          region: props.region,
          accountId: props.accountId,
          subnetIds: this.network.subnetIds,
          endpointSecurityGroups: this.network.endpointSecurityGroups,
          bootDependencies: this.network.bootDependencies,
          forwards,
          targetGroups,
          ingressFrom: served.map((s) => ({
            key: s.key,
            securityGroupId: s.loadBalancer.securityGroupId,
            forwards: s.forwards,
            movedFrom: s.loadBalancer.natEgressMovedFrom,
          })),
          // 0.2's rules to and from the VPC CIDR on 443: fleet 0 takes over the endpoints' one.
          endpointRulesMovedFrom: {
            key: 'created' in this.network.endpointSecurityGroups ? 'created' : 'existing',
            ingress: index === 0 ? this.network.endpointIngressMovedFrom : undefined,
          },
          rulesBucket: { name: bucket.bucketName, arn: bucket.arn, region: props.natRulesBucketName ? props.region : bucket.region },
          mss: clampedMss(mtu),
          s3PrefixListIds: this.network.s3PrefixListId ? [this.network.s3PrefixListId] : undefined,
          partition,
          kmsKeyArn: props.kmsKeyArn,
          iam: props.iam,
          securityGroupsPerInterfaceQuota: props.quotas?.security_groups_per_network_interface,
          ...props.natFleet,
        }),
      );
      this.natFleetForwards.push(names);
      this.natFleetTargetGroups.push(targetGroups);
    }
  }
}

/**
 * The largest packet the path to the targets carries: the private VIF's MTU,
 * but only over routes the VGW propagates. AWS sends traffic of static routes
 * to a VGW at 1500 bytes whatever the VIF's MTU, and PrivateLink does no
 * path-MTU discovery, so a larger clamp would drop large segments silently.
 */
export function pathMtu(directConnect: DirectConnectSettings | IResolvable): number {
  if (Token.isUnresolved(directConnect)) return 1500;
  const settings = directConnect as DirectConnectSettings;
  const mtu = settings.privateVif?.mtu;
  if (mtu === undefined || Token.isUnresolved(mtu) || Token.isUnresolved(settings.routing)) return 1500;
  return (settings.routing ?? 'propagate') === 'propagate' ? mtu : 1500;
}

/** The props that take one of a few values, and the rules bucket's name, when plain. */
function checkChoices(props: DxPrivateLinkProviderProps): ValidationError | undefined {
  const plain = isPlainString;
  const acceptance = ['manual', 'auto'] as const;
  return (
    (plain(props.partition) ? checkOneOf('partition', props.partition, PARTITIONS) : undefined) ??
    (plain(props.acceptance) ? checkOneOf('acceptance', props.acceptance, acceptance) : undefined) ??
    props.tenants
      ?.map((t, i) => (plain(t.acceptance) ? checkOneOf(`tenants[${i}].acceptance`, t.acceptance, acceptance) : undefined))
      .find(Boolean) ??
    (plain(props.natFleet?.architecture)
      ? checkOneOf('natFleet.architecture', props.natFleet.architecture, ['arm64', 'x86_64'])
      : undefined) ??
    (plain(props.natRulesBucketName) ? check(RULES.s3BucketName, 'natRulesBucketName', props.natRulesBucketName) : undefined)
  );
}

/** Every tenant's groups, then the tenant's own (list expressions concatenated by Terraform). */
function joinGroups(all: string[] | undefined, own: string[] | undefined): string[] | undefined {
  if (all === undefined || own === undefined) return all ?? own;
  return Token.isUnresolved(all) || Token.isUnresolved(own) ? Fn.concat([all, own]) : [...all, ...own];
}
