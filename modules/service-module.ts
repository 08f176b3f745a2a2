/**
 * The dx-privatelink-service module: one tenant's NLB, NAT fleet and
 * endpoint service, built from the constructs with Terraform variables as
 * inputs. What the VPC needs once (Direct Connect, fleet endpoints, flow
 * logs) is the dx-privatelink-vpc module's, whose `network` output this
 * module takes: removing one tenant leaves the link and the others alone.
 */
import { Construct } from 'constructs';
import { Fn, TerraformLocal, TerraformStack, Token, ref } from 'cdktf';
import { EndpointService } from '../constructs/endpoint-service';
import { DeploymentMonitoring } from '../constructs/monitoring';
import { DEFAULT_TCP_IDLE_TIMEOUT, ForwardSet } from '../constructs/forward-set';
import { ForwardingNlb } from '../constructs/forwarding-nlb';
import { NatFleet } from '../constructs/nat-fleet';
import { FLEET_SERVICES, fleetEndpoints } from '../constructs/fleet-endpoints';
import { PrivateBucket } from '../constructs/private-bucket';
import { DIRECT_TARGET_PATTERN } from '../constructs/private/ipv4';
import { NAT_MAX_HEALTHY_PERCENT } from '../constructs/private/fleets';
import { QUOTAS } from '../constructs/private/quotas';
import { ARM64_INSTANCE_PATTERN, MAX_LISTENERS_PER_NLB, RULES } from '../constructs/private/rules';
import { KEY_POLICY, iamOptions, iamVariable, kmsKeyVariable, securityGroupIdsValidations } from './locked-down';
import { operationsVariables } from './service-operations';
import { serviceOutputs } from './service-outputs';
import { tagWithVariable } from './tags';
import { custom, eachEntry, formatText, scalar, variable } from './validation';

const FORWARDS_TYPE = `map(object({
    listen_port              = number
    target_ip                = string
    target_port              = number
    tcp_idle_timeout_seconds = optional(number, ${DEFAULT_TCP_IDLE_TIMEOUT})
  }))`;

const NAT_FLEET_TYPE = `object({
    instance_type = optional(string, "t4g.small")
    architecture  = optional(string, "arm64")
    min_size      = optional(number, 2)
    max_size      = optional(number)
    ami_id        = optional(string)
    max_instance_lifetime_days = optional(number)
    security_group_ids = optional(list(string), [])
  })`;

export function serviceModule(stack: TerraformStack): void {
  const name = variable(stack, 'name', {
    type: 'string',
    description: 'Prefix of resource names, e.g. "fix-gw-internal" (one per tenant): 2 to 20 lowercase letters, digits or hyphens.',
    validations: [scalar('name', 'var.name', RULES.name)],
  });
  const networkVar = variable(stack, 'network', {
    type: `object({
    vpc_id            = string
    subnet_ids        = list(string)
    s3_prefix_list_id = string
    fleet_endpoints = object({
      security_group_id = string
      endpoint_ids      = map(string)
    })
    path_mtu = optional(number, 1500)
  })`,
    description:
      "The VPC this tenant lives in: the dx-privatelink-vpc module's network output (or the same object built by hand): vpc_id; subnet_ids, one per availability zone, at least two (NLB and NAT instances); s3_prefix_list_id, the region's S3 prefix list (the NAT instances fetch their rules through the VPC's S3 gateway endpoint); fleet_endpoints, the VPC's interface endpoints (private DNS on) by service, autoscaling at least, and a security group on them that this module admits its NAT instances to (so manage that group's rules as separate resources); path_mtu, the largest packet the path to the targets carries (1500; a VIF's 9001 only with propagated routes).",
    validations: [
      custom(
        'length(var.network.subnet_ids) >= 2',
        'network.subnet_ids',
        'var.network.subnet_ids',
        'has fewer than 2 subnets',
        'give one subnet in each of at least two availability zones',
      ),
      custom(
        'contains(keys(var.network.fleet_endpoints.endpoint_ids), "autoscaling")',
        'network.fleet_endpoints.endpoint_ids',
        'keys(var.network.fleet_endpoints.endpoint_ids)',
        'has no autoscaling endpoint',
        "give the id of the VPC's com.amazonaws.<region>.autoscaling interface endpoint (private DNS on): each NAT instance completes its launch through it",
      ),
      custom(
        `alltrue([for k in keys(var.network.fleet_endpoints.endpoint_ids) : contains(${JSON.stringify(FLEET_SERVICES)}, k)])`,
        'network.fleet_endpoints.endpoint_ids',
        'keys(var.network.fleet_endpoints.endpoint_ids)',
        'has a key that is not a service the NAT instances call',
        `use keys of: ${FLEET_SERVICES.map((x) => `"${x}"`).join(', ')}`,
      ),
      scalar('network.path_mtu', 'var.network.path_mtu', RULES.mtu),
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
  const fleet = variable(stack, 'nat_fleet', {
    type: NAT_FLEET_TYPE,
    description:
      'NAT instances: instance_type (t4g.small), architecture of the Amazon Linux 2023 image ("arm64" or "x86_64", matching the type), min_size (at least 2), max_size (default min_size); ami_id pins an Amazon Linux 2023 image of that architecture (default: the latest, resolved at each launch; a change rolls the fleet, new instances first); max_instance_lifetime_days (1 to 365) replaces each instance after that many days, new instance first (default: no limit); security_group_ids, the account\'s own security groups on the instances beside the fleet\'s (a change rolls the fleet, new instances first). The fleet scales to zero when no forward has a public target.',
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
      ...securityGroupIdsValidations('nat_fleet.security_group_ids', 'var.nat_fleet.security_group_ids', {
        own: 1,
        quota: 'var.quotas.security_groups_per_network_interface',
      }),
    ],
  });
  const nlbGroups = variable(stack, 'nlb_security_group_ids', {
    type: 'list(string)',
    description:
      "The account's own security groups on the NLB, after its own group (changed in place: the NLB is always created with a group).",
    default: [],
    validations: securityGroupIdsValidations('nlb_security_group_ids', 'var.nlb_security_group_ids'),
  });
  variable(stack, 'quotas', {
    type: `object({
    security_groups_per_network_interface = optional(number, ${QUOTAS.security_groups_per_network_interface.default})
  })`,
    description:
      "This account's quotas where raised: security_groups_per_network_interface (the NAT instances carry the fleet's group and nat_fleet.security_group_ids).",
    default: {},
  });
  const iam = iamVariable(stack, {
    bounded: 'the NAT instance role',
    actions:
      's3:GetObject, autoscaling:CompleteLifecycleAction, ssm:UpdateInstanceInformation, the ssmmessages:* and ec2messages:* actions of Session Manager, and kms:Decrypt with kms_key_arn',
    pathOf: 'that role and its instance profile',
    pathChange: 'replaces them and rolls the NAT fleet, new instances first: set it before the first apply',
  });
  const kmsKey = kmsKeyVariable(
    stack,
    "the alarm topic created here (an existing topic_arn keeps its own), the NAT rules bucket (SSE-KMS with an S3 Bucket Key; the NAT role may kms:Decrypt its objects) and the NAT instances' root volumes (a change rolls the fleet, new instances first)",
    `${KEY_POLICY.topic}; ${KEY_POLICY.volumes}; ${KEY_POLICY.bucket}`,
  );

  const operations = operationsVariables(stack);
  const protection = Token.asAny(operations.deletionProtection.booleanValue) as unknown as boolean;
  const net = networkVar.fqn;
  const vpcId = Token.asString(ref(`${net}.vpc_id`));
  const subnetIds = Token.asList(ref(`${net}.subnet_ids`));

  // Variables are named like the constructs; "Default" keeps this scope out of addresses.
  const body = new Construct(stack, 'Default');
  const forwards = new ForwardSet(body, 'forwards', { forwards: fwdVar.value });
  const nlb = new ForwardingNlb(body, 'nlb', {
    name: name.stringValue,
    vpcId,
    subnetIds,
    forwards,
    deletionProtection: protection,
    securityGroupIds: nlbGroups.listValue,
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
  const rulesBucket = new PrivateBucket(body, 'nat-rules', { namePrefix: `${name.stringValue}-nat-rules-`, kmsKeyArn: kmsKey.stringValue });
  // The VPC's endpoints, checked at plan when their ids are known; keys of endpoint_ids are known at plan.
  const endpoints = fleetEndpoints(body, {
    name: name.stringValue,
    region: rulesBucket.region,
    vpcId,
    subnetIds,
    create: [],
    existing: {
      securityGroupId: Token.asString(ref(`${net}.fleet_endpoints.security_group_id`)),
      endpointIds: Token.asStringMap(ref(`${net}.fleet_endpoints.endpoint_ids`)),
    },
  });
  const nat = new NatFleet(body, 'nat', {
    fleetName: `${name.stringValue}-nat`,
    vpcId,
    region: rulesBucket.region,
    subnetIds,
    endpointSecurityGroups: { existing: Token.asString(ref(`${net}.fleet_endpoints.security_group_id`)) },
    bootDependencies: endpoints.dependables,
    forwards,
    targetGroups: natTargetGroups,
    ingressFrom: [{ key: '', securityGroupId: nlb.securityGroupId, forwards, movedFrom: nlb.natEgressMovedFrom }],
    endpointRulesMovedFrom: { key: 'existing' },
    rulesBucket: { name: rulesBucket.bucketName, arn: rulesBucket.arn, region: rulesBucket.region },
    mss: Token.asNumber(`\${min(${net}.path_mtu, 8500) - 40}`),
    // A list of one whose length is known at plan, even when the id is not.
    s3PrefixListIds: [Token.asString(ref(`${net}.s3_prefix_list_id`))],
    instanceType: Token.asString(ref(`${fleet.fqn}.instance_type`)),
    architecture: Token.asString(ref(`${fleet.fqn}.architecture`)) as 'arm64',
    minSize: Token.asNumber(`\${${fleet.fqn}.min_size}`),
    maxSize: Token.asNumber(`\${coalesce(${fleet.fqn}.max_size, ${fleet.fqn}.min_size)}`),
    // References, not "${...}" text: these go into Terraform function calls.
    amiId: Token.asString(ref(`${fleet.fqn}.ami_id`)),
    maxInstanceLifetimeDays: Fn.coalesce([Token.asNumber(ref(`${fleet.fqn}.max_instance_lifetime_days`)), 0]),
    instanceTags: Token.asStringMap(ref('var.tags')),
    securityGroupIds: Token.asList(ref(`${fleet.fqn}.security_group_ids`)),
    kmsKeyArn: kmsKey.stringValue,
    iam: iamOptions(iam),
  });

  const monitoring = new DeploymentMonitoring(body, 'monitoring', {
    name: name.stringValue,
    settings: operations.monitoring.value,
    loadBalancers: [{ key: '', title: name.stringValue, loadBalancer: nlb, service }],
    fleets: [{ fleet: nat, targetGroups: natTargetGroups }],
    kmsKeyArn: kmsKey.stringValue,
  });
  tagWithVariable(stack);
  serviceOutputs(stack, { body, forwards, nlb, service, nat, rulesBucket, monitoring, vpcId, subnetIds });
}
