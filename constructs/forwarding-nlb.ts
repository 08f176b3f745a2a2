import { Construct } from 'constructs';
import { IResolvable, TerraformIterator, Token } from 'cdktf';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ForwardSet } from './forward-set';
import { isPlain, refuseTemplates, withExtraGroups } from './props-check';
import { checkSecurityGroupIds } from './private/locked-down';
import { MAX_LISTENERS_PER_NLB, ValidationError } from './private/rules';

/** Every target group's TCP health check: a target is healthy after 3 passes 10 s apart. */
export const TARGET_HEALTH_CHECK = { interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 } as const;

export interface ForwardingNlbProps {
  /** Prefix of resource names (at most 20 characters). */
  readonly name: string;
  readonly vpcId: string;
  /** One subnet per availability zone, at least two. */
  readonly subnetIds: string[];
  readonly forwards: ForwardSet;
  /**
   * Seconds a target keeps receiving in-flight connections after deregistration.
   * @default 300
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * AWS refuses to delete the load balancer until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * The account's own security groups, on the NLB beside its own group (a
   * list expression is taken as it is). Changed in place: an NLB created
   * with a security group takes any list later.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
   * @default - none
   */
  readonly securityGroupIds?: string[];
}

/**
 * An internal, cross-zone Network Load Balancer with one TCP listener and
 * target group per forward (keyed by forward name). Public targets are
 * served by the NAT fleet (instance targets, registered by its Auto Scaling
 * group); RFC 1918 / RFC 6598 targets are IP targets in zone `all`. Health
 * checks use the traffic port; established sessions are kept through a
 * health flap.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html
 */
export class ForwardingNlb extends Construct {
  public readonly loadBalancerArn: string;
  /** `net/<name>/<id>`: the `LoadBalancer` dimension of its CloudWatch metrics. */
  public readonly loadBalancerArnSuffix: string;
  /** DNS name of the NLB. */
  public readonly loadBalancerDnsName: string;
  /** Name of the load balancer, `<name>-nlb`. */
  public readonly loadBalancerName: string;
  public readonly securityGroupId: string;
  /** The forwards it listens for, one listener and target group each. */
  public readonly forwards: ForwardSet;
  /** Address of the target groups (`for_each` over the forwards), for Terraform expressions. */
  public readonly targetGroupFqn: string;
  /**
   * Address of this NLB's own egress rules to the NAT instances in 0.2 (by
   * VPC CIDR, for_each by forward name): the NAT fleets' rules take them over.
   */
  public readonly natEgressMovedFrom: string;

  constructor(scope: Construct, id: string, props: ForwardingNlbProps) {
    super(scope, id);
    refuseTemplates(props);
    const forwards = props.forwards;
    const count = forwards.plain ? Object.keys(forwards.plain).length : 0;
    if (count > MAX_LISTENERS_PER_NLB) {
      throw new ValidationError(
        'forwards',
        `${count} forwards`,
        `has more than ${MAX_LISTENERS_PER_NLB} entries for one NLB`,
        `an NLB takes at most ${MAX_LISTENERS_PER_NLB} listeners; use TenantService, which splits forwards across NLBs`,
      );
    }
    const groupsProblem = checkSecurityGroupIds(props.securityGroupIds, 'securityGroupIds', undefined, isPlain);
    if (groupsProblem) throw groupsProblem;
    const lbName = `${props.name}-nlb`;
    if (!Token.isUnresolved(props.name) && lbName.length > 32) {
      throw new ValidationError(
        'name',
        props.name,
        `makes the load balancer name ${lbName} longer than 32 characters`,
        'shorten the name prefix or the tenant name',
      );
    }

    // (A group's description cannot change without replacing it: it keeps its first words.)
    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.name}-nlb`,
      description: 'dx-privatelink NLB: forward ports from the VPC, out to the NAT fleet and direct targets',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-nlb` },
    });
    // No ingress rule: PrivateLink traffic is not filtered by the NLB's
    // security groups (enforcement is off below), health checks go out, and
    // nothing else in the VPC (a shared one, with other tenants' NLBs) has
    // any business connecting to it directly.
    // Out: direct forwards to their target address and port only. (The
    // egress to the NAT instances is the NAT fleet's: NatSecurityGroup adds
    // it, to the fleet's own group, with the ingress that matches it.)
    forwards.portRules(this, 'sg-egress-direct', {
      forwards: 'direct',
      direction: 'egress',
      securityGroupId: sg.id,
      port: 'target_port',
      cidr: '${each.value.target_ip}/32',
      description: 'forward ${each.key} (direct)',
    });

    const lb = new Lb(this, 'Default', {
      name: lbName,
      internal: true,
      loadBalancerType: 'network',
      subnets: props.subnetIds,
      // Never empty: an NLB created without a group could never take one.
      securityGroups: withExtraGroups(sg.id, props.securityGroupIds),
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      // PrivateLink traffic arrives from the NLB's own addresses; the
      // endpoint service's allowed principals and the consumers' endpoint
      // security groups decide who may connect.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
      tags: { Name: `${props.name}-nlb` },
    });

    const tgIt = forwards.iterateAll();
    const targetGroup = new LbTargetGroup(this, 'target-group', {
      forEach: tgIt,
      namePrefix: 'dxpl-',
      vpcId: props.vpcId,
      protocol: 'TCP',
      targetType: '${each.value.path == "nat" ? "instance" : "ip"}',
      // NAT instances listen on the forward's own port and translate it.
      port: Token.asNumber('${each.value.path == "nat" ? each.value.listen_port : each.value.target_port}'),
      preserveClientIp: 'false',
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 300),
      // A NAT instance that leaves (scale-in, refresh) resets its connections
      // at the end of the delay, so clients reconnect at once instead of
      // waiting on a silent path. IP targets only leave with their forward.
      connectionTermination: Token.asAny('${each.value.path == "nat"}') as unknown as boolean,
      healthCheck: { protocol: 'TCP', port: 'traffic-port', ...TARGET_HEALTH_CHECK },
      targetHealthState: [{ enableUnhealthyConnectionTermination: false }],
      tags: { Name: `${props.name}-\${each.key}`, forward: '${each.key}' },
      lifecycle: { createBeforeDestroy: true },
    });
    const tgArn = `\${${targetGroup.fqn}[each.key].arn}`;

    const listenerIt = forwards.iterateAll();
    new LbListener(this, 'listener', {
      forEach: listenerIt,
      loadBalancerArn: lb.arn,
      protocol: 'TCP',
      port: listenerIt.getNumber('listen_port'),
      tcpIdleTimeoutSeconds: listenerIt.getNumber('tcp_idle_timeout_seconds'),
      defaultAction: [{ type: 'forward', targetGroupArn: tgArn }],
      tags: { Name: `${props.name}-\${each.key}`, forward: '${each.key}' },
    });

    new LbTargetGroupAttachment(this, 'direct-target', {
      forEach: TerraformIterator.fromMap(forwards.direct as never),
      targetGroupArn: tgArn,
      targetId: '${each.value.target_ip}',
      port: Token.asNumber('${each.value.target_port}'),
      availabilityZone: 'all',
    });

    this.loadBalancerArn = lb.arn;
    this.loadBalancerArnSuffix = lb.arnSuffix;
    this.loadBalancerDnsName = lb.dnsName;
    this.loadBalancerName = lbName;
    this.securityGroupId = sg.id;
    this.forwards = forwards;
    this.targetGroupFqn = targetGroup.fqn;
    this.natEgressMovedFrom = `aws_vpc_security_group_egress_rule.${sg.friendlyUniqueId}_egress_nat`;
  }

  /**
   * The target groups of the named forwards of this NLB (or, without names, of every
   * NAT forward) by forward name, each as `{ arn, arn_suffix }`, in a
   * Terraform map whose keys are known at plan.
   */
  public targetGroupMap(names?: readonly string[]): IResolvable {
    const unknown = names?.find((n) => this.forwards.plain !== undefined && !(n in this.forwards.plain));
    if (unknown !== undefined) throw new Error(`targetGroupMap: ${unknown} is not a forward of ${this.loadBalancerName}`);
    // Every reference comes before the first "}": cdktf reads any "}" as the end of the expression.
    const which = names ? JSON.stringify(names) : `[for name, f in ${this.forwards.ref} : name if f.path == "nat"]`;
    const tg = this.targetGroupFqn;
    return Token.asAny(
      `\${{ for name in ${which} : name => { arn = ${tg}[name].arn, arn_suffix = ${tg}[name].arn_suffix } }}`,
    ) as IResolvable;
  }
}
