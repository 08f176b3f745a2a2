/**
 * Every alarm dx-privatelink creates: metric, statistic, period, how many
 * periods, threshold and what missing data means, with the reason for each
 * figure. The constructs read them from here and the README's "Operating it"
 * section explains them; nothing else sets an alarm figure. Pure: no cdktf import.
 */

export interface AlarmSetting {
  /** Suffix of the alarm name, e.g. `no-healthy-target`. */
  readonly suffix: string;
  readonly namespace: string;
  readonly metric: string;
  readonly statistic: 'Minimum' | 'Maximum' | 'Sum' | 'Average';
  readonly periodSeconds: number;
  /** Periods looked at, and how many of them must breach. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparison: 'LessThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanLowerThreshold';
  /** The threshold; for an anomaly alarm, the band's width in standard deviations. */
  readonly threshold: number;
  readonly treatMissingData: 'breaching' | 'notBreaching' | 'missing' | 'ignore';
  /** What it means when it fires, and the first thing to check. */
  readonly meaning: string;
  /** Why these figures. */
  readonly why: string;
}

export const ALARMS = {
  noHealthyTarget: {
    suffix: 'no-healthy-target',
    namespace: 'AWS/NetworkELB',
    metric: 'HealthyHostCount',
    statistic: 'Maximum',
    periodSeconds: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    comparison: 'LessThanThreshold',
    threshold: 1,
    treatMissingData: 'breaching',
    meaning:
      'No target of the forward passes its health check: the broker does not answer on its target port through this path (broker down, its firewall, or the Direct Connect path). First check the Direct Connect alarms, then the broker.',
    why: "Maximum: each NLB node reports what it sees, and only when even the best node sees no healthy target is the path down (AWS's guidance for this metric). A target turns unhealthy after 3 failed checks 10 s apart (30 s); three whole minutes at zero ride out a broker restart or one lost health check. The metric is published whenever health checks run, traffic or not, so a missing value means the target group itself is gone or broken: breaching.",
  },
  natPathDegraded: {
    suffix: 'nat-degraded',
    namespace: 'AWS/NetworkELB',
    metric: 'UnHealthyHostCount',
    statistic: 'Maximum',
    periodSeconds: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    treatMissingData: 'notBreaching',
    meaning:
      'The broker answers through some NAT instances but not all of them: fewer healthy targets than NAT instances registered. One instance is broken (rules not loaded, conntrack full, instance impaired) while the broker is fine. First check the NAT instance (SSM session: systemctl status dx-privatelink-rules, nft list ruleset); terminating it lets the group replace it.',
    why: 'At least one NAT target unhealthy while at least one is healthy (UnHealthyHostCount and HealthyHostCount, maximum over the NLB nodes): the same broker answers through one instance and not through another, so the instance is at fault. When none is healthy the broker or the path is down, which is the other alarm. Counts of unhealthy and healthy targets are compared rather than healthy targets with the group\'s instance count, because what an NLB node counts with cross-zone load balancing is not documented; a target is only unhealthy once it has failed its checks, so an instance still starting (state "initial") does not count. Five whole minutes ride out a rolling replacement.',
  },
  fleetBelowMinimum: {
    suffix: 'below-minimum',
    namespace: 'AWS/AutoScaling',
    metric: 'GroupInServiceInstances',
    statistic: 'Minimum',
    periodSeconds: 60,
    evaluationPeriods: 10,
    datapointsToAlarm: 10,
    comparison: 'LessThanThreshold',
    threshold: 0, // the fleet's minimum size, set per fleet
    treatMissingData: 'breaching',
    meaning:
      'The NAT fleet has had fewer instances in service than its minimum for 10 minutes: instances fail to launch or to load their rules (they fail closed and are replaced, in a loop). First check the Auto Scaling activity history of the group (and the launch-error and termination notifications on the same topic); then, on a running instance, journalctl -u dx-privatelink-rules for a rules fetch or load failure.',
    why: 'A replacement takes 2 to 4 minutes (launch, boot, fetch and load the rules, lifecycle hook); rolling changes launch before they terminate, so the count never dips in normal operation. Ten minutes is more than two failed attempts in a row. Group metrics are collected every minute at no charge.',
  },
  connectionDown: {
    suffix: 'dx-connection-down',
    namespace: 'AWS/DX',
    metric: 'ConnectionState',
    statistic: 'Minimum',
    periodSeconds: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 1,
    comparison: 'LessThanThreshold',
    threshold: 1,
    treatMissingData: 'missing',
    meaning:
      'The Direct Connect connection is down (ConnectionState 0): every forward over it stops. First check the connection in the Direct Connect console and with the colocation or partner; then the router.',
    why: 'ConnectionState is 1 while the connection is up and 0 while it is down. AWS publishes Direct Connect metrics in 5-minute intervals by default (METRIC_PERIODS), so the alarm looks at 5-minute periods: a shorter period has no datapoint in most periods and may never fire. The minimum of a 5-minute period is 0 when the connection was down at any sample in it; one such period in the last two pages (within 5 to 10 minutes of the failure). Periods without a sample keep the alarm as it is rather than guess.',
  },
  vifTrafficStopped: {
    suffix: 'dx-vif-traffic-stopped',
    namespace: 'AWS/DX',
    metric: 'VirtualInterfaceBpsEgress',
    statistic: 'Average',
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    comparison: 'LessThanLowerThreshold',
    threshold: 2,
    treatMissingData: 'breaching',
    meaning:
      "Traffic on the private virtual interface (both directions added) fell below what it usually carries at this time, for 15 minutes: BGP down, routes withdrawn, or the routers stopped forwarding, while the connection itself may be up. First check the VIF's BGP status in the Direct Connect console and the routes in the VPC route tables.",
    why: 'A fixed threshold cannot tell "idle" from "broken": the alarm compares with a CloudWatch anomaly-detection band (2 standard deviations) learned from the interface\'s own history, so an interface that usually carries traffic alarms when it falls to zero, and one that is usually idle does not. Three 5-minute periods in a row ignore one quiet interval.',
  },
} as const satisfies Record<string, AlarmSetting>;

export type AlarmKey = keyof typeof ALARMS;

/** How often AWS publishes a metric: an alarm's period must be a whole number of these, or periods go without a datapoint. */
export interface MetricPeriod {
  readonly seconds: number;
  readonly source: string;
}

const DX_METRICS = 'https://docs.aws.amazon.com/directconnect/latest/UserGuide/monitoring-cloudwatch.html';
const NLB_METRICS = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html';
const ASG_METRICS = 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html';

/**
 * Every metric an alarm of ours reads, keyed `<namespace> <metric>`, with
 * how often AWS publishes it. Direct Connect: "5-minute intervals" by
 * default. Network Load Balancer: every 60 seconds. Auto Scaling group
 * metrics: every minute (1Minute granularity, which the fleets enable).
 */
export const METRIC_PERIODS: Readonly<Record<string, MetricPeriod>> = {
  'AWS/DX ConnectionState': { seconds: 300, source: DX_METRICS },
  'AWS/DX VirtualInterfaceBpsEgress': { seconds: 300, source: DX_METRICS },
  'AWS/DX VirtualInterfaceBpsIngress': { seconds: 300, source: DX_METRICS },
  'AWS/NetworkELB HealthyHostCount': { seconds: 60, source: NLB_METRICS },
  'AWS/NetworkELB UnHealthyHostCount': { seconds: 60, source: NLB_METRICS },
  'AWS/AutoScaling GroupInServiceInstances': { seconds: 60, source: ASG_METRICS },
};

/** Auto Scaling events sent to the alarm topic: failed launches and every termination (a fail-closed boot loop shows as both). */
export const FLEET_NOTIFICATIONS = [
  'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE',
  'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
] as const;

/** Endpoint service events sent to the alarm topic: `Connect` is a new request (pending when acceptance is manual). */
export const ENDPOINT_CONNECTION_EVENTS = ['Connect', 'Accept', 'Reject', 'Delete'] as const;

/** The Auto Scaling group metrics the fleets collect (one-minute granularity, no charge). */
export const FLEET_GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
] as const;

/**
 * CloudWatch list prices (US East, N. Virginia, standard resolution, USD per
 * month), to estimate what the alarms cost; other regions differ by a few
 * percent. An alarm is billed per metric it evaluates: a metric-math alarm
 * for each metric it reads, an anomaly-detection alarm for its metric and
 * the two band metrics. The first 10 alarm metrics of an account are free,
 * and not counted here. Check https://aws.amazon.com/cloudwatch/pricing/
 * before quoting a figure.
 */
export const CLOUDWATCH_LIST_PRICES = {
  perAlarmMetricMonth: 0.1,
  /** Beyond an account's first 3 dashboards. */
  perDashboardMonth: 3,
} as const;

/** Metrics each alarm of a kind is billed for. */
export const BILLED_METRICS: Readonly<Record<AlarmKey, number>> = {
  noHealthyTarget: 1,
  natPathDegraded: 2, // HealthyHostCount and UnHealthyHostCount
  fleetBelowMinimum: 1,
  connectionDown: 1,
  vifTrafficStopped: 4, // egress and ingress, and the band's upper and lower bound
};

/** Estimated monthly list price of alarms, in USD (rounded to cents). */
export function monthlyAlarmCost(counts: Readonly<Record<AlarmKey, number>>): number {
  const metrics = (Object.keys(counts) as AlarmKey[]).reduce((n, k) => n + counts[k] * BILLED_METRICS[k], 0);
  return Math.round(metrics * CLOUDWATCH_LIST_PRICES.perAlarmMetricMonth * 100) / 100;
}
