/**
 * The dx-privatelink-vpc module's `direct_connect` input: each optional
 * part is an object, so that an id created in the same apply (a VGW, a
 * Direct Connect gateway) still plans: Terraform decides from the part's
 * presence, known at plan, not from its id.
 */
import { TerraformStack, TerraformVariable } from 'cdktf';
import { RULES } from '../constructs/private/rules';
import { custom, firstOf, scalar, variable } from './validation';

const DIRECT_CONNECT_TYPE = `object({
    amazon_side_asn = optional(number)
    existing_vgw = optional(object({
      id     = string
      attach = optional(bool, false)
    }))
    dx_gateway = optional(object({
      id = string
    }))
    private_vif = optional(object({
      connection_id    = string
      vlan             = number
      bgp_asn          = number
      amazon_address   = string
      customer_address = string
      mtu              = optional(number, 1500)
    }))
    hosted_vif = optional(object({
      id = string
    }))
    routing = optional(string, "propagate")
  })`;

export function directConnectVariable(stack: TerraformStack): TerraformVariable {
  return variable(stack, 'direct_connect', {
    type: DIRECT_CONNECT_TYPE,
    description:
      'Direct Connect attachment, or null (default) when the VPC is connected otherwise: a VGW is created (amazon_side_asn, default 64512) unless existing_vgw = { id } names one (already attached to the VPC, or attached here with attach = true); private_vif creates a VIF on your own connection, hosted_vif = { id } accepts a partner\'s; dx_gateway = { id } attaches the VIF through a Direct Connect gateway; routing "propagate" (the VGW propagates into route_table_ids) or "static" (one route per address of the static_targets input in each route table).',
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
        'var.direct_connect == null ? true : var.direct_connect.private_vif == null || var.direct_connect.hosted_vif == null',
        'direct_connect',
        '["private_vif", "hosted_vif"]',
        'has both private_vif and hosted_vif',
        'create a VIF on your own connection or accept a hosted one, not both',
      ),
      custom(
        'var.direct_connect == null ? true : var.direct_connect.existing_vgw == null || var.direct_connect.amazon_side_asn == null',
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
}

/**
 * The addresses static routes go to: an input of its own, not a field of
 * direct_connect, so that a root may feed it the service modules'
 * target_ips while those modules take this module's network output (the
 * output reads direct_connect; a field there would make a cycle).
 */
export function staticTargetsVariable(stack: TerraformStack): TerraformVariable {
  return variable(stack, 'static_targets', {
    type: 'list(string)',
    description:
      'With direct_connect.routing = "static": the target addresses to route to the VGW, one route per address in each route table; e.g. distinct(flatten([for s in module.service : s.target_ips])). Empty: no routes (a VPC before its first tenant, or after its last).',
    default: [],
    validations: [
      custom(
        'try(var.direct_connect.routing, "propagate") == "static" || length(var.static_targets) == 0',
        'static_targets',
        'var.static_targets',
        'is set, but direct_connect.routing is not "static" (the addresses would be ignored)',
        'set direct_connect.routing = "static", or remove static_targets (the VGW propagates the routes it learns)',
      ),
      {
        condition: `\${alltrue([for ip in var.static_targets : ${RULES.targetIp.tf('ip')}])}`,
        errorMessage: `\${join("; ", [for ip in var.static_targets : format("static_targets: %s is not an IPv4 address; give addresses such as 192.0.2.10", jsonencode(ip)) if !(${RULES.targetIp.tf('ip')})])}`,
      },
    ],
  });
}
