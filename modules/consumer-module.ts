/**
 * The dx-privatelink-consumer module: interface endpoints, their security
 * group and optional DNS names in a consumer account.
 */
import { TerraformOutput, TerraformStack, Token } from 'cdktf';
import { QUOTAS } from '../constructs/private/quotas';
import { ConsumerEndpoint } from '../constructs/consumer-endpoint';
import { RULES } from '../constructs/private/rules';
import { tagsVariable } from './service-operations';
import { tagWithVariable } from './tags';
import { custom, firstOf, formatText, scalar, variable } from './validation';

export function consumerModule(stack: TerraformStack): void {
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
      scalar('allowed_cidrs', 'var.allowed_cidrs', RULES.cidrsNotEveryone),
    ],
  });
  const services = variable(stack, 'services', {
    type: `map(object({
    service_name   = string
    service_region = optional(string)
    zone_ids       = optional(list(string))
    ports          = map(number)
  }))`,
    description:
      'Endpoint services to connect to, keyed by a stable name (e.g. "internal-0"): service_name (the provider\'s output), service_region when the service is in another region, zone_ids (the service module\'s zone_ids output: the plan fails naming any endpoint subnet in another zone) and ports (listen port per forward name).',
    validations: [
      custom('length(var.services) > 0', 'services', 'var.services', 'is empty', 'give at least one endpoint service to connect to'),
      custom(
        'length(flatten([for k, s in var.services : keys(s.ports)])) == length(distinct(flatten([for k, s in var.services : keys(s.ports)])))',
        'services',
        'flatten([for k, s in var.services : keys(s.ports)])',
        'has a forward name in the ports of two services (its DNS name and forwards output would be one of them only)',
        'give every forward its own name across services (the provider side keeps forward names unique per tenant; prefix them per service here if two tenants share one)',
      ),
      // Each forward name is the first label of its DNS name.
      {
        condition: `\${alltrue(flatten([for k, s in var.services : [for f, p in s.ports : ${RULES.forwardName.tf('f')}]]))}`,
        errorMessage: `\${join("; ", flatten([for k, s in var.services : [for f, p in s.ports : format("services[%q].ports[%q]: ${formatText(RULES.forwardName.problem)} (got %s); ${formatText(RULES.forwardName.fix)}", k, f, jsonencode(f)) if !(${RULES.forwardName.tf('f')})]]))}`,
      },
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
    validations: [firstOf('dns_zone', 'var.dns_zone', [RULES.dnsZone, RULES.dnsZoneLength, RULES.dnsZoneNotAws], true)],
  });
  const zoneId = variable(stack, 'dns_zone_id', {
    type: 'string',
    description:
      "An existing private hosted zone (its id, such as Z0123456789ABCDEFGHIJ) named dns_zone and associated with vpc_id, for accounts whose zones a DNS team owns: the records <forward>.<dns_zone> go into it and no zone is created. null (default): a zone dns_zone is created. Switching later: Route 53 associates a VPC with one private zone of a name only, so your zone cannot be associated with vpc_id while the module's is; create it unassociated, set dns_zone_id and apply (the module's zone and records go, and the names do not resolve until the next step), then associate it with vpc_id.",
    nullDefault: true,
    validations: [
      scalar('dns_zone_id', 'var.dns_zone_id', RULES.hostedZoneId, true),
      custom(
        'var.dns_zone_id == null || var.dns_zone != null',
        'dns_zone_id',
        'var.dns_zone_id',
        'is given without dns_zone',
        'set dns_zone to the name of that zone (the records are <forward>.<dns_zone>), or remove dns_zone_id',
      ),
    ],
  });

  const quotas = variable(stack, 'quotas', {
    type: `object({
    security_group_rules_per_direction = optional(number, ${QUOTAS.security_group_rules_per_direction.default})
    interface_endpoints_per_vpc        = optional(number, ${QUOTAS.interface_endpoints_per_vpc.default})
  })`,
    description:
      "This account's quotas where raised: security_group_rules_per_direction (each endpoint's security group admits its ports from each allowed CIDR within it), interface_endpoints_per_vpc (one endpoint per service).",
    default: {},
    validations: [
      custom(
        'length(var.allowed_cidrs) <= var.quotas.security_group_rules_per_direction',
        'allowed_cidrs',
        'length(var.allowed_cidrs)',
        `needs one rule per CIDR in each endpoint security group, more than quotas.security_group_rules_per_direction (${QUOTAS.security_group_rules_per_direction.source})`,
        `list fewer, larger CIDRs, or raise the quota (Service Quotas ${QUOTAS.security_group_rules_per_direction.code}) and set quotas.security_group_rules_per_direction`,
      ),
      custom(
        'length(var.services) <= var.quotas.interface_endpoints_per_vpc',
        'services',
        'length(var.services)',
        `needs one interface endpoint each, more than quotas.interface_endpoints_per_vpc (${QUOTAS.interface_endpoints_per_vpc.source})`,
        `connect to fewer services, or raise the quota (Service Quotas ${QUOTAS.interface_endpoints_per_vpc.code}) and set quotas.interface_endpoints_per_vpc`,
      ),
    ],
  });

  tagsVariable(stack);
  const endpoint = new ConsumerEndpoint(stack, 'Default', {
    name: name.stringValue,
    vpcId: vpcId.stringValue,
    subnetIds: subnetIds.listValue,
    allowedCidrs: cidrs.listValue,
    services: services.value,
    dnsZone: zone.stringValue,
    dnsZoneId: zoneId.stringValue,
    securityGroupRulesQuota: Token.asNumber(`\${${quotas.fqn}.security_group_rules_per_direction}`),
  });
  new TerraformOutput(stack, 'endpoint_dns_names', {
    value: endpoint.endpointDnsNames,
    description: 'Regional DNS name of each interface endpoint, by service key.',
  });
  new TerraformOutput(stack, 'endpoint_ids', {
    value: endpoint.endpointIds,
    description: 'Interface endpoint id by service key: aws_vpc_endpoint_connection_accepter on the provider side (acceptance "manual").',
  });
  new TerraformOutput(stack, 'security_group_ids', {
    value: endpoint.securityGroupIds,
    description: "Each endpoint's security group id, by service key.",
  });
  new TerraformOutput(stack, 'hosted_zone_id', {
    value: endpoint.hostedZoneId,
    description: 'The private hosted zone of the records: the one created, or dns_zone_id (null without dns_zone).',
  });
  new TerraformOutput(stack, 'forwards', { value: endpoint.forwardAddresses, description: 'host:port to connect to, by forward name.' });
  tagWithVariable(stack);
}
