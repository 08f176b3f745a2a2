import { Construct } from 'constructs';
import { ITerraformDependable, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ForwardSet } from './forward-set';
import { refuseTemplates } from './props-check';
import { instanceAddress, recordMove } from './moved';
import { targetPath } from './private/rules';

/** Traffic from one NLB: its security group and the forwards it serves. */
export interface NatIngressSource {
  /** Stable key (part of resource addresses); '' for the only source. */
  readonly key: string;
  readonly securityGroupId: string;
  /** The forwards of that NLB; those of this fleet's NAT path get a rule. */
  readonly forwards: ForwardSet;
  /**
   * Address of the NLB's own egress rules to the NAT instances before 0.3
   * (for_each by forward name, by CIDR): moved to this fleet's rules, which
   * replace them create-before-destroy, so no NAT path is ever missing.
   * @default - nothing moved
   */
  readonly movedFrom?: string;
}

export interface NatSecurityGroupProps {
  /** Name of the fleet, and of the group. */
  readonly fleetName: string;
  readonly vpcId: string;
  /**
   * Security groups of the interface endpoints the instances call (Auto
   * Scaling, Session Manager), keyed by names known at plan: out to each on
   * 443, and each admits this group on 443.
   */
  readonly endpointSecurityGroups: Readonly<Record<string, string>>;
  /** The fleet's forwards; those whose path is `nat` get rules. */
  readonly forwards: ForwardSet;
  /** The NLBs that send to the fleet: ingress only from their security groups, on their forwards' ports. */
  readonly ingressFrom: readonly NatIngressSource[];
  /** Prefix list of the S3 gateway endpoint (a list of zero or one). */
  readonly s3PrefixListIds?: string[];
  /**
   * Rules of 0.2 this group's rules to the endpoints' group of `key`
   * replace, create-before-destroy: its single egress rule to the VPC CIDR
   * on 443 (same address, no key), and `ingress`, the address of the rule
   * by which the endpoints' group admitted the VPC CIDR.
   * @default - nothing moved
   */
  readonly endpointRulesMovedFrom?: { readonly key: string; readonly ingress?: string };
}

/**
 * The NAT instances' security group: in, each forward's listen port from the
 * security group of the NLB that serves it (and out of that NLB's group to
 * this one, the matching rule), and ICMP "fragmentation needed";
 * out, each forward's target address and port, the interface endpoints'
 * security groups and the S3 gateway endpoint, on 443. Nothing else. It also
 * adds to each endpoint's group the rule that admits it.
 */
export class NatSecurityGroup extends Construct {
  public readonly securityGroupId: string;
  /** Every rule of the group (and of the endpoints' groups for it): the instances need them at their first boot. */
  public readonly rules: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: NatSecurityGroupProps) {
    super(scope, id);
    refuseTemplates(props);
    const tags = { Name: props.fleetName };
    const fleetForwards = props.forwards.ref;
    const sg = new SecurityGroup(this, 'sg', {
      name: props.fleetName,
      description: 'dx-privatelink NAT instances: forward ports from the NLBs, out to the targets only',
      vpcId: props.vpcId,
      tags,
    });
    // In: each NLB's forwards of this fleet, from that NLB's security group
    // only (one rule per target group: at most 50 per fleet).
    for (const source of props.ingressFrom) {
      const it = TerraformIterator.fromMap(
        Token.asAnyMap(`\${{ for k, f in ${source.forwards.ref} : k => f if f.path == "nat" && contains(keys(${fleetForwards}), k) }}`),
      );
      const rule = new VpcSecurityGroupIngressRule(this, source.key ? `sg-ingress-${source.key}` : 'sg-ingress', {
        forEach: it,
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: it.getNumber('listen_port'),
        toPort: it.getNumber('listen_port'),
        referencedSecurityGroupId: source.securityGroupId,
        description: 'forward ${each.key} from its NLB',
      });
      // The same forwards out of that NLB's group, to this group only.
      const out = TerraformIterator.fromMap(
        Token.asAnyMap(`\${{ for k, f in ${source.forwards.ref} : k => f if f.path == "nat" && contains(keys(${fleetForwards}), k) }}`),
      );
      const nlbOut = new VpcSecurityGroupEgressRule(this, source.key ? `nlb-egress-${source.key}` : 'nlb-egress', {
        forEach: out,
        securityGroupId: source.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: out.getNumber('listen_port'),
        toPort: out.getNumber('listen_port'),
        referencedSecurityGroupId: sg.id,
        description: `forward \${each.key} to the NAT instances of ${props.fleetName}`,
        lifecycle: { createBeforeDestroy: true },
      });
      if (source.movedFrom) {
        const names = source.forwards.plain && props.forwards.plain;
        if (names) {
          for (const [name, f] of Object.entries(source.forwards.plain!))
            if (name in props.forwards.plain! && targetPath(f.targetIp) === 'nat')
              recordMove(this, `${source.movedFrom}[${JSON.stringify(name)}]`, instanceAddress(nlbOut, name));
        } else recordMove(this, source.movedFrom, instanceAddress(nlbOut));
      }
      this.rules.push(rule, nlbOut);
    }
    // Path-MTU discovery towards the brokers: "fragmentation needed" from any
    // router on the way (ICMP type 3 code 4 only).
    new VpcSecurityGroupIngressRule(this, 'sg-ingress-frag-needed', {
      securityGroupId: sg.id,
      ipProtocol: 'icmp',
      fromPort: 3,
      toPort: 4,
      cidrIpv4: '0.0.0.0/0',
      description: 'ICMP fragmentation needed (path-MTU discovery)',
    });
    const targets = props.forwards.portRules(this, 'sg-egress-target', {
      forwards: 'nat',
      direction: 'egress',
      securityGroupId: sg.id,
      port: 'target_port',
      cidr: '${each.value.target_ip}/32',
      description: 'forward ${each.key} to its target',
    });
    this.rules.push(targets);
    // The interface endpoints (Auto Scaling at boot, Session Manager): out to
    // their groups only, and admitted by them, on 443.
    const endpointGroups = new TerraformLocal(this, 'endpoint-sgs', props.endpointSecurityGroups).fqn;
    const out = TerraformIterator.fromMap(Token.asStringMap(endpointGroups));
    const egress = new VpcSecurityGroupEgressRule(this, 'sg-egress-endpoints', {
      forEach: out,
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: out.value,
      description: 'interface endpoints of AWS APIs (Auto Scaling, Session Manager)',
      lifecycle: { createBeforeDestroy: true },
    });
    const into = TerraformIterator.fromMap(Token.asStringMap(endpointGroups));
    const admitted = new VpcSecurityGroupIngressRule(this, 'sg-endpoint-ingress', {
      forEach: into,
      securityGroupId: into.value,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: sg.id,
      description: `HTTPS from the NAT instances of ${props.fleetName}`,
      lifecycle: { createBeforeDestroy: true },
    });
    const moved = props.endpointRulesMovedFrom;
    if (moved) recordMove(this, instanceAddress(egress), instanceAddress(egress, moved.key));
    if (moved?.ingress) recordMove(this, moved.ingress, instanceAddress(admitted, moved.key));
    this.rules.push(egress, admitted);
    if (props.s3PrefixListIds) {
      // A list, so that "none" (a module variable left null) and "one, not yet
      // created" (the VPC's own endpoint) both give a count known at plan time.
      const lists = new TerraformLocal(this, 's3-prefix-lists', props.s3PrefixListIds).fqn;
      const s3 = new VpcSecurityGroupEgressRule(this, 'sg-egress-s3', {
        count: Token.asNumber(`\${length(${lists})}`),
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        prefixListId: `\${${lists}[count.index]}`,
        description: 'NAT rules and Amazon Linux 2023 repositories through the S3 gateway endpoint',
      });
      this.rules.push(s3);
    }
    this.securityGroupId = sg.id;
  }
}
