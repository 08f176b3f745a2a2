/**
 * Generates the Terraform modules under modules/ from the constructs
 * themselves: each module is the constructs synthesized with Terraform
 * variables as inputs, provider and backend blocks left out, validation
 * blocks built from the same rule list as the TypeScript checks.
 *
 *   npm run modules            regenerate modules/<name>/
 *   npm run modules -- --check exit 1 when a generated file would change
 *
 * Files under modules/<name>/ are generated: edit this script or the
 * constructs instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct, Node } from 'constructs';
import { App, TerraformElement, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { ConsumerEndpoint } from '../constructs/consumer-endpoint';
import { DirectConnectAttachment } from '../constructs/direct-connect';
import { AWS_PROVIDER_VERSION_CONSTRAINT, pathLogicalId } from '../constructs/dx-stack';
import { EndpointService } from '../constructs/endpoint-service';
import { DEFAULT_TCP_IDLE_TIMEOUT, ForwardSet } from '../constructs/forward-set';
import { ForwardingNlb } from '../constructs/forwarding-nlb';
import { NAT_BOOT_TEMPLATE, NatFleet } from '../constructs/nat-fleet';
import { MAX_LISTENERS_PER_NLB, RULES, Rule } from '../constructs/private/rules';

/** Modules use optional() defaults and validation messages that read the variable. */
export const MODULE_TERRAFORM_VERSION = '>= 1.9.0';

const MODULES_DIR = __dirname;

interface Validation {
  readonly condition: string;
  readonly errorMessage: string;
}

interface VariableSpec {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  /** Set when the default is null (cdktf cannot write a null default). */
  readonly nullDefault?: boolean;
  readonly sensitive?: boolean;
  readonly validations?: Validation[];
}

/** HCL string literal text: escape quotes, backslashes and template markers. */
function hclText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** format() pattern text: hclText plus literal percent signs. */
function formatText(text: string): string {
  return hclText(text).replace(/%/g, '%%');
}

/**
 * A validation that every entry of a map variable passes `rule` on `attr`;
 * the message has the TypeScript wording: `<field>: <problem> (got <value>); <fix>`.
 */
function eachEntry(variable: string, attr: string, rule: Rule<never>, optional = false): Validation {
  const x = attr ? `v.${attr}` : 'k';
  const ok = optional ? `(${x} == null ? true : (${rule.tf(x)}))` : `(${rule.tf(x)})`;
  const field = attr ? `${variable}[%q].${attr}` : `${variable}[%q]`;
  return {
    condition: `\${alltrue([for k, v in var.${variable} : ${ok}])}`,
    errorMessage: `\${join("; ", [for k, v in var.${variable} : format("${field}: ${formatText(rule.problem)} (got %s); ${formatText(rule.fix)}", k, jsonencode(${x})) if !${ok}])}`,
  };
}

/** A validation of a scalar (or nullable) variable expression against `rule`. */
function scalar(field: string, x: string, rule: Rule<never>, nullable = false): Validation {
  const ok = nullable ? `(${x} == null ? true : (${rule.tf(x)}))` : `(${rule.tf(x)})`;
  return {
    condition: `\${${ok}}`,
    errorMessage: `\${format("${field}: ${formatText(rule.problem)} (got %s); ${formatText(rule.fix)}", jsonencode(${x}))}`,
  };
}

/** A validation with a fixed condition and the usual wording. */
function custom(condition: string, field: string, value: string, problem: string, fix: string): Validation {
  return {
    condition: `\${${condition}}`,
    errorMessage: `\${format("${field}: ${formatText(problem)} (got %s); ${formatText(fix)}", jsonencode(${value}))}`,
  };
}

function variable(stack: TerraformStack, name: string, spec: VariableSpec): TerraformVariable {
  const v = new TerraformVariable(stack, name, {
    type: spec.type,
    description: spec.description,
    default: spec.default,
    sensitive: spec.sensitive,
    nullable: spec.nullDefault ? true : undefined,
    validation: spec.validations?.map((x) => ({ condition: x.condition, errorMessage: x.errorMessage })),
  });
  if (spec.nullDefault) v.addOverride('default', null);
  return v;
}

class ModuleStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    return pathLogicalId(this, element);
  }
}

const FORWARDS_TYPE = `map(object({
    listen_port              = number
    target_ip                = string
    target_port              = number
    tcp_idle_timeout_seconds = optional(number, ${DEFAULT_TCP_IDLE_TIMEOUT})
  }))`;

const DIRECT_CONNECT_TYPE = `object({
    amazon_side_asn = optional(number)
    existing_vgw_id = optional(string)
    dx_gateway_id   = optional(string)
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
  })`;

function serviceModule(stack: TerraformStack): void {
  const name = variable(stack, 'name', {
    type: 'string',
    description: 'Prefix of resource names, e.g. "fix-gw-internal" (one per tenant): 2 to 20 lowercase letters, digits or hyphens.',
    validations: [scalar('name', 'var.name', RULES.name)],
  });
  const vpcId = variable(stack, 'vpc_id', { type: 'string', description: 'VPC of the NLB and NAT fleet.' });
  const vpcCidr = variable(stack, 'vpc_cidr', {
    type: 'string',
    description: "CIDR of that VPC: consumers' traffic arrives from NLB addresses in it, and the NAT instances live in it.",
    validations: [scalar('vpc_cidr', 'var.vpc_cidr', RULES.cidr)],
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
      'Prefix list of the S3 gateway endpoint, so the NAT instances can install packages from the Amazon Linux 2023 repositories; null when the AMI needs nothing.',
    nullDefault: true,
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
      'Direct Connect attachment, or null (default) when another module instance or root already connects the VPC: a VGW is created (amazon_side_asn, default 64512) unless existing_vgw_id is given; private_vif creates a VIF on your own connection, hosted_vif_id accepts a partner\'s; dx_gateway_id attaches the VIF through a Direct Connect gateway; routing "propagate" or "static" routes to the targets in route_table_ids.',
    nullDefault: true,
    validations: [
      scalar('direct_connect.amazon_side_asn', 'try(var.direct_connect.amazon_side_asn, null)', RULES.amazonSideAsn, true),
      scalar('direct_connect.private_vif.vlan', 'try(var.direct_connect.private_vif.vlan, null)', RULES.vlan, true),
      scalar('direct_connect.private_vif.bgp_asn', 'try(var.direct_connect.private_vif.bgp_asn, null)', RULES.bgpAsn, true),
      scalar(
        'direct_connect.private_vif.amazon_address',
        'try(var.direct_connect.private_vif.amazon_address, null)',
        RULES.linkAddress,
        true,
      ),
      scalar(
        'direct_connect.private_vif.customer_address',
        'try(var.direct_connect.private_vif.customer_address, null)',
        RULES.linkAddress,
        true,
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
  const fleet = variable(stack, 'nat_fleet', {
    type: NAT_FLEET_TYPE,
    description:
      'NAT instance sizing: instance_type (t4g.small), architecture of the Amazon Linux 2023 image ("arm64" or "x86_64", matching the type), min_size (at least 2), max_size (default min_size). The fleet scales to zero when no forward has a public target.',
    default: {},
    validations: [
      scalar('nat_fleet.min_size', 'var.nat_fleet.min_size', RULES.fleetMinSize),
      custom(
        'contains(["arm64", "x86_64"], var.nat_fleet.architecture)',
        'nat_fleet.architecture',
        'var.nat_fleet.architecture',
        'is not an allowed value',
        'use one of: "arm64", "x86_64"',
      ),
      custom(
        'var.nat_fleet.max_size == null ? true : var.nat_fleet.max_size >= var.nat_fleet.min_size && var.nat_fleet.max_size <= 100',
        'nat_fleet.max_size',
        'var.nat_fleet.max_size',
        'is below min_size or above 100',
        'use a whole number from min_size to 100',
      ),
    ],
  });

  // Variables are named like the constructs; "Default" keeps this scope out of addresses.
  const body = new Construct(stack, 'Default');
  const forwards = new ForwardSet(body, 'forwards', { forwards: fwdVar.value });
  const nlb = new ForwardingNlb(body, 'nlb', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    vpcCidr: vpcCidr.stringValue,
    subnetIds: subnetIds.listValue,
    forwards,
  });
  const service = new EndpointService(body, 'service', {
    name: name.stringValue,
    loadBalancerArn: nlb.loadBalancerArn,
    allowedPrincipals: principals.listValue,
    acceptanceRequired: Token.asAny(`\${${acceptance.fqn} == "manual"}`) as unknown as boolean,
    supportedRegions: Token.asList(`\${length(${regions.fqn}) > 0 ? ${regions.fqn} : null}`),
  });
  const nat = new NatFleet(body, 'nat', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    vpcCidr: vpcCidr.stringValue,
    subnetIds: subnetIds.listValue,
    forwards,
    targetGroupArns: nlb.natTargetGroupArns,
    s3PrefixListIds: Token.asList(`\${${s3PrefixList.fqn} == null ? [] : [${s3PrefixList.fqn}]}`),
    instanceType: `\${${fleet.fqn}.instance_type}`,
    architecture: `\${${fleet.fqn}.architecture}` as 'arm64',
    minSize: Token.asNumber(`\${${fleet.fqn}.min_size}`),
    maxSize: Token.asNumber(`\${coalesce(${fleet.fqn}.max_size, ${fleet.fqn}.min_size)}`),
  });
  const attachment = new DirectConnectAttachment(body, 'direct-connect', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    settings: dx.value,
    bgpAuthKey: bgpKey.stringValue,
    allowedPrefixes: [vpcCidr.stringValue],
    routeTables: Token.asStringMap(routeTables.value),
    targetIps: forwards.targetIps,
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
    description: 'Availability zones the service is offered in.',
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

function consumerModule(stack: TerraformStack): void {
  const name = variable(stack, 'name', {
    type: 'string',
    description: "Prefix of resource names (the consumer's name).",
    validations: [scalar('name', 'var.name', RULES.name)],
  });
  const vpcId = variable(stack, 'vpc_id', { type: 'string', description: 'Consumer VPC the interface endpoints are created in.' });
  const subnetIds = variable(stack, 'subnet_ids', {
    type: 'list(string)',
    description: 'One subnet per availability zone for the endpoints (two or more for high availability).',
    validations: [
      custom(
        'length(var.subnet_ids) >= 1',
        'subnet_ids',
        'var.subnet_ids',
        'is empty',
        'list one subnet per availability zone for the endpoint',
      ),
    ],
  });
  const cidrs = variable(stack, 'allowed_cidrs', {
    type: 'list(string)',
    description: 'CIDRs of the applications that may connect; the endpoint security group admits only the forward ports from them.',
    validations: [
      custom(
        'length(var.allowed_cidrs) > 0',
        'allowed_cidrs',
        'var.allowed_cidrs',
        'is empty',
        'list the CIDRs of the consumer applications that may connect',
      ),
      {
        condition: `\${alltrue([for c in var.allowed_cidrs : ${RULES.cidr.tf('c')}])}`,
        errorMessage: `\${join("; ", [for c in var.allowed_cidrs : format("allowed_cidrs: ${formatText(RULES.cidr.problem)} (got %s); ${formatText(RULES.cidr.fix)}", jsonencode(c)) if !(${RULES.cidr.tf('c')})])}`,
      },
      custom(
        '!contains(var.allowed_cidrs, "0.0.0.0/0")',
        'allowed_cidrs',
        '"0.0.0.0/0"',
        'admits every address',
        'list the CIDRs of the consumer applications only',
      ),
    ],
  });
  const services = variable(stack, 'services', {
    type: `map(object({
    service_name   = string
    service_region = optional(string)
    ports          = map(number)
  }))`,
    description:
      'Endpoint services to connect to, keyed by a stable name (e.g. "internal-0"): service_name (the provider\'s output), service_region when the service is in another region, and ports (listen port per forward name).',
    validations: [
      custom('length(var.services) > 0', 'services', 'var.services', 'is empty', 'give at least one endpoint service to connect to'),
      {
        condition: `\${alltrue(flatten([for k, s in var.services : [for f, p in s.ports : ${RULES.port.tf('p')}]]))}`,
        errorMessage: `\${join("; ", flatten([for k, s in var.services : [for f, p in s.ports : format("services[%q].ports[%q]: ${formatText(RULES.port.problem)} (got %s); ${formatText(RULES.port.fix)}", k, f, jsonencode(p)) if !(${RULES.port.tf('p')})]]))}`,
      },
    ],
  });
  const zone = variable(stack, 'dns_zone', {
    type: 'string',
    description: 'Private hosted zone (e.g. "fix.internal") with one alias record per forward, <forward>.<zone>; null for none.',
    nullDefault: true,
    validations: [scalar('dns_zone', 'var.dns_zone', RULES.dnsZone, true)],
  });

  const endpoint = new ConsumerEndpoint(stack, 'Default', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    subnetIds: subnetIds.listValue,
    allowedCidrs: cidrs.listValue,
    services: services.value,
    dnsZone: zone.stringValue,
  });
  new TerraformOutput(stack, 'endpoint_dns_names', {
    value: endpoint.endpointDnsNames,
    description: 'Regional DNS name of each interface endpoint, by service key.',
  });
  new TerraformOutput(stack, 'forwards', { value: endpoint.forwardAddresses, description: 'host:port to connect to, by forward name.' });
}

interface ModuleDefinition {
  readonly name: string;
  readonly summary: string;
  readonly build: (stack: TerraformStack) => void;
  readonly usage: string;
}

export const MODULES: ModuleDefinition[] = [
  {
    name: 'dx-privatelink-service',
    summary:
      'The provider-account side of dx-privatelink for one tenant: an internal cross-zone NLB with one TCP listener and target group per forward, an Auto Scaling group of Amazon Linux 2023 NAT instances (nftables DNAT/SNAT, loaded by a systemd unit at every boot) for public targets, NLB IP targets for RFC 1918 / RFC 6598 targets, a VPC endpoint service on the NLB, and optionally the Direct Connect attachment (VGW, private or hosted VIF, Direct Connect gateway association, routes to the targets).',
    build: serviceModule,
    usage: `module "service" {
  source = "../../modules/dx-privatelink-service"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-service?ref=v0.1.0"

  name               = "fix-gw-desk"
  vpc_id             = "vpc-0123456789abcdef0"
  vpc_cidr           = "10.42.0.0/24"
  subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  route_table_ids    = { a = "rtb-0aaaaaaaaaaaaaaaa", b = "rtb-0bbbbbbbbbbbbbbbb" }
  allowed_principals = ["arn:aws:iam::222222222222:root"]

  forwards = {
    broker-a-fix = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 9876, tcp_idle_timeout_seconds = 3600 }
    clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 }
  }

  direct_connect = {
    hosted_vif_id = "dxvif-ffhhk74f"
  }
}`,
  },
  {
    name: 'dx-privatelink-consumer',
    summary:
      'The consumer-account side of dx-privatelink: one interface VPC endpoint per endpoint service (tenant shard), a security group that admits only the forward ports from the CIDRs you list, and optionally a private hosted zone with one name per forward.',
    build: consumerModule,
    usage: `module "consumer" {
  source = "../../modules/dx-privatelink-consumer"

  name          = "desk-eu"
  vpc_id        = "vpc-0222222222222222a"
  subnet_ids    = ["subnet-0222222222222222a", "subnet-0222222222222222b"]
  allowed_cidrs = ["10.1.0.0/16"]
  dns_zone      = "fix.internal"

  services = {
    internal-0 = {
      service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0" # the service module's service_name output
      ports        = { broker-a-fix = 9001, clearing-api = 9443 }
    }
  }
}`,
  },
];

/** Drops cdktf's "//" metadata, recursively. */
function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, stripMetadata(v)]),
    );
  }
  return value;
}

/** A variable or output block as synthesized. */
interface TfBlock {
  readonly description?: string;
  readonly type?: string;
  readonly default?: unknown;
}

const TEMPLATE_FILE = path.join('templates', path.basename(NAT_BOOT_TEMPLATE));

/** The generated files of one module, by path relative to its directory. */
export function renderModule(def: ModuleDefinition): Record<string, string> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-'));
  try {
    const app = new App({ outdir, skipValidation: true });
    const stack = new ModuleStack(app, def.name);
    def.build(stack);
    app.synth();
    const stackDir = path.join(outdir, 'stacks', def.name);
    let text = readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    const files: Record<string, string> = {};
    // The boot template ships inside the module; point templatefile() at it.
    const assets = path.join(stackDir, 'assets');
    if (existsSync(assets)) {
      text = text.replace(/assets\/[A-Za-z0-9_-]+\/[0-9A-F]+\/nat-boot\.sh\.tftpl/g, TEMPLATE_FILE);
      files[TEMPLATE_FILE] = readFileSync(NAT_BOOT_TEMPLATE, 'utf8');
    }
    const json = stripMetadata(JSON.parse(text)) as Record<string, Record<string, TfBlock>>;
    // The module's own versions file replaces terraform{}; callers configure the provider.
    const main = Object.fromEntries(Object.entries(json).filter(([k]) => !['variable', 'output', 'terraform', 'provider'].includes(k)));
    const variables = json.variable;
    const outputs = json.output;
    const write = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    files['main.tf.json'] = write({ '//': `Generated by modules/generate.ts from the dx-privatelink constructs. Do not edit.`, ...main });
    files['variables.tf.json'] = write({ variable: variables });
    files['outputs.tf.json'] = write({ output: outputs });
    files['versions.tf.json'] = write({
      terraform: {
        required_version: MODULE_TERRAFORM_VERSION,
        required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION_CONSTRAINT } },
      },
    });
    files['README.md'] = readme(def, variables, outputs);
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n\s*/g, ' ');
}

function readme(def: ModuleDefinition, variables: Record<string, TfBlock>, outputs: Record<string, TfBlock>): string {
  const inputs = Object.entries(variables).map(([n, v]) => {
    const required = !('default' in v);
    const dflt = required ? 'n/a' : `\`${JSON.stringify(v.default)}\``;
    return `| ${n} | ${cell(v.description ?? '')} | \`${cell(v.type ?? 'any')}\` | ${dflt} | ${required ? 'yes' : 'no'} |`;
  });
  const outs = Object.entries(outputs).map(([n, o]) => `| ${n} | ${cell(o.description ?? '')} |`);
  return `<!-- Generated by modules/generate.ts. Do not edit: change the generator or the constructs and run \`npm run modules\`. -->
# ${def.name}

${def.summary}

## Usage

\`\`\`hcl
${def.usage}
\`\`\`

Requires Terraform ${MODULE_TERRAFORM_VERSION} and the \`hashicorp/aws\` provider ${AWS_PROVIDER_VERSION_CONSTRAINT}. The module has no provider or backend block: configure the AWS provider (region, credentials, default tags) in your root. Every input is validated with the same rules, and the same wording, as the dx-privatelink config file.

## Inputs

| Name | Description | Type | Default | Required |
| --- | --- | --- | --- | --- |
${inputs.join('\n')}

## Outputs

| Name | Description |
| --- | --- |
${outs.join('\n')}
`;
}

/** Writes (or, with check, compares) every module; returns the paths that differ. */
export function generate(check: boolean): string[] {
  const changed: string[] = [];
  for (const def of MODULES) {
    const dir = path.join(MODULES_DIR, def.name);
    const files = renderModule(def);
    const existing = existsSync(dir) ? listFiles(dir) : [];
    for (const stale of existing.filter((f) => !(f in files))) {
      changed.push(path.join(def.name, stale));
      if (!check) rmSync(path.join(dir, stale));
    }
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(dir, rel);
      if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
      changed.push(path.join(def.name, rel));
      if (!check) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  }
  return changed;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const changed = generate(check);
  if (check && changed.length > 0) {
    console.error(`error: generated modules are out of date: ${changed.join(', ')}; run npm run modules and commit the result`);
    process.exitCode = 1;
  } else {
    console.log(changed.length === 0 ? 'modules: up to date' : `modules: wrote ${changed.join(', ')}`);
  }
}
