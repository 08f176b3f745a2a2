/**
 * The dx-privatelink-vpc module: what a VPC needs once, whatever the number
 * of tenants in it: the Direct Connect attachment (VGW, VIF, Direct Connect
 * gateway association, routes), the interface endpoints the NAT instances
 * call, the S3 prefix list they fetch their rules through, flow logs and
 * the link's alarms. Its `network` output is the service module's input.
 */
import { Fn, TerraformLocal, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsPrefixList } from '@cdktf/provider-aws/lib/data-aws-prefix-list';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DirectConnectAttachment } from '../constructs/direct-connect';
import { FLEET_SERVICES, fleetEndpoints } from '../constructs/fleet-endpoints';
import { FlowLogs } from '../constructs/flow-logs';
import { DeploymentMonitoring } from '../constructs/monitoring';
import { BOOT_SERVICES, SESSION_MANAGER_SERVICES } from '../constructs/private/fleet-services';
import { QUOTAS } from '../constructs/private/quotas';
import { RULES } from '../constructs/private/rules';
import { directConnectVariable, staticTargetsVariable } from './vpc-direct-connect';
import { KEY_POLICY, iamOptions, iamVariable, kmsKeyVariable } from './locked-down';
import { flowLogsVariable, monitoringVariable, tagsVariable } from './service-operations';
import { tagWithVariable } from './tags';
import { custom, scalar, variable } from './validation';

export function vpcModule(stack: TerraformStack): void {
  const name = variable(stack, 'name', {
    type: 'string',
    description: 'Prefix of resource names, e.g. "fix-gw": 2 to 20 lowercase letters, digits or hyphens.',
    validations: [scalar('name', 'var.name', RULES.name)],
  });
  const vpcId = variable(stack, 'vpc_id', { type: 'string', description: 'The VPC of the NLBs and NAT instances.' });
  const vpcCidr = variable(stack, 'vpc_cidr', {
    type: 'string',
    description: 'CIDR of that VPC: what a Direct Connect gateway (direct_connect.dx_gateway) may advertise to your network.',
  });
  const subnetIds = variable(stack, 'subnet_ids', {
    type: 'list(string)',
    description:
      'The subnets of the NLBs and NAT instances, one per availability zone, at least two: the fleet endpoints and flow logs are made in them. Ids of subnets created in the same apply are fine (nothing here is keyed by them).',
    validations: [
      custom(
        'length(var.subnet_ids) >= 2',
        'subnet_ids',
        'var.subnet_ids',
        'has fewer than 2 subnets',
        'give one subnet in each of at least two availability zones',
      ),
    ],
  });
  const routeTables = variable(stack, 'route_table_ids', {
    type: 'map(string)',
    description:
      'Route tables of those subnets, keyed by names known at plan (e.g. the zone: { a = aws_route_table.a.id }): the VGW propagates into them, or static routes to static_targets are added.',
    default: {},
  });
  const dx = directConnectVariable(stack);
  const staticTargets = staticTargetsVariable(stack);
  const protection = variable(stack, 'deletion_protection', {
    type: 'bool',
    description:
      "A guard (terraform_data with prevent_destroy) on each Direct Connect part created here (VGW, private VIF, hosted VIF accepter, Direct Connect gateway association) that fails any plan destroying or replacing it: a new VIF takes the link down for every tenant (and a new BGP key when AWS generated it), a new VGW cannot take back a hosted VIF. Changes that replace them: name (the VIF's name), amazon_side_asn, adding or removing dx_gateway, the private VIF's connection, VLAN, addresses, BGP ASN or key. To tear down, see \"Removing the link, tearing down\" in this module's README.",
    default: true,
  });
  const bgpKey = variable(stack, 'bgp_auth_key', {
    type: 'string',
    description:
      'BGP MD5 key of direct_connect.private_vif (pass from a secret store; never commit it); null lets AWS generate one (output private_vif_bgp_auth_key).',
    sensitive: true,
    nullDefault: true,
  });
  variable(stack, 'quotas', {
    type: `object({
    routes_per_route_table = optional(number, ${QUOTAS.routes_per_route_table.default})
  })`,
    description: 'This account\'s quotas where raised: routes_per_route_table (routing "static" adds one route per target address).',
    default: {},
    validations: [
      custom(
        `try(var.direct_connect.routing, "propagate") != "static" || length(distinct(var.static_targets)) <= var.quotas.routes_per_route_table`,
        'static_targets',
        'length(distinct(var.static_targets))',
        `needs one route per target address in each route table, more than quotas.routes_per_route_table (${QUOTAS.routes_per_route_table.source})`,
        `use routing "propagate", or raise the quota (Service Quotas ${QUOTAS.routes_per_route_table.code}) and set quotas.routes_per_route_table`,
      ),
    ],
  });
  const endpointsVar = variable(stack, 'fleet_endpoints', {
    type: `object({
    session_manager = optional(bool, false)
    existing = optional(object({
      security_group_id = string
      endpoint_ids      = map(string)
    }))
  })`,
    description: `Interface endpoints (private DNS on) for the AWS APIs the NAT instances call. By default one is made for ${BOOT_SERVICES.join(', ')} (each instance completes its launch through it), and with session_manager = true also for ${SESSION_MANAGER_SERVICES.join(', ')} (Session Manager), in subnet_ids, with a security group the service modules admit their NAT instances to. When the VPC has them already, give existing = { security_group_id, endpoint_ids = { autoscaling = "vpce-…", … } } instead: nothing is made, and each service module checks them at plan.`,
    default: {},
    validations: [
      custom(
        `var.fleet_endpoints.existing == null ? true : alltrue([for k in keys(var.fleet_endpoints.existing.endpoint_ids) : contains(${JSON.stringify(FLEET_SERVICES)}, k)])`,
        'fleet_endpoints.existing.endpoint_ids',
        'try(keys(var.fleet_endpoints.existing.endpoint_ids), null)',
        'has a key that is not a service the NAT instances call',
        `use keys of: ${FLEET_SERVICES.map((x) => `"${x}"`).join(', ')}`,
      ),
      custom(
        'var.fleet_endpoints.existing == null ? true : contains(keys(var.fleet_endpoints.existing.endpoint_ids), "autoscaling")',
        'fleet_endpoints.existing.endpoint_ids',
        'try(keys(var.fleet_endpoints.existing.endpoint_ids), null)',
        'has no autoscaling endpoint',
        "give the id of the VPC's com.amazonaws.<region>.autoscaling endpoint (private DNS on): each NAT instance completes its launch through it",
      ),
      // With existing endpoints nothing is made: session_manager would be ignored.
      custom(
        'var.fleet_endpoints.existing == null || !var.fleet_endpoints.session_manager',
        'fleet_endpoints.session_manager',
        'var.fleet_endpoints.session_manager',
        'cannot make endpoints beside existing ones',
        "list the VPC's own ssm, ssmmessages and ec2messages endpoints in existing.endpoint_ids instead, or remove existing",
      ),
    ],
  });
  const monitoring = monitoringVariable(
    stack,
    'the Direct Connect link (connection down, VIF traffic stopped; a VIF created here)',
    false,
    'link-alarms',
  );
  const flowLogsVar = flowLogsVariable(stack);
  const iam = iamVariable(stack, {
    bounded: 'the flow-log delivery role',
    actions: 'logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups and logs:DescribeLogStreams',
    pathOf: 'that role',
    pathChange: 'replaces it',
  });
  const kmsKey = kmsKeyVariable(
    stack,
    "the flow-log group and the link alarms' topic created here (an existing topic_arn keeps its own)",
    `${KEY_POLICY.logs}; ${KEY_POLICY.topic}; when service modules send their notifications to this topic (monitoring.topic_arn), also the service-linked role AWSServiceRoleForAutoScaling: kms:GenerateDataKey*, kms:Decrypt (the NAT fleets' launch notifications)`,
  );
  tagsVariable(stack);

  const body = new Construct(stack, 'Default');
  // The region of the provider configuration: "region" in provider 6, "name" in 5 (lookup: either may be absent).
  const current = new DataAwsRegion(body, 'region', {});
  const region = new TerraformLocal(
    body,
    'region-name',
    `\${coalesce(lookup(${current.fqn}, "region", null), lookup(${current.fqn}, "name", null))}`,
  ).asString;
  // The region's S3 prefix list (the same id in every VPC of the region); read at plan, no VPC needed.
  const s3 = new DataAwsPrefixList(body, 's3-prefix-list', { name: `com.amazonaws.${region}.s3` });

  const existing = `${endpointsVar.fqn}.existing`;
  const services = new TerraformLocal(
    body,
    'fleet-services',
    `\${${existing} != null ? [] : (${endpointsVar.fqn}.session_manager ? ${JSON.stringify(FLEET_SERVICES)} : ${JSON.stringify(BOOT_SERVICES)})}`,
  ).asList;
  const endpoints = fleetEndpoints(body, {
    name: name.stringValue,
    region,
    vpcId: vpcId.stringValue,
    subnetIds: subnetIds.listValue,
    create: services,
  });

  const attachment = new DirectConnectAttachment(body, 'direct-connect', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    settings: dx.value,
    bgpAuthKey: bgpKey.stringValue,
    allowedPrefixes: [vpcCidr.stringValue],
    routeTables: Token.asStringMap(routeTables.value),
    targetIps: staticTargets.listValue,
    deletionGuard: protection.fqn,
  });
  const monitor = new DeploymentMonitoring(body, 'monitoring', {
    name: name.stringValue,
    // Not <name>-alarms: a service module may carry the same name.
    topicName: `${name.stringValue}-link-alarms`,
    settings: Token.asAny(`\${merge(${monitoring.fqn}, { dashboard = false })}`),
    loadBalancers: [],
    fleets: [],
    directConnect: attachment,
    kmsKeyArn: kmsKey.stringValue,
  });
  const flowLogs = new FlowLogs(body, 'flow-logs', {
    name: name.stringValue,
    subnetIds: subnetIds.listValue,
    settings: flowLogsVar.value,
    kmsKeyArn: kmsKey.stringValue,
    iam: iamOptions(iam),
  });
  tagWithVariable(stack);

  // Static routes to a VGW carry 1500 bytes whatever the VIF's MTU; propagated ones the VIF's.
  // (Written by name: cdktf ends a reference's expression at a quoted string.)
  const pathMtu =
    'try(var.direct_connect.routing, "propagate") == "static" ? 1500 : coalesce(try(var.direct_connect.private_vif.mtu, null), 1500)';
  const fleet = `${existing} != null ? ${existing} : { security_group_id = ${endpoints.createdSecurityGroupRef}, endpoint_ids = ${endpoints.createdIdsRef} }`;
  new TerraformOutput(stack, 'network', {
    value: `\${{ vpc_id = ${vpcId.fqn}, subnet_ids = ${subnetIds.fqn}, s3_prefix_list_id = ${s3.fqn}.id, fleet_endpoints = (${fleet}), path_mtu = (${pathMtu}) }}`,
    description:
      "What the service module needs of this VPC, as its network input: vpc_id, subnet_ids, s3_prefix_list_id (the region's S3 prefix list), fleet_endpoints ({ security_group_id, endpoint_ids }) and path_mtu (1500, or the VIF's MTU with propagated routes).",
  });
  new TerraformOutput(stack, 'vgw_id', {
    value: attachment.vgwId,
    description: 'The virtual private gateway (null without direct_connect).',
  });
  new TerraformOutput(stack, 'private_vif_id', {
    value: Token.asString(`\${${attachment.privateVifIdRef} == "" ? null : ${attachment.privateVifIdRef}}`),
    description: 'The private VIF made here (null without direct_connect.private_vif).',
  });
  new TerraformOutput(stack, 'private_vif_bgp_auth_key', {
    value: Token.asString(`\${try(${attachment.privateVifFqn}[0].bgp_auth_key, null)}`),
    description: "The private VIF's BGP MD5 key, the one given or the one AWS generated: configure it on your router.",
    sensitive: true,
  });
  new TerraformOutput(stack, 'flow_log_group_name', {
    value: flowLogs.logGroupName,
    description: 'CloudWatch log group of the flow logs (null when they go to S3 or are off).',
  });
  new TerraformOutput(stack, 's3_prefix_list_id', { value: `\${${s3.fqn}.id}`, description: "The region's S3 prefix list." });
  new TerraformOutput(stack, 'alarm_topic_arn', {
    value: monitor.topicArn ?? Fn.tostring(null as unknown as string),
    description: "SNS topic of the link's alarms (null when monitoring.alarms is false).",
  });
}
