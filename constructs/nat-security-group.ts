import { Construct } from 'constructs';
import { TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ForwardSet } from './forward-set';
import { refuseTemplates } from './props-check';

/** Traffic from one NLB: its security group and the forwards it serves. */
export interface NatIngressSource {
  /** Stable key (part of resource addresses); '' for the only source. */
  readonly key: string;
  readonly securityGroupId: string;
  /** The forwards of that NLB; those of this fleet's NAT path get a rule. */
  readonly forwards: ForwardSet;
}

export interface NatSecurityGroupProps {
  /** Name of the fleet, and of the group. */
  readonly fleetName: string;
  readonly vpcId: string;
  /** The VPC CIDR: the SSM interface endpoints are reached in it on 443. */
  readonly vpcCidr: string;
  /** The fleet's forwards; those whose path is `nat` get rules. */
  readonly forwards: ForwardSet;
  /** The NLBs that send to the fleet: ingress only from their security groups, on their forwards' ports. */
  readonly ingressFrom: readonly NatIngressSource[];
  /** Prefix list of the S3 gateway endpoint (a list of zero or one). */
  readonly s3PrefixListIds?: string[];
}

/**
 * The NAT instances' security group: in, each forward's listen port from the
 * security group of the NLB that serves it, and ICMP "fragmentation needed";
 * out, each forward's target address and port, the SSM endpoints in the VPC
 * and the S3 gateway endpoint. Nothing else.
 */
export class NatSecurityGroup extends Construct {
  public readonly securityGroupId: string;

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
      new VpcSecurityGroupIngressRule(this, source.key ? `sg-ingress-${source.key}` : 'sg-ingress', {
        forEach: it,
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: it.getNumber('listen_port'),
        toPort: it.getNumber('listen_port'),
        referencedSecurityGroupId: source.securityGroupId,
        description: 'forward ${each.key} from its NLB',
      });
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
    props.forwards.portRules(this, 'sg-egress-target', {
      forwards: 'nat',
      direction: 'egress',
      securityGroupId: sg.id,
      port: 'target_port',
      cidr: '${each.value.target_ip}/32',
      description: 'forward ${each.key} to its target',
    });
    new VpcSecurityGroupEgressRule(this, 'sg-egress-endpoints', {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
      description: 'SSM interface endpoints in the VPC',
    });
    if (props.s3PrefixListIds) {
      // A list, so that "none" (a module variable left null) and "one, not yet
      // created" (the VPC's own endpoint) both give a count known at plan time.
      const lists = new TerraformLocal(this, 's3-prefix-lists', props.s3PrefixListIds).fqn;
      new VpcSecurityGroupEgressRule(this, 'sg-egress-s3', {
        count: Token.asNumber(`\${length(${lists})}`),
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        prefixListId: `\${${lists}[count.index]}`,
        description: 'NAT rules and Amazon Linux 2023 repositories through the S3 gateway endpoint',
      });
    }
    this.securityGroupId = sg.id;
  }
}
