import { Construct } from 'constructs';
import { IResolvable, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DIRECT_TARGET_PATTERN } from './private/ipv4';
import { refuseTemplates } from './props-check';
import { RULES, ValidationError, check, findDuplicate } from './private/rules';

/** One forward: connections to `listenPort` on the NLB reach `targetIp:targetPort`. */
export interface ForwardSpec {
  /** TCP port the NLB listens on (and the NAT instances, for public targets). */
  readonly listenPort: number;
  /** IPv4 address of the endpoint behind Direct Connect. */
  readonly targetIp: string;
  /** TCP port of the endpoint. */
  readonly targetPort: number;
  /**
   * NLB TCP idle timeout for this forward's connections, in seconds.
   * @default 350
   */
  readonly tcpIdleTimeoutSeconds?: number;
  /**
   * Pin the forward to this NLB shard of its tenant (see TenantService).
   * @default - the lowest shard with room, in list order
   */
  readonly shard?: number;
  /**
   * Pin a public-target forward to this NAT fleet (see DxPrivateLinkProvider).
   * @default - the lowest fleet with room, in list order
   */
  readonly fleet?: number;
}

export interface ForwardSetProps {
  /**
   * The forwards keyed by name, as plain values (validated here) or as a
   * Terraform expression of type
   * `map(object({ listen_port = number, target_ip = string, target_port = number, tcp_idle_timeout_seconds = number }))`.
   */
  readonly forwards: Record<string, ForwardSpec> | IResolvable;
}

/** A security group rule per forward: one TCP port of each forward, from or to one CIDR. */
export interface ForwardPortRule {
  /** Which forwards: all of them, or those of one path. */
  readonly forwards: 'all' | 'nat' | 'direct';
  readonly direction: 'ingress' | 'egress';
  readonly securityGroupId: string;
  /** The forward's port the rule opens. */
  readonly port: 'listen_port' | 'target_port';
  /** Source (ingress) or destination (egress); `${each.value.target_ip}/32` for the forward's own target. */
  readonly cidr: string;
  /** Rule description; `${each.key}` is the forward's name. */
  readonly description: string;
}

/** NLB default TCP idle timeout, in seconds. */
export const DEFAULT_TCP_IDLE_TIMEOUT = 350;

/**
 * The forwards as one Terraform local keyed by name, each with its `path`:
 * `"nat"` for public targets (through the NAT fleet) or `"direct"` for
 * RFC 1918 / RFC 6598 targets (NLB IP targets). Every per-forward resource
 * uses `for_each` over this map, so removing one forward touches only its own
 * resources. The path is computed by Terraform, so tokens and plain values
 * take the same code path.
 */
export class ForwardSet extends Construct {
  /** `map(object)` of every forward, with `path` added. */
  public readonly all: IResolvable;
  /** The forwards whose targets go through the NAT fleet. */
  public readonly nat: IResolvable;
  /** The forwards the NLB reaches directly as IP targets. */
  public readonly direct: IResolvable;
  /** The local's address (`local.…`), for use inside raw Terraform expressions. */
  public readonly ref: string;
  /** Every target address (a Terraform list), e.g. for static routes. */
  public readonly targetIps: string[];
  /** Plain forwards when known at synth time (for summaries and eager checks). */
  public readonly plain?: Readonly<Record<string, ForwardSpec>>;

  constructor(scope: Construct, id: string, props: ForwardSetProps) {
    super(scope, id);
    refuseTemplates(props);
    let input: IResolvable;
    if (Token.isUnresolved(props.forwards)) {
      input = props.forwards as IResolvable;
    } else {
      const plain = props.forwards as Record<string, ForwardSpec>;
      validateForwards(plain);
      this.plain = plain;
      const rendered = Object.fromEntries(
        Object.entries(plain).map(([name, f]) => [
          name,
          {
            listen_port: f.listenPort,
            target_ip: f.targetIp,
            target_port: f.targetPort,
            tcp_idle_timeout_seconds: f.tcpIdleTimeoutSeconds ?? DEFAULT_TCP_IDLE_TIMEOUT,
          },
        ]),
      );
      input = new TerraformLocal(this, 'input', rendered).asAnyMap as unknown as IResolvable;
    }
    const withPath = TerraformIterator.fromMap(input as never).forExpressionForMap(
      'key',
      `merge(val, { path = can(regex("${DIRECT_TARGET_PATTERN}", val.target_ip)) ? "direct" : "nat" })`,
    );
    const all = new TerraformLocal(this, 'forwards', withPath);
    this.all = all.asAnyMap as unknown as IResolvable;
    this.ref = all.fqn;
    this.targetIps = Token.asList(`\${distinct([for f in values(${all.fqn}) : f.target_ip])}`);
    this.nat = this.filter('nat');
    this.direct = this.filter('direct');
  }

  /** An iterator over every forward, for `forEach`. */
  public iterateAll(): TerraformIterator {
    return TerraformIterator.fromMap(this.all as never);
  }

  /** One security group rule per forward (`for_each`, keyed by forward name). */
  public portRules(scope: Construct, id: string, rule: ForwardPortRule): VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule {
    const it = rule.forwards === 'all' ? this.iterateAll() : TerraformIterator.fromMap(this[rule.forwards] as never);
    const config = {
      forEach: it,
      securityGroupId: rule.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: it.getNumber(rule.port),
      toPort: it.getNumber(rule.port),
      cidrIpv4: rule.cidr,
      description: rule.description,
    };
    return rule.direction === 'ingress'
      ? new VpcSecurityGroupIngressRule(scope, id, config)
      : new VpcSecurityGroupEgressRule(scope, id, config);
  }

  private filter(path: 'nat' | 'direct'): IResolvable {
    return TerraformIterator.fromMap(this.all as never).forExpressionForMap('key', `val if val.path == "${path}"`);
  }
}

/** Eager checks of plain forwards; the message names the forward and field. */
export function validateForwards(forwards: Record<string, ForwardSpec>): void {
  const entries = Object.entries(forwards);
  if (entries.length === 0) {
    throw new ValidationError('forwards', {}, 'is empty', 'give at least one forward');
  }
  for (const [name, f] of entries) {
    const problem =
      check(RULES.forwardName, `forwards.${name}`, name) ??
      check(RULES.port, `forwards.${name}.listenPort`, f.listenPort) ??
      check(RULES.port, `forwards.${name}.targetPort`, f.targetPort) ??
      check(RULES.targetIp, `forwards.${name}.targetIp`, f.targetIp) ??
      (f.tcpIdleTimeoutSeconds === undefined
        ? undefined
        : check(RULES.tcpIdleTimeout, `forwards.${name}.tcpIdleTimeoutSeconds`, f.tcpIdleTimeoutSeconds));
    if (problem) throw problem;
  }
  const dup = findDuplicate(
    entries,
    ([, f]) => f.listenPort,
    (i) => `forwards.${entries[i][0]}.listenPort`,
    'listen port',
  );
  if (dup) throw dup;
}
