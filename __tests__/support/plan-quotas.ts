/**
 * Reads, from a real `terraform plan` (JSON), how much of each AWS quota a
 * stack uses, per resource that the quota applies to. Values Terraform
 * knows at plan time are read directly; where one is not known yet (the
 * id of a group a rule belongs to), the configuration's references say
 * which resource it is. Independent of the synth-time checks it verifies.
 */
import { QuotaKey } from '../../constructs/private/quotas';
import { Plan } from './terraform';

export interface QuotaUse {
  readonly quota: QuotaKey;
  /** What the quota applies to: a load balancer, a security group, an Auto Scaling group, ... */
  readonly resource: string;
  readonly count: number;
}

interface Change {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  change: { after: Record<string, any>; after_unknown: Record<string, any> };
}

interface ConfigResource {
  address: string;
  type: string;
  name: string;
  expressions: Record<string, any>;
  for_each_expression?: { references?: string[] };
}

/** The resource (`type.name`) an expression of the configuration refers to. */
function referenced(expression: { references?: string[] } | undefined): string | undefined {
  return expression?.references?.find((r) => /^[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(r));
}

function tally(uses: QuotaUse[], quota: QuotaKey, keys: Iterable<string>): void {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const [resource, count] of counts) uses.push({ quota, resource, count });
}

export function quotaUsesOfPlan(plan: Plan): QuotaUse[] {
  const changes = (plan.json.resource_changes as unknown as Change[]).filter((c) => c.change.after !== null);
  const config = new Map(
    ((plan.json.configuration as { root_module: { resources?: ConfigResource[] } }).root_module.resources ?? []).map((r) => [r.address, r]),
  );
  const of = (type: string) => changes.filter((c) => c.type === type);
  const configOf = (c: Change) => config.get(`${c.type}.${c.name}`)!;
  const uses: QuotaUse[] = [];

  for (const lt of of('aws_launch_template')) {
    if (typeof lt.change.after.user_data === 'string') {
      uses.push({ quota: 'user_data_bytes', resource: lt.address, count: Buffer.from(lt.change.after.user_data, 'base64').length });
    }
  }
  tally(
    uses,
    'target_groups_per_auto_scaling_group',
    of('aws_autoscaling_attachment').map((a) => String(a.change.after.autoscaling_group_name)),
  );
  // Listeners by the load balancer they refer to.
  const listeners = of('aws_lb_listener');
  tally(
    uses,
    'listeners_per_nlb',
    listeners.map((l) => referenced(configOf(l).expressions.load_balancer_arn)!),
  );
  // Targets per load balancer: its NAT target groups × the most instances of
  // the fleet attached to each, plus its IP targets.
  const maxSize = new Map(of('aws_autoscaling_group').map((a) => [String(a.change.after.name), Number(a.change.after.max_size)]));
  const attachedTo = new Map<string, number>();
  for (const a of of('aws_autoscaling_attachment')) {
    // lb_target_group_arn is each.value: the target group is what for_each iterates
    const group = referenced(configOf(a).for_each_expression)!;
    attachedTo.set(`${group}[${a.index}]`, maxSize.get(String(a.change.after.autoscaling_group_name)) ?? 0);
  }
  const ipTargets = new Map<string, number>();
  for (const t of of('aws_lb_target_group_attachment')) {
    const group = referenced(configOf(t).expressions.target_group_arn)!;
    ipTargets.set(`${group}[${t.index}]`, (ipTargets.get(`${group}[${t.index}]`) ?? 0) + 1);
  }
  const targets = new Map<string, number>();
  for (const l of listeners) {
    const lb = referenced(configOf(l).expressions.load_balancer_arn)!;
    const group = referenced(configOf(l).expressions.default_action?.[0]?.target_group_arn)!;
    const key = `${group}[${l.index}]`;
    targets.set(lb, (targets.get(lb) ?? 0) + (attachedTo.get(key) ?? 0) + (ipTargets.get(key) ?? 0));
  }
  for (const [resource, count] of targets) uses.push({ quota: 'targets_per_nlb', resource, count });
  // Rules per security group and direction. A group made per endpoint
  // (for_each) is named by the first word of the rule's key.
  for (const [type, direction] of [
    ['aws_vpc_security_group_ingress_rule', 'inbound'],
    ['aws_vpc_security_group_egress_rule', 'outbound'],
  ] as const) {
    tally(
      uses,
      'security_group_rules_per_direction',
      of(type).map((r) => {
        const group = referenced(configOf(r).expressions.security_group_id)!;
        const perInstance = changes.some((c) => `${c.type}.${c.name}` === group && c.index !== undefined);
        return `${group}${perInstance ? `[${String(r.index).split(' ')[0]}]` : ''} ${direction}`;
      }),
    );
  }
  tally(
    uses,
    'routes_per_route_table',
    of('aws_route').map((r) => String(r.change.after.route_table_id ?? String(r.index).split(' ')[0])),
  );
  tally(
    uses,
    'load_balancers_per_region',
    of('aws_lb').map(() => 'the region'),
  );
  tally(
    uses,
    'target_groups_per_region',
    of('aws_lb_target_group').map(() => 'the region'),
  );
  tally(
    uses,
    'auto_scaling_groups_per_region',
    of('aws_autoscaling_group').map(() => 'the region'),
  );
  tally(
    uses,
    'interface_endpoints_per_vpc',
    of('aws_vpc_endpoint')
      .filter((e) => e.change.after.vpc_endpoint_type === 'Interface')
      .map((e) => String(e.change.after.vpc_id)),
  );
  // Records of a private zone, with its SOA and NS.
  const records = of('aws_route53_record');
  if (records.length > 0) uses.push({ quota: 'records_per_hosted_zone', resource: 'the private zone', count: records.length + 2 });
  for (const p of of('aws_s3_bucket_policy')) {
    if (typeof p.change.after.policy === 'string')
      uses.push({ quota: 'bucket_policy_bytes', resource: p.address, count: Buffer.byteLength(p.change.after.policy) });
  }
  return uses;
}
