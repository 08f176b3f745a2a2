/**
 * Reads the alarms, notifications, dashboard and flow logs of a real
 * `terraform plan` (JSON) and checks each alarm's dimensions against the
 * resources it watches: the target group and load balancer a listener
 * joins, the Auto Scaling group the target groups are attached to, the
 * connection the VIF is on. Values Terraform knows at plan time are read
 * from the plan; references (an ARN suffix is only known after apply) from
 * the plan's configuration and, for locals, the synthesized JSON. A module
 * written as HCL gives no constant_value for a template in the plan's
 * configuration, as the JSON syntax does: its JSON document gives them.
 * Independent of the constructs it verifies: it knows only the alarm name
 * suffixes and figures from constructs/private/alarms.ts.
 */
import { ALARMS, AlarmKey, AlarmSetting, ENDPOINT_CONNECTION_EVENTS, FLEET_NOTIFICATIONS } from '../../constructs/private/alarms';
import { Plan } from './terraform';

interface Change {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  change: { actions: string[]; after: Record<string, any> | null; after_unknown: Record<string, any> };
}

interface Expression {
  constant_value?: any;
  references?: string[];
}

interface ConfigResource {
  address: string;
  type: string;
  name: string;
  expressions: Record<string, any>;
  for_each_expression?: Expression;
  count_expression?: Expression;
}

export interface PlannedAlarm {
  readonly address: string;
  readonly name: string;
  readonly kind: AlarmKey;
}

export interface MonitoringOfPlan {
  readonly alarms: PlannedAlarm[];
  /** Resource counts by type: the SNS topic, notifications, dashboard, flow logs. */
  readonly counts: Record<string, number>;
  /** Every mismatch between an alarm or notification and what it watches; empty when all hold. */
  readonly problems: string[];
}

const KINDS = Object.keys(ALARMS) as AlarmKey[];

function kindOf(name: string): AlarmKey | undefined {
  return KINDS.find((k) => name.endsWith(`-${ALARMS[k].suffix}`));
}

/** `${aws_lb.x.arn_suffix}` → `aws_lb.x` for the given type and attribute, or undefined. */
function target(value: unknown, type: string, attribute: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = new RegExp(`^\\$\\{(${type}\\.[A-Za-z0-9_-]+)(\\[each\\.key\\])?\\.${attribute}\\}$`).exec(value);
  return m?.[1];
}

function sameKeys(a: Iterable<unknown>, b: Iterable<unknown>): boolean {
  const x = [...a].map(String).sort();
  const y = [...b].map(String).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module: ConfigModule }>;
}

/** The resources of a module and the modules it calls, by address within their module. */
function configResources(module: ConfigModule): ConfigResource[] {
  return [...(module.resources ?? []), ...Object.values(module.module_calls ?? {}).flatMap((c) => configResources(c.module))];
}

/** Sets each expression's constant_value, where the configuration has none, to the JSON document's value at its place. */
function withConstants(expr: unknown, json: unknown): void {
  if (json === undefined || expr === null || typeof expr !== 'object') return;
  if (Array.isArray(expr)) {
    const items = Array.isArray(json) ? json : [json];
    expr.forEach((e, i) => withConstants(e, items[i]));
  } else if ('references' in expr || 'constant_value' in expr) {
    if (!('constant_value' in expr)) (expr as Expression).constant_value = json;
  } else {
    for (const [k, e] of Object.entries(expr)) withConstants(e, (json as Record<string, unknown>)[k]);
  }
}

/** An expression's references, and those of the locals it refers to (as the JSON document holds them). */
function referencesThroughLocals(expr: Expression | undefined, stack: MonitoredStack): string[] {
  const refs = expr?.references ?? [];
  const ofLocals = refs
    .filter((r) => r.startsWith('local.'))
    .flatMap((r) =>
      [...JSON.stringify(stack.locals?.[r.slice('local.'.length)] ?? '').matchAll(/\baws_[a-z0-9_]+\.[A-Za-z0-9_-]+/g)].map((m) => m[0]),
    );
  return [...refs, ...ofLocals];
}

/** The Terraform JSON the plan was made from: its locals and resources. */
export interface MonitoredStack {
  readonly locals?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, unknown>>;
}

/**
 * `stack` is the synthesized JSON holding the locals: a cdktf stack's
 * cdk.tf.json, or the module's JSON document (moduleDocument()) when the
 * plan calls the module (once).
 */
export function monitoringOfPlan(plan: Plan, stack: MonitoredStack): MonitoringOfPlan {
  const changes = (plan.json.resource_changes as unknown as Change[]).filter((c) => c.change.after !== null);
  const configuration = structuredClone(plan.json.configuration as { root_module: ConfigModule });
  const config = new Map(configResources(configuration.root_module).map((r) => [r.address, r]));
  for (const r of config.values()) withConstants(r.expressions, stack.resource?.[r.type]?.[r.name]);
  const byType = new Map<string, Change[]>();
  const byResource = new Map<string, Change[]>();
  for (const c of changes) {
    const resource = `${c.type}.${c.name}`;
    for (const [map, key] of [
      [byType, c.type],
      [byResource, resource],
    ] as const) {
      if (!map.has(key)) map.set(key, []);
      map.get(key)!.push(c);
    }
  }
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const of = (type: string) => byType.get(type) ?? [];
  const keysOf = (resource: string) => (byResource.get(resource) ?? []).map((c) => c.index);
  const configOf = (c: Change) => config.get(`${c.type}.${c.name}`)!;
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);

  // Listeners: which load balancer each target group serves.
  const lbOfTargetGroup = new Map<string, string>();
  for (const l of config.values()) {
    if (l.type !== 'aws_lb_listener') continue;
    const tg = target(l.expressions.default_action?.[0]?.target_group_arn?.constant_value, 'aws_lb_target_group', 'arn');
    const lb = target(l.expressions.load_balancer_arn?.constant_value, 'aws_lb', 'arn');
    if (tg && lb) lbOfTargetGroup.set(tg, lb);
  }
  // Attachments: which Auto Scaling group each NAT target group (and key) is attached to.
  const asgOfGroup = new Map<string, string>();
  for (const c of of('aws_autoscaling_attachment')) {
    const cfg = configOf(c);
    const asg = target(cfg.expressions.autoscaling_group_name?.constant_value, 'aws_autoscaling_group', 'name');
    const tg = referencesThroughLocals(cfg.for_each_expression, stack).find((r) => r.startsWith('aws_lb_target_group.'));
    if (asg && tg) asgOfGroup.set(`${tg}[${c.index}]`, asg);
  }

  const alarms: PlannedAlarm[] = [];
  const seen = new Set<string>();
  const topicRefs = new Set<string>();
  for (const c of of('aws_cloudwatch_metric_alarm')) {
    const after = c.change.after!;
    const name = after.alarm_name as string;
    const kind = kindOf(name);
    if (!kind) {
      fail(`${c.address}: alarm name ${name} ends in no known suffix`);
      continue;
    }
    if (seen.has(name)) fail(`${c.address}: alarm name ${name} is not unique`);
    seen.add(name);
    alarms.push({ address: c.address, name, kind });
    const cfg = configOf(c);
    const a: AlarmSetting = ALARMS[kind];
    for (const field of ['alarm_actions', 'ok_actions'] as const) {
      const refs = cfg.expressions[field]?.references ?? [];
      if (refs.length !== 1) fail(`${c.address}: ${field} refers to ${JSON.stringify(refs)}, not one topic`);
      refs.forEach((r: string) => topicRefs.add(r));
    }
    if (after.comparison_operator !== a.comparison) fail(`${c.address}: comparison ${after.comparison_operator}`);
    if (after.evaluation_periods !== a.evaluationPeriods || after.datapoints_to_alarm !== a.datapointsToAlarm)
      fail(`${c.address}: ${after.datapoints_to_alarm} of ${after.evaluation_periods} periods`);

    if (kind === 'noHealthyTarget') {
      const dims = cfg.expressions.dimensions?.constant_value ?? {};
      const tg = target(dims.TargetGroup, 'aws_lb_target_group', 'arn_suffix');
      const lb = target(dims.LoadBalancer, 'aws_lb', 'arn_suffix');
      if (!tg || !dims.TargetGroup.includes('[each.key]'))
        fail(`${c.address}: TargetGroup ${dims.TargetGroup} is not a target group's arn_suffix by key`);
      else if (lbOfTargetGroup.get(tg) !== lb) fail(`${c.address}: LoadBalancer ${lb}, but ${tg} is served by ${lbOfTargetGroup.get(tg)}`);
      else if (!keysOf(tg).includes(c.index)) fail(`${c.address}: ${tg} has no instance ${c.index}`);
      if (
        after.metric_name !== a.metric ||
        after.namespace !== a.namespace ||
        after.period !== a.periodSeconds ||
        after.statistic !== a.statistic
      )
        fail(`${c.address}: watches ${after.namespace} ${after.metric_name} ${after.statistic}/${after.period}`);
    } else if (kind === 'natPathDegraded') {
      const queries = cfg.expressions.metric_query as { metric?: { dimensions?: Expression; metric_name?: Expression }[] }[];
      const metrics = queries.flatMap((q) => q.metric ?? []);
      if (
        metrics
          .map((m) => m.metric_name?.constant_value)
          .sort()
          .join() !== 'HealthyHostCount,UnHealthyHostCount'
      )
        fail(`${c.address}: metrics ${metrics.map((m) => m.metric_name?.constant_value)}`);
      const local = cfg.for_each_expression?.references?.find((r) => /^local\.monitoring_.*_groups$/.test(r));
      const groups = local && String(stack.locals?.[local.slice('local.'.length)] ?? '');
      const tg = groups && /(aws_lb_target_group\.[A-Za-z0-9_-]+)\[name\]\.arn_suffix/.exec(groups)?.[1];
      if (!tg) {
        fail(`${c.address}: for_each ${JSON.stringify(cfg.for_each_expression)} is not a map of target groups`);
        continue;
      }
      for (const m of metrics) {
        const dims = m.dimensions?.constant_value ?? {};
        if (dims.TargetGroup !== '${each.value.arn_suffix}') fail(`${c.address}: TargetGroup ${dims.TargetGroup}`);
        const lb = target(dims.LoadBalancer, 'aws_lb', 'arn_suffix');
        if (lbOfTargetGroup.get(tg) !== lb) fail(`${c.address}: LoadBalancer ${lb}, but ${tg} is served by ${lbOfTargetGroup.get(tg)}`);
      }
      if (!asgOfGroup.has(`${tg}[${c.index}]`)) fail(`${c.address}: ${tg}[${c.index}] is attached to no NAT fleet`);
    } else if (kind === 'fleetBelowMinimum') {
      const asg = target(cfg.expressions.dimensions?.constant_value?.AutoScalingGroupName, 'aws_autoscaling_group', 'name');
      const group = asg && byResource.get(asg)?.[0];
      if (!group) fail(`${c.address}: AutoScalingGroupName is not a planned group`);
      else if (after.threshold !== group.change.after!.min_size)
        fail(`${c.address}: threshold ${after.threshold}, minimum ${group.change.after!.min_size}`);
    } else if (kind === 'connectionDown') {
      const vifs = of('aws_dx_private_virtual_interface');
      if (vifs.length !== 1 || after.dimensions?.ConnectionId !== vifs[0].change.after!.connection_id)
        fail(`${c.address}: ConnectionId ${after.dimensions?.ConnectionId}, VIFs on ${vifs.map((v) => v.change.after!.connection_id)}`);
    } else if (kind === 'vifTrafficStopped') {
      const dims = (cfg.expressions.metric_query as { metric?: { dimensions?: Expression }[] }[]).flatMap((q) => q.metric ?? []);
      const onVif = (m: { dimensions?: Expression }) =>
        referencesThroughLocals(m.dimensions, stack).some((r) => r.startsWith('aws_dx_private_virtual_interface.'));
      if (dims.length !== 2 || !dims.every(onVif)) fail(`${c.address}: VirtualInterfaceId is not the planned VIF`);
    }
  }

  // Every target group has its no-healthy-target alarm; every attached NAT group its degraded alarm.
  const watched = (kind: AlarmKey) => alarms.filter((a) => a.kind === kind).map((a) => byAddress.get(a.address)!);
  const tgAlarms = watched('noHealthyTarget').map((c) => {
    const tg = target(configOf(c).expressions.dimensions?.constant_value?.TargetGroup, 'aws_lb_target_group', 'arn_suffix');
    return `${tg}[${c.index}]`;
  });
  const alarmsOfGroup = new Map<string, number>();
  for (const t of tgAlarms) alarmsOfGroup.set(t, (alarmsOfGroup.get(t) ?? 0) + 1);
  for (const tg of of('aws_lb_target_group').map((c) => `${c.type}.${c.name}[${c.index}]`)) {
    if (alarmsOfGroup.get(tg) !== 1) fail(`${tg}: ${alarmsOfGroup.get(tg) ?? 0} no-healthy-target alarms`);
  }
  if (watched('natPathDegraded').length !== asgOfGroup.size)
    fail(`${watched('natPathDegraded').length} degraded alarms for ${asgOfGroup.size} NAT target groups`);
  const fleets = of('aws_autoscaling_group').map((c) => `${c.type}.${c.name}`);
  // each notification names one group: group_names = ["${aws_autoscaling_group.X.name}"]
  const notifiedFleets = of('aws_autoscaling_notification').map((c) =>
    target(configOf(c).expressions.group_names?.constant_value?.[0], 'aws_autoscaling_group', 'name'),
  );
  const minimumAlarms = watched('fleetBelowMinimum').map((c) =>
    target(configOf(c).expressions.dimensions?.constant_value?.AutoScalingGroupName, 'aws_autoscaling_group', 'name'),
  );
  if (!sameKeys(minimumAlarms, fleets)) fail(`below-minimum alarms on ${minimumAlarms}, fleets ${fleets}`);
  if (!sameKeys(notifiedFleets, fleets)) fail(`Auto Scaling notifications on ${notifiedFleets}`);
  for (const n of of('aws_autoscaling_notification')) {
    if (!sameKeys(n.change.after!.notifications, FLEET_NOTIFICATIONS)) fail(`${n.address}: notifications ${n.change.after!.notifications}`);
    (configOf(n).expressions.topic_arn?.references ?? []).forEach((r: string) => topicRefs.add(r));
  }
  const services = of('aws_vpc_endpoint_service').map((c) => `${c.type}.${c.name}`);
  const notified = of('aws_vpc_endpoint_connection_notification').map((c) => {
    const cfg = configOf(c);
    (cfg.expressions.connection_notification_arn?.references ?? []).forEach((r: string) => topicRefs.add(r));
    if (!sameKeys(c.change.after!.connection_events, ENDPOINT_CONNECTION_EVENTS))
      fail(`${c.address}: events ${c.change.after!.connection_events}`);
    return target(cfg.expressions.vpc_endpoint_service_id?.constant_value, 'aws_vpc_endpoint_service', 'id');
  });
  if (!sameKeys(notified, services)) fail(`connection notifications on ${notified}, services ${services}`);
  if (topicRefs.size > 1) fail(`notifications go to ${[...topicRefs].join(', ')}, not one topic`);

  const counts: Record<string, number> = {};
  for (const type of [
    'aws_sns_topic',
    'aws_sns_topic_policy',
    'aws_sns_topic_subscription',
    'aws_autoscaling_notification',
    'aws_vpc_endpoint_connection_notification',
    'aws_cloudwatch_dashboard',
    'aws_cloudwatch_log_group',
    'aws_flow_log',
  ])
    counts[type] = of(type).length;
  return { alarms, counts, problems };
}

/** Alarms per kind. */
export function alarmsByKind(alarms: readonly PlannedAlarm[]): Record<AlarmKey, number> {
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<AlarmKey, number>;
  for (const a of alarms) counts[a.kind] += 1;
  return counts;
}

/** What module call `label` of a plan makes: its resource changes and its configuration only (monitoringOfPlan reads one module). */
export function planOfModule(plan: Plan, label: string): Plan {
  const prefix = `module.${label}.`;
  const configuration = plan.json.configuration as { root_module: { module_calls?: Record<string, unknown> } };
  const call = configuration.root_module.module_calls?.[label];
  if (call === undefined) throw new Error(`the plan calls no module "${label}"`);
  return {
    json: {
      ...plan.json,
      resource_changes: plan.json.resource_changes.filter((c) => c.address.startsWith(prefix)),
      configuration: { ...configuration, root_module: { module_calls: { [label]: call } } },
    },
    resources: plan.resources.filter((r) => r.address.startsWith(prefix)),
  };
}
