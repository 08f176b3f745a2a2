/**
 * The deployed system as a network engineer reads it: subnets and their
 * route tables, routes, security group rules, endpoints, load balancers,
 * Auto Scaling groups and what they launch, IAM roles and their policies.
 * Built from an applied state (applied-state.ts), where every reference
 * between resources is a real id. What the configuration takes as given
 * (an existing VPC's subnets and route tables, an S3 prefix list) is marked
 * external: it is outside what the plan can show.
 */
import type { Deployed, StateResource } from '../applied-state';

type Json = Record<string, any>;

export interface SgRule {
  readonly address: string;
  readonly direction: 'ingress' | 'egress';
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidr?: string;
  readonly prefixList?: string;
  readonly group?: string;
}

export interface Subnet {
  readonly id: string;
  readonly vpc: string;
  readonly cidr: string;
  readonly zone: string;
  /** Not created here: looked up (an existing VPC), or only named by id. */
  readonly external: boolean;
}

export interface Route {
  readonly address: string;
  readonly destination: string;
  readonly gateway: string;
}

export interface Endpoint {
  readonly address: string;
  readonly id: string;
  readonly service: string;
  readonly type: 'Interface' | 'Gateway';
  readonly vpc: string;
  readonly subnets: readonly string[];
  readonly groups: readonly string[];
  readonly privateDns: boolean;
  readonly routeTables: readonly string[];
  readonly prefixList?: string;
  readonly policy?: string;
  /** An existing endpoint, checked by a data source. */
  readonly external: boolean;
}

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly source: string;
}

export class Topology {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly resources: (StateResource & { module?: string })[];

  constructor(deployed: Deployed, context: { region: string; account: string }) {
    this.resources = [...deployed.resources.values()];
    this.region = context.region;
    this.account = context.account;
    this.partition = context.region.startsWith('cn-') ? 'aws-cn' : context.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  }

  /** Managed resources of `type`. */
  of(type: string): (StateResource & { module?: string })[] {
    return this.resources.filter((r) => r.mode === 'managed' && r.type === type);
  }

  data(type: string): (StateResource & { module?: string })[] {
    return this.resources.filter((r) => r.mode === 'data' && r.type === type);
  }

  one(type: string, match: (v: Json) => boolean): (StateResource & { module?: string }) | undefined {
    return this.of(type).find((r) => match(r.values));
  }

  // ---- network -------------------------------------------------------------

  subnet(id: string): Subnet {
    const made = this.one('aws_subnet', (v) => v.id === id);
    if (made) return { id, vpc: made.values.vpc_id, cidr: made.values.cidr_block, zone: made.values.availability_zone, external: false };
    const looked = this.data('aws_subnet').find((r) => r.values.id === id);
    if (looked)
      return { id, vpc: looked.values.vpc_id, cidr: looked.values.cidr_block, zone: looked.values.availability_zone, external: true };
    return { id, vpc: '', cidr: '', zone: '', external: true };
  }

  /** The route table a subnet is associated with; undefined when the association is not part of this deployment. */
  routeTableOf(subnet: string): string | undefined {
    return this.one('aws_route_table_association', (v) => v.subnet_id === subnet)?.values.route_table_id;
  }

  /**
   * Route tables this deployment writes to (propagations, routes, gateway
   * endpoints): for an existing VPC, the tables its config names as those of
   * its subnets.
   */
  routeTablesTouched(): string[] {
    return [
      ...new Set([
        ...this.of('aws_vpn_gateway_route_propagation').map((r) => r.values.route_table_id as string),
        ...this.of('aws_route').map((r) => r.values.route_table_id as string),
        ...this.of('aws_route_table').map((r) => r.values.id as string),
      ]),
    ];
  }

  /** The route tables traffic from `subnet` uses: its association, or (not shown here) the tables the config names. */
  routeTablesFor(subnet: string): { tables: string[]; external: boolean } {
    const table = this.routeTableOf(subnet);
    if (table) return { tables: [table], external: false };
    return { tables: this.routeTablesTouched(), external: true };
  }

  propagatedGateways(table: string): string[] {
    return this.of('aws_vpn_gateway_route_propagation')
      .filter((r) => r.values.route_table_id === table)
      .map((r) => r.values.vpn_gateway_id as string);
  }

  routes(table: string): Route[] {
    return this.of('aws_route')
      .filter((r) => r.values.route_table_id === table)
      .map((r) => ({
        address: r.address,
        destination: r.values.destination_cidr_block,
        gateway: r.values.gateway_id ?? r.values.vpc_endpoint_id ?? r.values.network_interface_id ?? '',
      }));
  }

  /** VPC CIDR of `vpc` when created here. */
  vpcCidr(vpc: string): string | undefined {
    return this.one('aws_vpc', (v) => v.id === vpc)?.values.cidr_block;
  }

  endpoints(): Endpoint[] {
    // Made here (managed) or looked up (data): the same attributes either way.
    const endpoint = (r: { address: string; values: Record<string, any> }, external: boolean): Endpoint => ({
      address: r.address,
      id: r.values.id,
      service: r.values.service_name,
      type: r.values.vpc_endpoint_type,
      vpc: r.values.vpc_id,
      subnets: r.values.subnet_ids ?? [],
      groups: r.values.security_group_ids ?? [],
      privateDns: r.values.private_dns_enabled === true,
      routeTables: r.values.route_table_ids ?? [],
      prefixList: r.values.prefix_list_id ?? undefined,
      policy: r.values.policy ?? undefined,
      external,
    });
    return [...this.of('aws_vpc_endpoint').map((r) => endpoint(r, false)), ...this.data('aws_vpc_endpoint').map((r) => endpoint(r, true))];
  }

  /** Rules of a security group: standalone rule resources and the group's inline rules. */
  rules(group: string): SgRule[] {
    const standalone = (type: string, direction: 'ingress' | 'egress') =>
      this.of(type)
        .filter((r) => r.values.security_group_id === group)
        .map((r) => ({
          address: r.address,
          direction,
          protocol: String(r.values.ip_protocol),
          from: Number(r.values.from_port ?? -1),
          to: Number(r.values.to_port ?? -1),
          cidr: r.values.cidr_ipv4 ?? undefined,
          prefixList: r.values.prefix_list_id ?? undefined,
          group: r.values.referenced_security_group_id ?? undefined,
        }));
    const sg = this.one('aws_security_group', (v) => v.id === group);
    const inline = (direction: 'ingress' | 'egress') =>
      ((sg?.values[direction] ?? []) as Json[]).flatMap((rule) => {
        const base = {
          address: `${sg!.address}.${direction}`,
          direction,
          protocol: String(rule.protocol),
          from: rule.from_port,
          to: rule.to_port,
        };
        return [
          ...(rule.cidr_blocks ?? []).map((cidr: string) => ({ ...base, cidr })),
          ...(rule.prefix_list_ids ?? []).map((prefixList: string) => ({ ...base, prefixList })),
          ...(rule.security_groups ?? []).map((group: string) => ({ ...base, group })),
        ];
      });
    return [
      ...standalone('aws_vpc_security_group_ingress_rule', 'ingress'),
      ...standalone('aws_vpc_security_group_egress_rule', 'egress'),
      ...inline('ingress'),
      ...inline('egress'),
    ];
  }

  // ---- IAM -------------------------------------------------------------------

  /** The role of an instance profile (by the profile's ARN). */
  roleOfProfile(profileArn: string): string | undefined {
    return this.one('aws_iam_instance_profile', (v) => v.arn === profileArn)?.values.role;
  }

  /** Every Allow and Deny statement of a role's inline and attached policies (managed AWS policies by name only). */
  statements(role: string): Statement[] {
    const inline = this.of('aws_iam_role_policy')
      .filter((r) => r.values.role === role)
      .flatMap((r) => parseStatements(r.values.policy, r.address));
    const attached = this.of('aws_iam_role_policy_attachment')
      .filter((r) => r.values.role === role)
      .flatMap((r) => {
        const own = this.one('aws_iam_policy', (v) => v.arn === r.values.policy_arn);
        return own
          ? parseStatements(own.values.policy, own.address)
          : [{ effect: 'Allow' as const, actions: [`(managed policy ${r.values.policy_arn})`], resources: ['*'], source: r.address }];
      });
    return [...inline, ...attached];
  }

  trustedServices(role: string): string[] {
    const r = this.one('aws_iam_role', (v) => v.name === role || v.arn === role);
    if (!r) return [];
    const doc = JSON.parse(r.values.assume_role_policy ?? '{}');
    return [doc.Statement ?? []]
      .flat()
      .filter((s: Json) => s.Effect === 'Allow' && [s.Action].flat().includes('sts:AssumeRole'))
      .flatMap((s: Json) => [s.Principal?.Service ?? []].flat());
  }
}

function parseStatements(policy: string | undefined, source: string): Statement[] {
  if (!policy) return [];
  const doc = JSON.parse(policy);
  return [doc.Statement ?? []].flat().map((s: Json) => ({
    effect: s.Effect,
    actions: [s.Action ?? []].flat(),
    resources: [s.Resource ?? []].flat(),
    source,
  }));
}

/** Whether IAM pattern `pattern` (with * and ?) matches `value`, case-sensitively as for resources (actions: case-insensitive). */
export function iamMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const esc = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${esc}$`, caseInsensitive ? 'i' : '').test(value);
}

/** Whether the statements allow `action` on `resource`: an Allow matches, and no Deny does. */
export function allows(statements: readonly Statement[], action: string, resource: string): { ok: boolean; by?: string } {
  const hit = (s: Statement) => s.actions.some((a) => iamMatch(a, action, true)) && s.resources.some((r) => iamMatch(r, resource));
  const deny = statements.find((s) => s.effect === 'Deny' && hit(s));
  if (deny) return { ok: false, by: deny.source };
  const allow = statements.find((s) => s.effect === 'Allow' && hit(s));
  return allow ? { ok: true, by: allow.source } : { ok: false };
}

// ---- addresses ----------------------------------------------------------------

const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** Whether `cidr` holds the address or the whole of the CIDR `inner`. */
export function cidrContains(cidr: string, inner: string): boolean {
  const [net, bits] = cidr.split('/');
  const [addr, innerBits] = inner.split('/');
  const n = Number(bits);
  if (innerBits !== undefined && Number(innerBits) < n) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (toInt(net) & mask) >>> 0 === (toInt(addr) & mask) >>> 0;
}
