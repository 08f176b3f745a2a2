import { Construct } from 'constructs';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { DirectConnectAttachment } from './direct-connect';
import { ForwardingNlb } from './forwarding-nlb';
import { NatFleet } from './nat-fleet';
import { refuseTemplates } from './props-check';

export interface DashboardLoadBalancer {
  /** Title of its widgets, e.g. `fix-gw-internal`. */
  readonly title: string;
  readonly loadBalancer: ForwardingNlb;
}

export interface DeploymentDashboardProps {
  /** Dashboard name: letters, digits, `-` and `_`. */
  readonly name: string;
  /** 1 or 0 (a Terraform expression): whether the dashboard exists. */
  readonly count: number;
  readonly loadBalancers: readonly DashboardLoadBalancer[];
  readonly fleets: readonly NatFleet[];
  /** Its private VIF's traffic and its connection's state get a widget when it creates a VIF. */
  readonly directConnect?: DirectConnectAttachment;
}

/** Widgets per dashboard and metrics per dashboard, per CloudWatch's limits. */
export function dashboardSize(loadBalancers: readonly { forwards: number }[], fleets: number, directConnect: boolean) {
  const dx = directConnect ? 1 : 0;
  return {
    widgets: loadBalancers.length * 2 + fleets * 2 + dx,
    metrics: loadBalancers.reduce((n, lb) => n + lb.forwards + 4, 0) + fleets * 4 + dx * 3,
  };
}

/**
 * One CloudWatch dashboard for a deployment: per NLB, healthy targets of
 * every forward, then new and active flows, resets the NLB sent and bytes; per NAT fleet,
 * instances in service, CPU and network; the Direct Connect link's traffic
 * and state. Target groups and load balancers are named by ARN suffix, so
 * the body is rendered by Terraform.
 */
export class DeploymentDashboard extends Construct {
  constructor(scope: Construct, id: string, props: DeploymentDashboardProps) {
    super(scope, id);
    refuseTemplates(props);
    const first = props.loadBalancers[0].loadBalancer;
    // The region from an ARN: no data source, so the module plans offline.
    const region = Fn.element(Fn.split(':', first.loadBalancerArn), 3);
    // A name from a variable goes through format(): a template inside jsonencode() is not supported by cdktf.
    const titled = (name: string, text: string) => (Token.isUnresolved(name) ? Fn.format(`%s${text}`, [name]) : `${name}${text}`);
    const widget = (title: string, metrics: unknown, period = 60) => ({
      type: 'metric',
      width: 12,
      height: 6,
      properties: { title, region, view: 'timeSeries', period, metrics },
    });

    const widgets: unknown[] = [];
    props.loadBalancers.forEach(({ title, loadBalancer: lb }, i) => {
      const lbId = lb.loadBalancerArnSuffix;
      // A for expression, in a local: each reference before the first "}" (cdktf reads any "}" as the end).
      const healthy = new TerraformLocal(
        this,
        `healthy-${i}`,
        `\${[for name, tg in ${lb.targetGroupFqn} : ["AWS/NetworkELB", "HealthyHostCount", "TargetGroup", tg.arn_suffix, "LoadBalancer", ${lbId}, { label = name, stat = "Minimum" }]]}`,
      );
      const nlb = (metric: string, stat: string, extra = {}) => ['AWS/NetworkELB', metric, 'LoadBalancer', lbId, { stat, ...extra }];
      widgets.push(
        widget(titled(title, ': healthy targets per forward'), healthy.asList),
        widget(titled(title, ': flows, resets and bytes'), [
          nlb('NewFlowCount', 'Sum'),
          nlb('ActiveFlowCount', 'Average'),
          nlb('TCP_ELB_Reset_Count', 'Sum'),
          nlb('ProcessedBytes', 'Sum', { yAxis: 'right' }),
        ]),
      );
    });
    for (const fleet of props.fleets) {
      const group = ['AutoScalingGroupName', fleet.autoScalingGroupName];
      // The group's name is the fleet's; a reference when the fleet's name comes from a variable.
      const fleetTitle = Token.isUnresolved(fleet.fleetName) ? fleet.autoScalingGroupName : fleet.fleetName;
      widgets.push(
        widget(titled(fleetTitle, ': NAT instances'), [
          ['AWS/AutoScaling', 'GroupInServiceInstances', ...group, { stat: 'Minimum' }],
          ['AWS/EC2', 'CPUUtilization', ...group, { stat: 'Maximum', yAxis: 'right' }],
        ]),
        widget(titled(fleetTitle, ': NAT network'), [
          ['AWS/EC2', 'NetworkIn', ...group, { stat: 'Sum' }],
          ['AWS/EC2', 'NetworkOut', ...group, { stat: 'Sum' }],
        ]),
      );
    }
    let body = Fn.jsonencode({ widgets });
    const dx = props.directConnect;
    if (dx) {
      const connection = new TerraformLocal(this, 'connection-id', `\${${dx.connectionIdRef}}`).asString;
      const vif = [
        'ConnectionId',
        connection,
        'VirtualInterfaceId',
        new TerraformLocal(this, 'vif-id', `\${${dx.privateVifIdRef}}`).asString,
      ];
      const link = widget(
        'Direct Connect: private VIF and connection',
        [
          ['AWS/DX', 'VirtualInterfaceBpsEgress', ...vif, { stat: 'Average' }],
          ['AWS/DX', 'VirtualInterfaceBpsIngress', ...vif, { stat: 'Average' }],
          ['AWS/DX', 'ConnectionState', 'ConnectionId', connection, { stat: 'Minimum', yAxis: 'right' }],
        ],
        300,
      );
      const hasVif = new TerraformLocal(this, 'has-vif', `\${${dx.createsPrivateVif}}`).asBoolean;
      body = Fn.jsonencode({ widgets: Fn.concat([widgets, Fn.conditional(hasVif, [link], [])]) });
    }
    new CloudwatchDashboard(this, 'Default', {
      count: props.count,
      dashboardName: props.name,
      dashboardBody: body,
    });
  }
}
