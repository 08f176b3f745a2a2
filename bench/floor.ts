/**
 * The floor: the least a cdktf app producing the same stacks must do on this
 * machine. It loads cdktf and only the provider classes dx-privatelink uses
 * (deep imports, as constructs/ does), creates per stack the same number of
 * resources of the same types as a synthesized output it is given, and
 * writes Terraform JSON with app.synth(). No config parsing, validation,
 * Terraform expressions, assets or atomic output swap.
 *
 *   node --import tsx bench/floor.ts --shape SHAPE.json --out DIR
 *   node bench/out/js/bench/floor.js --shape SHAPE.json --out DIR      (precompiled)
 *
 * SHAPE.json: `{ "<stack>": { "<terraform type>": <count>, ... }, ... }`,
 * made by bench/run.ts from the main job's output (bench/lib/shape.ts).
 */
import { readFileSync } from 'node:fs';
import { Construct } from 'constructs';
import { App, DataResource, TerraformStack } from 'cdktf';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { AutoscalingNotification } from '@cdktf/provider-aws/lib/autoscaling-notification';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsDefaultTags } from '@cdktf/provider-aws/lib/data-aws-default-tags';
import { DataAwsS3Object } from '@cdktf/provider-aws/lib/data-aws-s3-object';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { DxGatewayAssociation } from '@cdktf/provider-aws/lib/dx-gateway-association';
import { DxHostedPrivateVirtualInterfaceAccepter } from '@cdktf/provider-aws/lib/dx-hosted-private-virtual-interface-accepter';
import { DxPrivateVirtualInterface } from '@cdktf/provider-aws/lib/dx-private-virtual-interface';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcEndpointConnectionNotification } from '@cdktf/provider-aws/lib/vpc-endpoint-connection-notification';
import { VpcEndpointService } from '@cdktf/provider-aws/lib/vpc-endpoint-service';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpnGateway } from '@cdktf/provider-aws/lib/vpn-gateway';
import { VpnGatewayAttachment } from '@cdktf/provider-aws/lib/vpn-gateway-attachment';
import { VpnGatewayRoutePropagation } from '@cdktf/provider-aws/lib/vpn-gateway-route-propagation';
import type { Shape } from './lib/shape';

type Factory = (scope: Construct, id: string) => void;

const VPC = 'vpc-0123456789abcdef0';
const SG = 'sg-0123456789abcdef0';
const ARN = 'arn:aws:elasticloadbalancing:eu-west-2:111111111111:loadbalancer/net/floor/0123456789abcdef';
const TAGS = { Name: 'floor' };
const TOPIC = 'arn:aws:sns:eu-west-2:111111111111:floor-alarms';

/**
 * One plain, representative instance of every resource type dx-privatelink
 * creates (bench/run.ts checks this list against the imports in constructs/).
 */
export const FACTORIES: Readonly<Record<string, Factory>> = {
  aws_autoscaling_attachment: (s, id) => new AutoscalingAttachment(s, id, { autoscalingGroupName: 'floor-nat', lbTargetGroupArn: ARN }),
  aws_autoscaling_lifecycle_hook: (s, id) =>
    new AutoscalingLifecycleHook(s, id, {
      autoscalingGroupName: 'floor-nat',
      name: 'floor-ready',
      lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
    }),
  aws_autoscaling_group: (s, id) =>
    new AutoscalingGroup(s, id, { minSize: 2, maxSize: 2, vpcZoneIdentifier: ['subnet-0a', 'subnet-0b'], healthCheckType: 'EC2' }),
  aws_autoscaling_notification: (s, id) =>
    new AutoscalingNotification(s, id, {
      groupNames: ['floor-nat'],
      notifications: ['autoscaling:EC2_INSTANCE_TERMINATE'],
      topicArn: TOPIC,
    }),
  aws_cloudwatch_dashboard: (s, id) => new CloudwatchDashboard(s, id, { dashboardName: 'floor', dashboardBody: '{"widgets":[]}' }),
  aws_cloudwatch_log_group: (s, id) => new CloudwatchLogGroup(s, id, { name: '/floor/flow-logs', retentionInDays: 30, tags: TAGS }),
  aws_cloudwatch_metric_alarm: (s, id) =>
    new CloudwatchMetricAlarm(s, id, {
      alarmName: `floor-${id}`,
      comparisonOperator: 'LessThanThreshold',
      evaluationPeriods: 3,
      threshold: 1,
      namespace: 'AWS/NetworkELB',
      metricName: 'HealthyHostCount',
      statistic: 'Maximum',
      period: 60,
      dimensions: { TargetGroup: 'targetgroup/floor/0123456789abcdef', LoadBalancer: 'net/floor/0123456789abcdef' },
      alarmActions: [TOPIC],
      okActions: [TOPIC],
    }),
  aws_flow_log: (s, id) =>
    new FlowLog(s, id, {
      subnetId: 'subnet-0a',
      trafficType: 'ALL',
      logDestinationType: 's3',
      logDestination: 'arn:aws:s3:::floor-bucket',
    }),
  aws_sns_topic: (s, id) => new SnsTopic(s, id, { name: 'floor-alarms', tags: TAGS }),
  aws_sns_topic_policy: (s, id) => new SnsTopicPolicy(s, id, { arn: TOPIC, policy: '{}' }),
  aws_sns_topic_subscription: (s, id) =>
    new SnsTopicSubscription(s, id, { topicArn: TOPIC, protocol: 'email', endpoint: 'noc@example.com' }),
  aws_vpc_endpoint_connection_notification: (s, id) =>
    new VpcEndpointConnectionNotification(s, id, {
      vpcEndpointServiceId: 'vpce-svc-0a',
      connectionNotificationArn: TOPIC,
      connectionEvents: ['Connect'],
    }),
  terraform_data: (s, id) => new DataResource(s, id, { triggersReplace: { service: 'vpce-svc-0a' } }),
  aws_dx_gateway_association: (s, id) => new DxGatewayAssociation(s, id, { dxGatewayId: 'dxgw', associatedGatewayId: 'vgw-0a' }),
  aws_dx_hosted_private_virtual_interface_accepter: (s, id) =>
    new DxHostedPrivateVirtualInterfaceAccepter(s, id, { virtualInterfaceId: 'dxvif-ffhhk74f', vpnGatewayId: 'vgw-0a', tags: TAGS }),
  aws_dx_private_virtual_interface: (s, id) =>
    new DxPrivateVirtualInterface(s, id, {
      addressFamily: 'ipv4',
      bgpAsn: 65010,
      connectionId: 'dxcon-fgexampl',
      name: 'floor-vif',
      vlan: 101,
      amazonAddress: '169.254.100.1/30',
      customerAddress: '169.254.100.2/30',
      tags: TAGS,
    }),
  aws_iam_instance_profile: (s, id) => new IamInstanceProfile(s, id, { namePrefix: 'floor-', role: 'floor', tags: TAGS }),
  aws_iam_role: (s, id) => new IamRole(s, id, { namePrefix: 'floor-', assumeRolePolicy: '{}', tags: TAGS }),
  aws_iam_role_policy: (s, id) => new IamRolePolicy(s, id, { role: 'floor', name: 'floor', policy: '{}' }),
  aws_iam_role_policy_attachment: (s, id) => new IamRolePolicyAttachment(s, id, { role: 'floor', policyArn: 'arn:aws:iam::aws:policy/x' }),
  aws_launch_template: (s, id) =>
    new LaunchTemplate(s, id, {
      namePrefix: 'floor-',
      imageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      instanceType: 't4g.small',
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeType: 'gp3', volumeSize: 8 } }],
      tags: TAGS,
    }),
  aws_lb: (s, id) => new Lb(s, id, { name: 'floor-nlb', internal: true, loadBalancerType: 'network', subnets: ['subnet-0a'], tags: TAGS }),
  aws_lb_listener: (s, id) =>
    new LbListener(s, id, { loadBalancerArn: ARN, protocol: 'TCP', port: 9001, defaultAction: [{ type: 'forward', targetGroupArn: ARN }] }),
  aws_lb_target_group: (s, id) =>
    new LbTargetGroup(s, id, {
      namePrefix: 'dxpl-',
      vpcId: VPC,
      protocol: 'TCP',
      port: 9001,
      targetType: 'ip',
      healthCheck: { protocol: 'TCP', port: 'traffic-port' },
      tags: TAGS,
    }),
  aws_lb_target_group_attachment: (s, id) =>
    new LbTargetGroupAttachment(s, id, { targetGroupArn: ARN, targetId: '172.20.5.15', port: 8443 }),
  aws_route: (s, id) => new Route(s, id, { routeTableId: 'rtb-0a', destinationCidrBlock: '192.0.2.10/32', gatewayId: 'vgw-0a' }),
  aws_route_table: (s, id) => new RouteTable(s, id, { vpcId: VPC, tags: TAGS }),
  aws_route_table_association: (s, id) => new RouteTableAssociation(s, id, { routeTableId: 'rtb-0a', subnetId: 'subnet-0a' }),
  aws_route53_record: (s, id) =>
    new Route53Record(s, id, {
      zoneId: 'Z0',
      name: 'a.fix.internal',
      type: 'A',
      alias: { name: 'x', zoneId: 'Z1', evaluateTargetHealth: true },
    }),
  aws_route53_zone: (s, id) => new Route53Zone(s, id, { name: 'fix.internal', vpc: [{ vpcId: VPC }] }),
  aws_s3_bucket: (s, id) => new S3Bucket(s, id, { bucket: 'floor-bucket', tags: TAGS }),
  aws_s3_bucket_ownership_controls: (s, id) =>
    new S3BucketOwnershipControls(s, id, { bucket: 'floor-bucket', rule: { objectOwnership: 'BucketOwnerEnforced' } }),
  aws_s3_bucket_policy: (s, id) => new S3BucketPolicy(s, id, { bucket: 'floor-bucket', policy: '{}' }),
  aws_s3_bucket_public_access_block: (s, id) =>
    new S3BucketPublicAccessBlock(s, id, { bucket: 'floor-bucket', blockPublicAcls: true, blockPublicPolicy: true }),
  aws_s3_bucket_server_side_encryption_configuration: (s, id) =>
    new S3BucketServerSideEncryptionConfigurationA(s, id, {
      bucket: 'floor-bucket',
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    }),
  aws_s3_object: (s, id) => new S3Object(s, id, { bucket: 'floor-bucket', key: 'k', content: '{}' }),
  aws_security_group: (s, id) => new SecurityGroup(s, id, { name: 'floor', description: 'floor', vpcId: VPC, tags: TAGS }),
  aws_subnet: (s, id) => new Subnet(s, id, { vpcId: VPC, cidrBlock: '10.42.0.0/26', availabilityZone: 'eu-west-2a', tags: TAGS }),
  aws_vpc: (s, id) => new Vpc(s, id, { cidrBlock: '10.42.0.0/24', enableDnsSupport: true, enableDnsHostnames: true, tags: TAGS }),
  aws_vpc_endpoint: (s, id) =>
    new VpcEndpoint(s, id, { vpcId: VPC, serviceName: 'com.amazonaws.eu-west-2.s3', vpcEndpointType: 'Interface', tags: TAGS }),
  aws_vpc_endpoint_service: (s, id) =>
    new VpcEndpointService(s, id, { acceptanceRequired: true, networkLoadBalancerArns: [ARN], allowedPrincipals: ['arn:aws:iam::1:root'] }),
  aws_vpc_security_group_egress_rule: (s, id) =>
    new VpcSecurityGroupEgressRule(s, id, { securityGroupId: SG, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.42.0.0/24' }),
  aws_vpc_security_group_ingress_rule: (s, id) =>
    new VpcSecurityGroupIngressRule(s, id, {
      securityGroupId: SG,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '10.42.0.0/24',
    }),
  aws_vpn_gateway: (s, id) => new VpnGateway(s, id, { vpcId: VPC, amazonSideAsn: '64512', tags: TAGS }),
  aws_vpn_gateway_attachment: (s, id) => new VpnGatewayAttachment(s, id, { vpcId: VPC, vpnGatewayId: 'vgw-0a' }),
  aws_vpn_gateway_route_propagation: (s, id) => new VpnGatewayRoutePropagation(s, id, { routeTableId: 'rtb-0a', vpnGatewayId: 'vgw-0a' }),
  // Data sources (counted as `data.<type>` in a shape).
  'data.aws_default_tags': (s, id) => new DataAwsDefaultTags(s, id, {}),
  'data.aws_s3_object': (s, id) => new DataAwsS3Object(s, id, { bucket: 'floor-bucket', key: 'consumers/1.json' }),
  'data.aws_subnet': (s, id) => new DataAwsSubnet(s, id, { id: 'subnet-0a' }),
};

export function synthesizeFloor(shape: Shape, outdir: string): void {
  const app = new App({ outdir });
  for (const [stackName, counts] of Object.entries(shape)) {
    const stack = new TerraformStack(app, stackName);
    new AwsProvider(stack, 'aws', { region: 'eu-west-2', allowedAccountIds: ['111111111111'] });
    for (const [type, count] of Object.entries(counts)) {
      const create = FACTORIES[type];
      if (!create) throw new Error(`bench/floor.ts has no factory for ${type}: add one to FACTORIES`);
      for (let i = 0; i < count; i++) create(stack, `${type}_${i}`);
    }
  }
  app.synth();
}

function main(argv: readonly string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    const value = i >= 0 ? argv[i + 1] : undefined;
    if (!value) throw new Error(`usage: floor.ts --shape SHAPE.json --out DIR (missing ${name})`);
    return value;
  };
  const shape = JSON.parse(readFileSync(arg('--shape'), 'utf8')) as Shape;
  synthesizeFloor(shape, arg('--out'));
}

if (require.main === module) main(process.argv.slice(2));
