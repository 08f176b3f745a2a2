/**
 * Value checks of the provider's network: the VPC (created or existing) and
 * the Direct Connect attachment. Part of validateConfig.
 */
import { checkPeerAddresses } from '../constructs/private/checks';
import { FLEET_SERVICES, SESSION_MANAGER_SERVICES } from '../constructs/private/fleet-services';
import { isDirectTarget } from '../constructs/private/ipv4';
import { RULES, ValidationError, check, findDuplicate, keyField } from '../constructs/private/rules';
import { Config } from './schema';

export type Problems = (ValidationError | undefined)[];

/** Checks `vpc`; returns the VPC CIDR when it is valid (targets must lie outside it). */
export function validateVpc(config: Config, problems: Problems): string | undefined {
  const { create, existing } = config.vpc;
  if ((create === undefined) === (existing === undefined)) {
    problems.push(
      new ValidationError(
        'vpc',
        Object.keys(config.vpc),
        'must have exactly one of create or existing',
        'write vpc.create (cidr, availability_zones) to create a VPC, or vpc.existing (vpc_id, cidr, subnet_ids, route_table_ids) to use one',
      ),
    );
    return undefined;
  }
  if (create) {
    const cidrProblem = check(RULES.vpcCidr, 'vpc.create.cidr', create.cidr);
    problems.push(cidrProblem);
    checkZones(
      create.availability_zones.map((az, i) => [`vpc.create.availability_zones[${i}]`, az]),
      'vpc.create.availability_zones',
      config.region,
      problems,
    );
    problems.push(
      findDuplicate(
        create.availability_zones,
        (az) => az,
        (i) => `vpc.create.availability_zones[${i}]`,
        'availability zone',
      ),
    );
    return cidrProblem ? undefined : create.cidr;
  }
  const ex = existing!;
  problems.push(check(RULES.vpcId, 'vpc.existing.vpc_id', ex.vpc_id));
  const cidrProblem = check(RULES.existingVpcCidr, 'vpc.existing.cidr', ex.cidr);
  problems.push(cidrProblem);
  checkZones(
    Object.keys(ex.subnet_ids).map((az) => [keyField('vpc.existing.subnet_ids', az), az]),
    'vpc.existing.subnet_ids',
    config.region,
    problems,
  );
  for (const [az, id] of Object.entries(ex.subnet_ids)) problems.push(check(RULES.subnetId, keyField('vpc.existing.subnet_ids', az), id));
  if (ex.route_table_ids.length === 0) {
    problems.push(
      new ValidationError(
        'vpc.existing.route_table_ids',
        [],
        'is empty',
        'list the route tables of the subnets, so routes to the targets can be added',
      ),
    );
  }
  ex.route_table_ids.forEach((id, i) => problems.push(check(RULES.routeTableId, `vpc.existing.route_table_ids[${i}]`, id)));
  problems.push(
    findDuplicate(
      ex.route_table_ids,
      (id) => id,
      (i) => `vpc.existing.route_table_ids[${i}]`,
      'route table',
    ),
  );
  if (ex.s3_prefix_list_id === undefined && config.forwards.some((f) => !isDirectTarget(f.target_ip))) {
    problems.push(
      new ValidationError(
        'vpc.existing.s3_prefix_list_id',
        undefined,
        'is required when a forward has a public target',
        "the NAT instances fetch their rules from S3 through the VPC's S3 gateway endpoint; give its prefix list id (aws ec2 describe-prefix-lists)",
      ),
    );
  }
  if (ex.s3_prefix_list_id !== undefined) problems.push(check(RULES.prefixListId, 'vpc.existing.s3_prefix_list_id', ex.s3_prefix_list_id));
  validateExistingEndpoints(ex, problems);
  return cidrProblem ? undefined : ex.cidr;
}

/** `vpc.existing.existing_endpoints`: ids of their AWS shape, services the NAT instances call, none also made here. */
function validateExistingEndpoints(ex: NonNullable<Config['vpc']['existing']>, problems: Problems): void {
  const at = 'vpc.existing.existing_endpoints';
  const given = ex.existing_endpoints;
  if (!given) return;
  problems.push(check(RULES.securityGroupId, `${at}.security_group_id`, given.security_group_id));
  for (const [service, id] of Object.entries(given.endpoint_ids)) {
    const field = keyField(`${at}.endpoint_ids`, service);
    if (!(FLEET_SERVICES as readonly string[]).includes(service)) {
      problems.push(
        new ValidationError(
          field,
          service,
          'is not an API the NAT instances call',
          `use keys of: ${FLEET_SERVICES.join(', ')} (the others are not needed)`,
        ),
      );
    } else problems.push(check(RULES.vpcEndpointId, field, id));
    if (ex.ssm_endpoints && (SESSION_MANAGER_SERVICES as readonly string[]).includes(service)) {
      problems.push(
        new ValidationError(
          field,
          id,
          'is a Session Manager endpoint, and vpc.existing.ssm_endpoints makes another',
          'remove ssm_endpoints (the VPC has them), or remove the existing endpoint from this list',
        ),
      );
    }
  }
}

/** Zone names: well formed, of this region exactly (eu-west-2a, not eu-west-21a), at least two. */
function checkZones(zones: [string, string][], field: string, region: string, problems: Problems): void {
  if (new Set(zones.map(([, az]) => az)).size < 2) {
    problems.push(
      new ValidationError(
        field,
        zones.map(([, az]) => az),
        'has fewer than 2 availability zones',
        'list at least two availability zones: the NLB and the NAT fleet must survive the loss of one',
      ),
    );
  }
  // Against the region only when the region itself is valid: a bad region is reported once, not once per zone.
  const regionValid = check(RULES.region, 'region', region) === undefined;
  for (const [at, az] of zones) {
    const problem = check(RULES.availabilityZone, at, az);
    if (problem) problems.push(problem);
    else if (regionValid && !new RegExp(`^${region}[a-z]$`).test(az)) {
      problems.push(new ValidationError(at, az, `is not in region ${region}`, `use availability zones of ${region}, such as ${region}a`));
    }
  }
}

export function validateDirectConnect(config: Config, problems: Problems): void {
  const dx = config.direct_connect;
  const at = 'direct_connect';
  if (dx.amazon_side_asn !== undefined) problems.push(check(RULES.amazonSideAsn, `${at}.amazon_side_asn`, dx.amazon_side_asn));
  if (dx.private_vif && dx.hosted_vif) {
    problems.push(
      new ValidationError(
        at,
        ['private_vif', 'hosted_vif'],
        'has both private_vif and hosted_vif',
        'keep private_vif for a VIF on your own connection, or hosted_vif to accept one from a partner, not both',
      ),
    );
  }
  if (dx.existing_vgw_id !== undefined) problems.push(check(RULES.vgwId, `${at}.existing_vgw_id`, dx.existing_vgw_id));
  if (dx.existing_vgw_id !== undefined && dx.amazon_side_asn !== undefined) {
    problems.push(
      new ValidationError(
        `${at}.amazon_side_asn`,
        dx.amazon_side_asn,
        'cannot be set for an existing gateway',
        'remove amazon_side_asn; the existing gateway keeps its ASN',
      ),
    );
  }
  if (dx.dx_gateway_id !== undefined) problems.push(check(RULES.dxGatewayId, `${at}.dx_gateway_id`, dx.dx_gateway_id));
  const vif = dx.private_vif;
  if (vif) {
    const v = `${at}.private_vif`;
    problems.push(check(RULES.dxConnectionId, `${v}.connection_id`, vif.connection_id));
    problems.push(check(RULES.vlan, `${v}.vlan`, vif.vlan));
    problems.push(check(RULES.bgpAsn, `${v}.bgp_asn`, vif.bgp_asn));
    if (vif.mtu !== undefined) problems.push(check(RULES.mtu, `${v}.mtu`, vif.mtu));
    problems.push(checkPeerAddresses(vif.amazon_address, vif.customer_address, `${v}.amazon_address`, `${v}.customer_address`));
  }
  if (dx.hosted_vif) problems.push(check(RULES.hostedVifId, `${at}.hosted_vif.virtual_interface_id`, dx.hosted_vif.virtual_interface_id));
}
