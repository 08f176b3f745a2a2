import { Construct } from 'constructs';
import { IResolvable, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { AutoscalingNotification } from '@cdktf/provider-aws/lib/autoscaling-notification';
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { VpcEndpointConnectionNotification } from '@cdktf/provider-aws/lib/vpc-endpoint-connection-notification';
import { AlarmTopic } from './alarm-topic';
import { DeploymentDashboard, dashboardSize } from './dashboard';
import { DirectConnectAttachment } from './direct-connect';
import { EndpointService } from './endpoint-service';
import { ForwardingNlb } from './forwarding-nlb';
import { NatFleet, NatTargetGroups } from './nat-fleet';
import { ALARMS, AlarmKey, AlarmSetting, ENDPOINT_CONNECTION_EVENTS, FLEET_NOTIFICATIONS } from './private/alarms';
import { checkQuota } from './private/quotas';
import { refuseTemplates } from './props-check';
import { RULES, ValidationError, check } from './private/rules';

/** What a deployment reports, and to whom. */
export interface MonitoringSpec {
  /**
   * Alarms, Auto Scaling notifications and endpoint connection notifications,
   * all to one SNS topic.
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * An existing standard SNS topic; its policy must let CloudWatch
   * (cloudwatch.amazonaws.com) and VPC endpoint services (vpce.amazonaws.com)
   * of this account publish.
   * @default - a topic `<name>-alarms` is created
   */
  readonly topicArn?: string;
  /** E-mail addresses subscribed to the topic; each confirms by mail. @default - none */
  readonly emails?: string[];
  /** A CloudWatch dashboard of every forward, NAT fleet and the Direct Connect link. @default true */
  readonly dashboard?: boolean;
}

/** One NLB and its endpoint service. */
export interface WatchedLoadBalancer {
  /** Stable key, part of resource addresses (`internal-0`); '' for the only one. */
  readonly key: string;
  /** Start of its alarms' names and its dashboard titles, e.g. `fix-gw-internal`. */
  readonly title: string;
  readonly loadBalancer: ForwardingNlb;
  readonly service: EndpointService;
}

/** One NAT fleet and the target groups it serves. */
export interface WatchedFleet {
  readonly fleet: NatFleet;
  readonly targetGroups: readonly NatTargetGroups[];
}

export interface DeploymentMonitoringProps {
  /** Prefix of resource names: the topic, the dashboard. */
  readonly name: string;
  /** Plain settings (checked here) or a Terraform object of the module's `monitoring` type. */
  readonly settings: MonitoringSpec | IResolvable;
  readonly loadBalancers: readonly WatchedLoadBalancer[];
  readonly fleets: readonly WatchedFleet[];
  /** Its connection's state and its private VIF's traffic are watched when it creates a VIF. */
  readonly directConnect?: DirectConnectAttachment;
  /** Name of the topic created. @default `<name>-alarms` */
  readonly topicName?: string;
  /** A customer managed key for the topic created (AlarmTopicProps.kmsKeyArn). @default - none */
  readonly kmsKeyArn?: string;
}

/**
 * Alarms and notifications of a deployment, to one SNS topic, and its
 * dashboard. Every figure comes from constructs/private/alarms.ts.
 *
 * - per forward and NLB: no healthy target (broker or path down);
 * - per NAT forward and fleet: fewer healthy targets than instances in
 *   service while at least one is healthy (a broken NAT instance);
 * - per fleet: in service below minimum, and launch errors and
 *   terminations as Auto Scaling notifications;
 * - Direct Connect (a VIF created here): connection down, VIF traffic stopped;
 * - per endpoint service: connection requests (pending ones wait for acceptance).
 */
export class DeploymentMonitoring extends Construct {
  /** Where the notifications go; undefined when alarms are plainly off (null in Terraform when turned off there). */
  public readonly topicArn?: string;
  /** How many alarms of each kind, when the settings and forwards are known at synth. */
  public readonly alarmCounts?: Readonly<Record<AlarmKey, number>>;

  constructor(scope: Construct, id: string, props: DeploymentMonitoringProps) {
    super(scope, id);
    refuseTemplates({ ...props, settings: undefined });
    refuseTemplates(props.settings, 'monitoring');
    const plain = Token.isUnresolved(props.settings) ? undefined : (props.settings as MonitoringSpec);
    const settings = plain ? renderSettings(plain) : props.settings;
    const s = new TerraformLocal(this, 'settings', settings).fqn;
    // Plainly off: no resource at all, so the policy pack sees that there are no alarms.
    if (plain?.dashboard !== false && props.loadBalancers.length > 0) {
      checkDashboardSize(props);
      new DeploymentDashboard(this, 'dashboard', {
        count: Token.asNumber(`\${${s}.dashboard ? 1 : 0}`),
        name: `${props.name}-dx-privatelink`,
        loadBalancers: props.loadBalancers,
        fleets: props.fleets.map((f) => f.fleet),
        directConnect: props.directConnect,
      });
    }
    if (plain?.alarms === false) return;
    this.alarmCounts = plain && countAlarms(props);
    const on = `${s}.alarms`;
    const topic = new AlarmTopic(this, 'topic', {
      topicName: props.topicName ?? `${props.name}-alarms`,
      settings: s,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.topicArn = topic.topicArn;
    const actions = { alarmActions: [topic.topicArn], okActions: [topic.topicArn] };
    const gate = (map: string) => Token.asAnyMap(`\${${on} ? ${map} : {}}`);
    const count = () => Token.asNumber(`\${${on} ? 1 : 0}`);

    for (const watched of props.loadBalancers) {
      const lb = watched.loadBalancer;
      const at = watched.key ? `${watched.key}-` : '';
      const it = TerraformIterator.fromMap(gate(lb.forwards.ref));
      const a = ALARMS.noHealthyTarget;
      new CloudwatchMetricAlarm(this, `${at}${a.suffix}`, {
        forEach: it,
        ...alarmBase(a, `${watched.title}-\${each.key}`, `forward \${each.key} of ${lb.loadBalancerName}`),
        ...actions,
        namespace: a.namespace,
        metricName: a.metric,
        statistic: a.statistic,
        period: a.periodSeconds,
        dimensions: { TargetGroup: `\${${lb.targetGroupFqn}[each.key].arn_suffix}`, LoadBalancer: lb.loadBalancerArnSuffix },
      });
      new VpcEndpointConnectionNotification(this, `${at}connections`, {
        count: count(),
        vpcEndpointServiceId: watched.service.serviceId,
        connectionNotificationArn: topic.topicArn,
        connectionEvents: [...ENDPOINT_CONNECTION_EVENTS],
        dependsOn: [topic.policy],
      });
    }

    // Named after the NLB, like the forward's other alarm: a forward of two tenants has two target groups.
    const titleOf = (key: string) => props.loadBalancers.find((l) => l.key === key)?.title ?? props.name;
    for (const { fleet, targetGroups } of props.fleets) {
      for (const source of targetGroups) {
        const groups = new TerraformLocal(this, `${fleet.node.id}-${source.key ? `${source.key}-` : ''}groups`, source.groups).fqn;
        const it = TerraformIterator.fromMap(gate(groups));
        const a = ALARMS.natPathDegraded;
        const dimensions = { TargetGroup: it.getString('arn_suffix'), LoadBalancer: source.loadBalancerArnSuffix };
        const metric = (namespace: string, name: string, dimensions: Record<string, string>) => ({
          namespace,
          metricName: name,
          dimensions,
          period: a.periodSeconds,
          stat: a.statistic,
        });
        new CloudwatchMetricAlarm(this, `${fleet.node.id}-${source.key ? `${source.key}-` : ''}${a.suffix}`, {
          forEach: it,
          ...alarmBase(a, `${titleOf(source.key)}-\${each.key}`, `forward \${each.key} through NAT fleet ${fleet.fleetName}`),
          ...actions,
          metricQuery: [
            { id: 'healthy', metric: metric(a.namespace, 'HealthyHostCount', dimensions), returnData: false },
            { id: 'unhealthy', metric: metric(a.namespace, a.metric, dimensions), returnData: false },
            {
              id: 'degraded',
              expression: 'IF(healthy > 0 AND unhealthy > 0, 1, 0)',
              label: 'some NAT targets unhealthy while others are healthy',
              returnData: true,
            },
          ],
        });
      }
      const low = ALARMS.fleetBelowMinimum;
      new CloudwatchMetricAlarm(this, `${fleet.node.id}-${low.suffix}`, {
        count: count(),
        ...alarmBase(low, fleet.fleetName, `NAT fleet ${fleet.fleetName}`),
        ...actions,
        threshold: fleet.minSize,
        namespace: low.namespace,
        metricName: low.metric,
        statistic: low.statistic,
        period: low.periodSeconds,
        dimensions: { AutoScalingGroupName: fleet.autoScalingGroupName },
      });
      new AutoscalingNotification(this, `${fleet.node.id}-notifications`, {
        count: count(),
        groupNames: [fleet.autoScalingGroupName],
        notifications: [...FLEET_NOTIFICATIONS],
        topicArn: topic.topicArn,
      });
    }

    const dx = props.directConnect;
    if (dx) {
      const vifCount = Token.asNumber(`\${${on} && ${dx.createsPrivateVif} ? 1 : 0}`);
      const connection = `\${${dx.connectionIdRef}}`;
      const down = ALARMS.connectionDown;
      new CloudwatchMetricAlarm(this, down.suffix, {
        count: vifCount,
        ...alarmBase(down, props.name, `Direct Connect connection ${connection}`),
        ...actions,
        namespace: down.namespace,
        metricName: down.metric,
        statistic: down.statistic,
        period: down.periodSeconds,
        dimensions: { ConnectionId: connection },
      });
      const quiet = ALARMS.vifTrafficStopped;
      const vif = (metricName: string) => ({
        namespace: quiet.namespace,
        metricName,
        dimensions: { ConnectionId: connection, VirtualInterfaceId: `\${${dx.privateVifIdRef}}` },
        period: quiet.periodSeconds,
        stat: quiet.statistic,
      });
      new CloudwatchMetricAlarm(this, quiet.suffix, {
        count: vifCount,
        ...alarmBase(quiet, props.name, `private VIF \${${dx.privateVifIdRef}}`),
        ...actions,
        threshold: undefined,
        thresholdMetricId: 'expected',
        metricQuery: [
          { id: 'egress', metric: vif('VirtualInterfaceBpsEgress'), returnData: false },
          { id: 'ingress', metric: vif('VirtualInterfaceBpsIngress'), returnData: false },
          { id: 'total', expression: 'egress + ingress', label: 'VIF bits per second, both directions', returnData: true },
          { id: 'expected', expression: `ANOMALY_DETECTION_BAND(total, ${quiet.threshold})`, label: 'expected', returnData: true },
        ],
      });
    }
  }
}

/** The arguments every alarm shares, from its setting: `name` is the watched thing's, `what` describes it. */
function alarmBase(a: AlarmSetting, name: string, what: string): Omit<CloudwatchMetricAlarmConfig, 'alarmName'> & { alarmName: string } {
  return {
    alarmName: `${name}-${a.suffix}`,
    alarmDescription: `dx-privatelink, ${what}: ${a.meaning}`.slice(0, 1024),
    comparisonOperator: a.comparison,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    threshold: a.threshold,
    treatMissingData: a.treatMissingData,
  };
}

/** Checks plain settings and renders them in the module's snake_case shape. */
function renderSettings(spec: MonitoringSpec): Record<string, unknown> {
  const problem =
    (spec.topicArn === undefined || Token.isUnresolved(spec.topicArn)
      ? undefined
      : check(RULES.snsTopicArn, 'monitoring.topicArn', spec.topicArn)) ??
    spec.emails?.map((e, i) => (Token.isUnresolved(e) ? undefined : check(RULES.email, `monitoring.emails[${i}]`, e))).find(Boolean);
  if (problem) throw problem;
  if (spec.alarms === false && (spec.topicArn !== undefined || (spec.emails?.length ?? 0) > 0)) {
    throw new ValidationError(
      'monitoring.alarms',
      false,
      'is off, but a topic or e-mail addresses are given',
      'remove topicArn and emails, or turn alarms on: nothing would be sent to them',
    );
  }
  const rendered: Record<string, unknown> = {
    alarms: spec.alarms ?? true,
    topic_arn: spec.topicArn,
    // Known at synth even when the topic's ARN is a token of the same apply.
    create_topic: spec.topicArn === undefined,
    emails: spec.emails ?? [],
    dashboard: spec.dashboard ?? true,
  };
  return Object.fromEntries(Object.entries(rendered).filter(([, v]) => v !== undefined));
}

/** Alarms per kind, when every input is known at synth. */
function countAlarms(props: DeploymentMonitoringProps): Record<AlarmKey, number> | undefined {
  const forwards = props.loadBalancers.map((l) => l.loadBalancer.forwards.plain);
  const natGroups = props.fleets.flatMap((f) => f.targetGroups.map((g) => g.forwards));
  const vif = props.directConnect ? props.directConnect.createsPrivateVifPlain : false;
  if (forwards.some((f) => f === undefined) || natGroups.some((g) => g === undefined) || vif === undefined) return undefined;
  return {
    noHealthyTarget: forwards.reduce((n, f) => n + Object.keys(f!).length, 0),
    natPathDegraded: natGroups.reduce((n, g) => n + g!.length, 0),
    fleetBelowMinimum: props.fleets.length,
    connectionDown: vif ? 1 : 0,
    vifTrafficStopped: vif ? 1 : 0,
  };
}

/** The dashboard within CloudWatch's limits, when its size is known at synth. */
function checkDashboardSize(props: DeploymentMonitoringProps): void {
  const forwards = props.loadBalancers.map((l) => l.loadBalancer.forwards.plain);
  if (forwards.some((f) => f === undefined)) return;
  const size = dashboardSize(
    forwards.map((f) => ({ forwards: Object.keys(f!).length })),
    props.fleets.length,
    props.directConnect?.createsPrivateVifPlain ?? false,
  );
  const what = `the dashboard ${props.name}-dx-privatelink`;
  const fix = 'turn the dashboard off (monitoring.dashboard: false) and build views per tenant from the same metrics';
  checkQuota('metrics_per_dashboard', size.metrics, what, fix);
  checkQuota('widgets_per_dashboard', size.widgets, what, fix);
}
