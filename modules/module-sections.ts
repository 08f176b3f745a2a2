/** README sections of the modules beyond their usage and tables. */

/** The service module's README: removing a tenant on purpose. */
export const SERVICE_TEARDOWN = `## Removing a tenant, tearing down

With \`deletion_protection = true\` (the default) the NLB has deletion protection, and \`terraform_data.service_guard\` (\`prevent_destroy\`, replaced with the service) fails any plan that destroys or replaces the endpoint service. Terraform applies \`prevent_destroy\` to every instance of a resource block that is still in the configuration, also one that \`count\` or \`for_each\` no longer asks for. So setting \`deletion_protection = false\` alone, or removing one key of the module's \`for_each\`, fails the plan with "Instance cannot be destroyed". Tear down in two applies:

1. Set \`deletion_protection = false\` for that module call (or that tenant) and, in the same change, move its guard out of the module with a \`moved\` block in your root, to an address the root does not declare:

   <!-- doc-test: checked-by __tests__/deletion-protection.test.ts -->
   \`\`\`hcl
   moved {
     from = module.service["clients"].terraform_data.service_guard[0] # a single call: module.service.terraform_data.service_guard[0]
     to   = terraform_data.service_guard_released
   }
   \`\`\`

   Apply: the guard is destroyed (outside the module its \`prevent_destroy\` no longer applies) and the NLB's deletion protection comes off. The endpoint service and everything else stay.
2. Remove the module call, or the tenant's key from the \`for_each\` map, and the \`moved\` block; apply (\`terraform destroy\` of a whole root also needs the VPC module's guards released: see its README). The tenant's endpoint service, NLB and NAT fleet are destroyed, and its consumers' endpoints stop working; other tenants are untouched.

Step 1 cannot be skipped: with the NLB still protected, removing a single call plans, but the apply fails at AWS when it deletes the NLB, after it has already destroyed the endpoint service, its listeners and the NAT fleet. Several tenants at once: one \`moved\` block each, each to its own address (\`terraform_data.service_guard_released_clients\`, ...).

In VCS-driven workspaces (Terraform Cloud / Enterprise, Atlantis) these are two commits, each an ordinary plan and apply run: no \`terraform state rm\`. From the command line, \`terraform state rm 'module.service["clients"].terraform_data.service_guard[0]'\` before step 1 does the same as its \`moved\` block.
`;

/** The VPC module's README: removing or rebuilding the link on purpose. */
export const VPC_TEARDOWN = `## Removing the link, tearing down

With \`deletion_protection = true\` (the default) each Direct Connect part made here (the VGW, the private VIF, the hosted VIF accepter, the Direct Connect gateway association) has a guard, \`terraform_data\` with \`prevent_destroy\` replaced with its part: a plan that destroys or replaces one fails with "Instance cannot be destroyed" and names the guard. (Removing or renaming the \`module\` block itself removes the guards with it: Terraform then plans the destroy; read the plan.) An attached existing VGW (\`existing_vgw = { attach = true }\`) has no guard: setting \`attach = false\` detaches it. That is the point: a new \`name\` input (the VIF's name), a new \`amazon_side_asn\`, a \`dx_gateway\` added or removed, or the VIF's VLAN, addresses, ASN or BGP key changed would each replace the link under every tenant. When you mean to remove or rebuild it, do it in two applies:

1. Set \`deletion_protection = false\` and, in the same change, move the guards out of the module with \`moved\` blocks in your root, to addresses the root does not declare (a block whose guard is not in your state does nothing):

   <!-- doc-test: checked-by __tests__/link-protection.test.ts -->
   \`\`\`hcl
   moved {
     from = module.network.terraform_data.direct_connect_vgw_guard[0]
     to   = terraform_data.link_guard_released_vgw
   }
   moved {
     from = module.network.terraform_data.direct_connect_private_vif_guard[0]
     to   = terraform_data.link_guard_released_private_vif
   }
   moved {
     from = module.network.terraform_data.direct_connect_hosted_vif_accepter_guard[0]
     to   = terraform_data.link_guard_released_hosted_vif_accepter
   }
   moved {
     from = module.network.terraform_data.direct_connect_dx_gateway_association_guard[0]
     to   = terraform_data.link_guard_released_dx_gateway_association
   }
   \`\`\`

   Apply: the guards are destroyed; nothing else changes.
2. Make the change, or remove the module call (after the service modules that take its \`network\` output), and remove the \`moved\` blocks; apply. Without a guard, the plan shows what the link change replaces: read it before you apply. Then set \`deletion_protection = true\` again (a third apply, which makes new guards).

In VCS-driven workspaces (Terraform Cloud / Enterprise, Atlantis) these are two commits, each an ordinary plan and apply run. From the command line, \`terraform state rm\` of the guards before step 1 does the same as the \`moved\` blocks.
`;

/** Each module's upgrade notes: what a caller of the previous release changes, and what the first plan does. */
export const VPC_UPGRADING = `## Upgrading

From 0.2.0: this module is new. The Direct Connect attachment, the flow logs and the link's alarms were part of the 0.2.0 service module; move them here without replacing the link with the \`moved\` blocks of "Upgrading the modules from 0.2.0" in the dx-privatelink CHANGELOG, and give this module the \`name\` the service call had (the VIF keeps its name). The suite plans that upgrade against an applied 0.2.0 state: the VIF, the VGW and the flow logs move; nothing stateful is replaced.
`;

export const SERVICE_UPGRADING = `## Upgrading

From 0.2.0: \`vpc_id\`, \`vpc_cidr\`, \`subnet_ids\`, \`route_table_ids\`, \`s3_prefix_list_id\`, \`direct_connect\`, \`bgp_auth_key\`, \`flow_logs\` and \`quotas\` moved to the dx-privatelink-vpc module; pass its output as \`network\`. "Upgrading the modules from 0.2.0" in the dx-privatelink CHANGELOG lists the \`moved\` blocks that keep the link, what the first plan destroys (the NAT instances' SSM policy attachment and the security group rules that become group-to-group rules, replaced create-before-destroy) and that the NAT fleet rolls once, new instances first.
`;

export const CONSUMER_UPGRADING = `## Upgrading

From 0.2.0: no input changed. New: \`tags\`, \`dns_zone_id\` (an existing private zone) and the outputs \`endpoint_ids\`, \`security_group_ids\` and \`hosted_zone_id\`. A plan now fails, naming the forward, where two services share a forward name or a forward name is not a DNS label (before, one DNS record silently won). The first plan sets the tags of the security group rules in place; nothing is replaced.
`;
