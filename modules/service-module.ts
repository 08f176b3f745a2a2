/**
 * The dx-privatelink-service module: one tenant's NLB, NAT fleet, endpoint
 * service and optional Direct Connect attachment, built from the constructs
 * with Terraform variables as inputs.
 */
import { Construct } from 'constructs';
import { Fn, TerraformLocal, TerraformOutput, TerraformStack, Token, ref } from 'cdktf';
import { DirectConnectAttachment } from '../constructs/direct-connect';
import { EndpointService } from '../constructs/endpoint-service';
import { FlowLogs } from '../constructs/flow-logs';
import { DeploymentMonitoring } from '../constructs/monitoring';
import { DEFAULT_TCP_IDLE_TIMEOUT, ForwardSet } from '../constructs/forward-set';
import { ForwardingNlb } from '../constructs/forwarding-nlb';
import { NatFleet } from '../constructs/nat-fleet';
import { FLEET_SERVICES, fleetEndpoints } from '../constructs/fleet-endpoints';
import { PrivateBucket } from '../constructs/private-bucket';
import { SubnetZones } from '../constructs/subnet-zones';
import { DIRECT_TARGET_PATTERN } from '../constructs/private/ipv4';
import { NAT_MAX_HEALTHY_PERCENT } from '../constructs/private/fleets';
import { QUOTAS } from '../constructs/private/quotas';
import { ARM64_INSTANCE_PATTERN, MAX_LISTENERS_PER_NLB, RULES } from '../constructs/private/rules';
import { operationsVariables } from './service-operations';
import { custom, eachEntry, firstOf, formatText, scalar, variable } from './validation';

const FORWARDS_TYPE = `map(object({
    listen_port              = number
    target_ip                = string
    target_port              = number
    tcp_idle_timeout_seconds = optional(number, ${DEFAULT_TCP_IDLE_TIMEOUT})
  }))`;

const DIRECT_CONNECT_TYPE = `object({
    amazon_side_asn     = optional(number)
    existing_vgw_id     = optional(string)
    attach_existing_vgw = optional(bool, false)
    dx_gateway_id       = optional(string)
    private_vif = optional(object({
      connection_id    = string
      vlan             = number
      bgp_asn          = number
      amazon_address   = string
      customer_address = string
      mtu              = optional(number, 1500)
    }))
    hosted_vif_id = optional(string)
    routing       = optional(string, "propagate")
  })`;

const NAT_FLEET_TYPE = `object({
    instance_type = optional(string, "t4g.small")
    architecture  = optional(string, "arm64")
    min_size      = optional(number, 2)
    max_size      = optional(number)
    ami_id        = optional(string)
    max_instance_lifetime_days = optional(number)
  })`;

export function serviceModule(stack: TerraformStack): void {
  const name = variable(stack, 'name', {
    type: 'string',
    description: 'Prefix of resource names, e.g. "fix-gw-internal" (one per tenant): 2 to 20 lowercase letters, digits or hyphens.',
    validations: [scalar('name', 'var.name', RULES.name)],
  });
  const vpcId = variable(stack, 'vpc_id', { type: 'string', description: 'VPC of the NLB and NAT fleet.' });
  const vpcCidr = variable(stack, 'vpc_cidr', {
    type: 'string',
    description: 'CIDR of that VPC: what a Direct Connect gateway (direct_connect.dx_gateway_id) may advertise to your network.',
    validations: [scalar('vpc_cidr', 'var.vpc_cidr', RULES.existingVpcCidr)],
  });
  const subnetIds = variable(stack, 'subnet_ids', {
    type: 'list(string)',
    description: 'One subnet per availability zone, at least two, for the NLB and the NAT instances.',
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
      'Route tables of those subnets, keyed by names known at plan time (e.g. the zone): routes to the targets are added when direct_connect is set.',
    default: {},
  });
  const s3PrefixList = variable(stack, 's3_prefix_list_id', {
    type: 'string',
    description:
      "Prefix list of the VPC's S3 gateway endpoint: the NAT instances fetch their rules (and Amazon Linux 2023 packages) through it. Required when a forward has a public target; null otherwise.",
    nullDefault: true,
    validations: [
      custom(
        `var.s3_prefix_list_id != null || alltrue([for f in var.forwards : can(regex(${JSON.stringify(DIRECT_TARGET_PATTERN)}, f.target_ip))])`,
        's3_prefix_list_id',
        'var.s3_prefix_list_id',
        'is required when a forward has a public target',
        "the NAT instances fetch their rules from S3 through the VPC's S3 gateway endpoint; give its prefix list id (aws ec2 describe-prefix-lists)",
      ),
    ],
  });
  const endpointsVar = variable(stack, 'fleet_endpoints', {
    type: `object({
    security_group_id = string
    endpoint_ids      = map(string)
  })`,
    description:
      "The VPC's interface endpoints (private DNS on) for the AWS APIs the NAT instances call, by service: autoscaling (required when a forward has a public target: an instance completes its launch lifecycle action through it, and none comes into service without it) and optionally ssm, ssmmessages and ec2messages (Session Manager). security_group_id is a group on each of them: the instances are admitted to it on 443 by a rule this module adds to it (so manage that group's rules as separate resources, not inline: inline rules would remove it). Each endpoint is checked at plan (this VPC, that service, private DNS, that group). Null when no forward has a public target.",
    nullDefault: true,
    validations: [
      custom(
        `try(contains(keys(var.fleet_endpoints.endpoint_ids), "autoscaling"), false) || alltrue([for f in var.forwards : can(regex(${JSON.stringify(DIRECT_TARGET_PATTERN)}, f.target_ip))])`,
        'fleet_endpoints.endpoint_ids',
        'try(var.fleet_endpoints.endpoint_ids, null)',
        'has no autoscaling endpoint, and a forward has a public target',
        "give the id of the VPC's com.amazonaws.<region>.autoscaling interface endpoint (private DNS on) as endpoint_ids.autoscaling: each NAT instance completes its launch through it",
      ),
      custom(
        `var.fleet_endpoints == null ? true : alltrue([for k in keys(var.fleet_endpoints.endpoint_ids) : contains(${JSON.stringify(FLEET_SERVICES)}, k)])`,
        'fleet_endpoints.endpoint_ids',
        'try(keys(var.fleet_endpoints.endpoint_ids), null)',
        'has a key that is not a service the NAT instances call',
        `use keys of: ${FLEET_SERVICES.map((x) => `"${x}"`).join(', ')}`,
      ),
    ],
  });
  const fwdVar = variable(stack, 'forwards', {
    type: FORWARDS_TYPE,
    description: `Forwards keyed by name: connections to listen_port on the NLB reach target_ip:target_port. Public targets go through the NAT fleet, RFC 1918 / RFC 6598 targets are NLB IP targets. At most ${MAX_LISTENERS_PER_NLB} (the NLB listener limit).`,
    validations: [
      custom(
        `length(var.forwards) >= 1 && length(var.forwards) <= ${MAX_LISTENERS_PER_NLB}`,
        'forwards',
        'length(var.forwards)',
        `must have 1 to ${MAX_LISTENERS_PER_NLB} entries`,
        `an NLB takes at most ${MAX_LISTENERS_PER_NLB} listeners; split the forwards across module instances`,
      ),
      eachEntry('forwards', '', RULES.forwardName),
      eachEntry('forwards', 'listen_port', RULES.port),
      eachEntry('forwards', 'target_port', RULES.port),
      eachEntry('forwards', 'target_ip', RULES.targetIp),
      eachEntry('forwards', 'target_ip', RULES.routableTarget),
      eachEntry('forwards', 'tcp_idle_timeout_seconds', RULES.tcpIdleTimeout),
      custom(
        'length(distinct([for k, v in var.forwards : v.listen_port])) == length(var.forwards)',
        'forwards',
        '[for k, v in var.forwards : v.listen_port]',
        'has duplicate listen_port values',
        'give every entry its own listen_port',
      ),
    ],
  });
  const principals = variable(stack, 'allowed_principals', {
    type: 'list(string)',
    description: 'IAM principals (consumer account roots, arn:aws:iam::<id>:root) allowed to create endpoints to the service.',
    validations: [
      custom(
        'length(var.allowed_principals) > 0',
        'allowed_principals',
        'var.allowed_principals',
        'is empty',
        'allow at least one consumer account; nobody could connect otherwise',
      ),
      {
        condition: `\${alltrue([for p in var.allowed_principals : ${RULES.principal.tf('p')}])}`,
        errorMessage: `\${join("; ", [for p in var.allowed_principals : format("allowed_principals: ${formatText(RULES.principal.problem)} (got %s); ${formatText(RULES.principal.fix)}", jsonencode(p)) if !(${RULES.principal.tf('p')})])}`,
      },
    ],
  });
  const acceptance = variable(stack, 'acceptance', {
    type: 'string',
    description:
      '"manual": each endpoint connection waits for the provider to accept it. "auto": endpoints of the allowed principals are accepted at once.',
    default: 'manual',
    validations: [
      custom(
        'contains(["manual", "auto"], var.acceptance)',
        'acceptance',
        'var.acceptance',
        'is not an allowed value',
        'use one of: "manual", "auto"',
      ),
    ],
  });
  const regions = variable(stack, 'supported_regions', {
    type: 'list(string)',
    description: "Regions consumers may connect from (cross-region PrivateLink); empty for the service's own region only.",
    default: [],
    validations: [
      {
        condition: `\${alltrue([for r in var.supported_regions : ${RULES.region.tf('r')}])}`,
        errorMessage: `\${join("; ", [for r in var.supported_regions : format("supported_regions: ${formatText(RULES.region.problem)} (got %s); ${formatText(RULES.region.fix)}", jsonencode(r)) if !(${RULES.region.tf('r')})])}`,
      },
    ],
  });
  const dx = variable(stack, 'direct_connect', {
    type: DIRECT_CONNECT_TYPE,
    description:
      'Direct Connect attachment, or null (default) when another module instance or root already connects the VPC: a VGW is created (amazon_side_asn, default 64512) unless existing_vgw_id is given (already attached to the VPC, or attached here with attach_existing_vgw = true); private_vif creates a VIF on your own connection, hosted_vif_id accepts a partner\'s; dx_gateway_id attaches the VIF through a Direct Connect gateway; routing "propagate" or "static" routes to the targets in route_table_ids.',
    nullDefault: true,
    validations: [
      scalar('direct_connect.amazon_side_asn', 'try(var.direct_connect.amazon_side_asn, null)', RULES.amazonSideAsn, true),
      scalar('direct_connect.private_vif.vlan', 'try(var.direct_connect.private_vif.vlan, null)', RULES.vlan, true),
      scalar('direct_connect.private_vif.bgp_asn', 'try(var.direct_connect.private_vif.bgp_asn, null)', RULES.bgpAsn, true),
      ...['amazon_address', 'customer_address'].map((peer) =>
        firstOf(
          `direct_connect.private_vif.${peer}`,
          `try(var.direct_connect.private_vif.${peer}, null)`,
          [RULES.linkAddress, RULES.linkAddressRange, RULES.linkAddressHost],
          true,
        ),
      ),
      custom(
        'try(cidrsubnet(var.direct_connect.private_vif.amazon_address, 0, 0) == cidrsubnet(var.direct_connect.private_vif.customer_address, 0, 0), true)',
        'direct_connect.private_vif.customer_address',
        'try(var.direct_connect.private_vif.customer_address, null)',
        'is not in the same link subnet as amazon_address',
        'use the two ends of one link subnet, such as 169.254.100.1/30 and 169.254.100.2/30',
      ),
      custom(
        'try(var.direct_connect.private_vif.amazon_address != var.direct_connect.private_vif.customer_address, true)',
        'direct_connect.private_vif.customer_address',
        'try(var.direct_connect.private_vif.customer_address, null)',
        'is the same address as amazon_address',
        'give each side its own address of the link subnet, such as 169.254.100.1/30 and 169.254.100.2/30',
      ),
      scalar('direct_connect.private_vif.mtu', 'try(var.direct_connect.private_vif.mtu, null)', RULES.mtu, true),
      custom(
        'try(var.direct_connect.private_vif, null) == null || try(var.direct_connect.hosted_vif_id, null) == null',
        'direct_connect',
        '["private_vif", "hosted_vif_id"]',
        'has both private_vif and hosted_vif_id',
        'create a VIF on your own connection or accept a hosted one, not both',
      ),
      custom(
        'try(var.direct_connect.existing_vgw_id, null) == null || try(var.direct_connect.amazon_side_asn, null) == null',
        'direct_connect.amazon_side_asn',
        'try(var.direct_connect.amazon_side_asn, null)',
        'cannot be set for an existing gateway',
        'remove amazon_side_asn; the existing gateway keeps its ASN',
      ),
      custom(
        'contains(["propagate", "static"], try(var.direct_connect.routing, "propagate"))',
        'direct_connect.routing',
        'try(var.direct_connect.routing, null)',
        'is not an allowed value',
        'use one of: "propagate", "static"',
      ),
    ],
  });
  const bgpKey = variable(stack, 'bgp_auth_key', {
    type: 'string',
    description: 'BGP MD5 key of direct_connect.private_vif (pass from a secret store; never commit it); null lets AWS generate one.',
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
        `try(var.direct_connect.routing, "propagate") != "static" || length(distinct([for f in var.forwards : f.target_ip])) <= var.quotas.routes_per_route_table`,
        'direct_connect.routing',
        'length(distinct([for f in var.forwards : f.target_ip]))',
        `"static" needs one route per target address in each route table, more than quotas.routes_per_route_table (${QUOTAS.routes_per_route_table.source})`,
        `use routing "propagate", or raise the quota (Service Quotas ${QUOTAS.routes_per_route_table.code}) and set quotas.routes_per_route_table`,
      ),
    ],
  });
  const fleet = variable(stack, 'nat_fleet', {
    type: NAT_FLEET_TYPE,
    description:
      'NAT instances: instance_type (t4g.small), architecture of the Amazon Linux 2023 image ("arm64" or "x86_64", matching the type), min_size (at least 2), max_size (default min_size); ami_id pins an Amazon Linux 2023 image of that architecture (default: the latest, resolved at each launch; a change rolls the fleet, new instances first); max_instance_lifetime_days (1 to 365) replaces each instance after that many days, new instance first (default: no limit). The fleet scales to zero when no forward has a public target.',
    default: {},
    validations: [
      scalar('nat_fleet.min_size', 'var.nat_fleet.min_size', RULES.fleetMinSize),
      scalar('nat_fleet.instance_type', 'var.nat_fleet.instance_type', RULES.instanceType),
      custom(
        `!can(regex(${JSON.stringify(ARM64_INSTANCE_PATTERN)}, var.nat_fleet.instance_type)) == (var.nat_fleet.architecture == "x86_64")`,
        'nat_fleet.instance_type',
        'var.nat_fleet.instance_type',
        'does not match nat_fleet.architecture',
        'Graviton types (a g after the generation digit: t4g, c7gn) need "arm64", all others "x86_64"',
      ),
      custom(
        'contains(["arm64", "x86_64"], var.nat_fleet.architecture)',
        'nat_fleet.architecture',
        'var.nat_fleet.architecture',
        'is not an allowed value',
        'use one of: "arm64", "x86_64"',
      ),
      custom(
        `length([for f in var.forwards : f if !can(regex(${JSON.stringify(DIRECT_TARGET_PATTERN)}, f.target_ip))]) * ceil(coalesce(var.nat_fleet.max_size, var.nat_fleet.min_size) * ${NAT_MAX_HEALTHY_PERCENT} / 100) + length([for f in var.forwards : f if can(regex(${JSON.stringify(DIRECT_TARGET_PATTERN)}, f.target_ip))]) <= ${QUOTAS.targets_per_nlb.default}`,
        'nat_fleet.max_size',
        'coalesce(var.nat_fleet.max_size, var.nat_fleet.min_size)',
        `makes the NLB's targets (NAT target groups × instances, ${NAT_MAX_HEALTHY_PERCENT}% of max_size while instances are replaced, + IP targets) exceed the ${QUOTAS.targets_per_nlb.default} per cross-zone NLB (${QUOTAS.targets_per_nlb.source})`,
        'lower nat_fleet.max_size, or split the public-target forwards across module instances',
      ),
      scalar('nat_fleet.ami_id', 'var.nat_fleet.ami_id', RULES.amiId, true),
      scalar('nat_fleet.max_instance_lifetime_days', 'var.nat_fleet.max_instance_lifetime_days', RULES.maxInstanceLifetimeDays, true),
      custom(
        'var.nat_fleet.max_size == null ? true : var.nat_fleet.max_size >= var.nat_fleet.min_size && var.nat_fleet.max_size <= 100',
        'nat_fleet.max_size',
        'var.nat_fleet.max_size',
        'is below min_size or above 100',
        'use a whole number from min_size to 100',
      ),
    ],
  });

  const operations = operationsVariables(stack);
  const protection = Token.asAny(operations.deletionProtection.booleanValue) as unknown as boolean;

  // Variables are named like the constructs; "Default" keeps this scope out of addresses.
  const body = new Construct(stack, 'Default');
  const forwards = new ForwardSet(body, 'forwards', { forwards: fwdVar.value });
  const nlb = new ForwardingNlb(body, 'nlb', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    subnetIds: subnetIds.listValue,
    forwards,
    deletionProtection: protection,
  });
  // The region of the NLB's ARN: AWS lists it among the supported regions whether asked or not.
  const homeRegion = new TerraformLocal(body, 'home-region', Fn.element(Fn.split(':', nlb.loadBalancerArn), 3));
  const home = homeRegion.fqn;
  const service = new EndpointService(body, 'service', {
    name: name.stringValue,
    region: homeRegion.asString,
    loadBalancerArn: nlb.loadBalancerArn,
    allowedPrincipals: principals.listValue,
    acceptanceRequired: Token.asAny(`\${${acceptance.fqn} == "manual"}`) as unknown as boolean,
    supportedRegions: Token.asList(`\${length(${regions.fqn}) > 0 ? distinct(concat([${home}], ${regions.fqn})) : null}`),
    deletionProtection: protection,
  });
  const natTargetGroups = [{ key: '', groups: nlb.targetGroupMap(), loadBalancerArnSuffix: nlb.loadBalancerArnSuffix }];
  const rulesBucket = new PrivateBucket(body, 'nat-rules', { namePrefix: `${name.stringValue}-nat-rules-` });
  // The caller's endpoints, checked; keys of endpoint_ids are known at plan.
  const endpoints = fleetEndpoints(body, {
    name: name.stringValue,
    region: rulesBucket.region,
    vpcId: vpcId.stringValue,
    subnetIds: subnetIds.listValue,
    create: [],
    existing: {
      securityGroupId: Token.asString(`\${try(${endpointsVar.fqn}.security_group_id, null)}`),
      endpointIds: Token.asStringMap(`\${try(${endpointsVar.fqn}.endpoint_ids, {})}`),
    },
  });
  const nat = new NatFleet(body, 'nat', {
    fleetName: `${name.stringValue}-nat`,
    vpcId: vpcId.stringValue,
    region: rulesBucket.region,
    subnetIds: subnetIds.listValue,
    // (Every reference before the first "}": cdktf ends an expression there.)
    endpointSecurityGroups: Token.asStringMap(
      `\${${endpointsVar.fqn} != null ? { existing = ${endpointsVar.fqn}.security_group_id } : {}}`,
    ),
    bootDependencies: endpoints.dependables,
    forwards,
    targetGroups: natTargetGroups,
    ingressFrom: [{ key: '', securityGroupId: nlb.securityGroupId, forwards, movedFrom: nlb.natEgressMovedFrom }],
    endpointRulesMovedFrom: { key: 'existing' },
    rulesBucket: { name: rulesBucket.bucketName, arn: rulesBucket.arn, region: rulesBucket.region },
    // Static routes to a VGW carry 1500 bytes whatever the VIF's MTU (pathMtu).
    mss: Token.asNumber(
      `\${min(try(${dx.fqn}.routing, "propagate") == "static" ? 1500 : coalesce(try(${dx.fqn}.private_vif.mtu, null), 1500), 8500) - 40}`,
    ),
    s3PrefixListIds: Token.asList(`\${${s3PrefixList.fqn} == null ? [] : [${s3PrefixList.fqn}]}`),
    instanceType: Token.asString(ref(`${fleet.fqn}.instance_type`)),
    architecture: Token.asString(ref(`${fleet.fqn}.architecture`)) as 'arm64',
    minSize: Token.asNumber(`\${${fleet.fqn}.min_size}`),
    maxSize: Token.asNumber(`\${coalesce(${fleet.fqn}.max_size, ${fleet.fqn}.min_size)}`),
    // References, not "${...}" text: these go into Terraform function calls.
    amiId: Token.asString(ref(`${fleet.fqn}.ami_id`)),
    maxInstanceLifetimeDays: Fn.coalesce([Token.asNumber(ref(`${fleet.fqn}.max_instance_lifetime_days`)), 0]),
  });
  const attachment = new DirectConnectAttachment(body, 'direct-connect', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    // The attachment takes each optional part as an object (decided by its
    // presence, not by an id that may be unknown at plan). Written by name:
    // cdktf ends a reference's expression at its first "}".
    settings: Token.asAny(
      `\${var.direct_connect == null ? null : { amazon_side_asn = var.direct_connect.amazon_side_asn, existing_vgw = var.direct_connect.existing_vgw_id == null ? null : { id = var.direct_connect.existing_vgw_id, attach = var.direct_connect.attach_existing_vgw }, dx_gateway = var.direct_connect.dx_gateway_id == null ? null : { id = var.direct_connect.dx_gateway_id }, private_vif = var.direct_connect.private_vif, hosted_vif = var.direct_connect.hosted_vif_id == null ? null : { id = var.direct_connect.hosted_vif_id }, routing = var.direct_connect.routing }}`,
    ),
    bgpAuthKey: bgpKey.stringValue,
    allowedPrefixes: [vpcCidr.stringValue],
    routeTables: Token.asStringMap(routeTables.value),
    targetIps: forwards.targetIps,
  });

  const monitoring = new DeploymentMonitoring(body, 'monitoring', {
    name: name.stringValue,
    settings: operations.monitoring.value,
    loadBalancers: [{ key: '', title: name.stringValue, loadBalancer: nlb, service }],
    fleets: [{ fleet: nat, targetGroups: natTargetGroups }],
    directConnect: attachment,
  });
  new FlowLogs(body, 'flow-logs', { name: name.stringValue, subnetIds: subnetIds.listValue, settings: operations.flowLogs.value });

  new TerraformOutput(stack, 'alarm_topic_arn', {
    value: monitoring.topicArn,
    description: 'SNS topic of the alarms and notifications (null when monitoring.alarms is false).',
  });
  new TerraformOutput(stack, 'service_name', {
    value: service.serviceName,
    description: 'Endpoint service name: consumers create interface endpoints to it.',
  });
  new TerraformOutput(stack, 'service_id', {
    value: service.serviceId,
    description: 'Endpoint service id: accept pending endpoint connections here (acceptance "manual").',
  });
  new TerraformOutput(stack, 'availability_zones', {
    value: service.availabilityZones,
    description: "Availability zones the service is offered in (zone names of this account; consumers' names differ).",
  });
  new TerraformOutput(stack, 'zone_ids', {
    value: new SubnetZones(body, 'subnet-zones', { subnetIds: subnetIds.listValue, vpcId: vpcId.stringValue }).zoneIds,
    description:
      "Availability zone ids the service is offered in: give them to consumers (the consumer module's services[*].zone_ids); ids, unlike names, are the same in every account.",
  });
  new TerraformOutput(stack, 'port_map', {
    value: `\${{ for name, f in ${forwards.ref} : name => { port = f.listen_port, target = format("%s:%d", f.target_ip, f.target_port), path = f.path } }}`,
    description: 'Forward name to listen port, target and path ("nat" or "direct").',
  });
  new TerraformOutput(stack, 'load_balancer_arn', { value: nlb.loadBalancerArn, description: 'ARN of the forwarding NLB.' });
  new TerraformOutput(stack, 'load_balancer_security_group_id', { value: nlb.securityGroupId, description: 'Security group of the NLB.' });
  new TerraformOutput(stack, 'nat_security_group_id', { value: nat.securityGroupId, description: 'Security group of the NAT instances.' });
  new TerraformOutput(stack, 'nat_asg_name', { value: nat.autoScalingGroupName, description: 'Auto Scaling group of the NAT instances.' });
  new TerraformOutput(stack, 'vgw_id', {
    value: attachment.vgwId,
    description: 'Virtual private gateway the routes point at (null without direct_connect).',
  });
}
