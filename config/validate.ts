/**
 * Value checks of a structurally valid config, in file order, using the
 * shared rule list. Returns every problem; callers report the first.
 */
import { cidrContains, cidrsOverlap } from '../constructs/private/ipv4';
import { MAX_LISTENERS_PER_NLB, RULES, Rule, ValidationError, check, findDuplicate } from '../constructs/private/rules';
import { Config } from './schema';

export function validateConfig(config: Config): ValidationError[] {
  const problems: (ValidationError | undefined)[] = [];
  const add = <T>(rule: Rule<T>, field: string, value: T | undefined) => {
    if (value !== undefined) problems.push(check(rule, field, value));
  };

  add(RULES.name, 'name', config.name);
  add(RULES.region, 'region', config.region);
  add(RULES.accountId, 'provider_account_id', config.provider_account_id);

  const vpcCidr = validateVpc(config, problems);
  validateDirectConnect(config, problems);

  if (config.forwards.length === 0) {
    problems.push(new ValidationError('forwards', [], 'is empty', 'list at least one forward (name, listen_port, target_ip, target_port)'));
  }
  if (config.forwards.length > MAX_LISTENERS_PER_NLB) {
    problems.push(
      new ValidationError(
        'forwards',
        `${config.forwards.length} forwards`,
        `has more than ${MAX_LISTENERS_PER_NLB} entries`,
        `an NLB takes at most ${MAX_LISTENERS_PER_NLB} listeners; split the forwards across configs`,
      ),
    );
  }
  config.forwards.forEach((f, i) => {
    const at = `forwards[${i}]`;
    add(RULES.forwardName, `${at}.name`, f.name);
    add(RULES.port, `${at}.listen_port`, f.listen_port);
    add(RULES.port, `${at}.target_port`, f.target_port);
    add(RULES.tcpIdleTimeout, `${at}.tcp_idle_timeout_seconds`, f.tcp_idle_timeout_seconds);
    const ipProblem = check(RULES.targetIp, `${at}.target_ip`, f.target_ip);
    problems.push(ipProblem ?? check(RULES.routableTarget, `${at}.target_ip`, f.target_ip));
    if (!ipProblem && vpcCidr && cidrContains(vpcCidr, f.target_ip)) {
      problems.push(
        new ValidationError(
          `${at}.target_ip`,
          f.target_ip,
          `is inside the VPC CIDR ${vpcCidr}`,
          'forwards reach endpoints behind Direct Connect; use the address of the endpoint, not one in this VPC',
        ),
      );
    }
  });
  problems.push(
    findDuplicate(
      config.forwards,
      (f) => f.name,
      (i) => `forwards[${i}].name`,
      'name',
    ),
  );
  problems.push(
    findDuplicate(
      config.forwards,
      (f) => f.listen_port,
      (i) => `forwards[${i}].listen_port`,
      'listen_port',
    ),
  );

  if (config.consumers.length === 0) {
    problems.push(new ValidationError('consumers', [], 'is empty', 'list at least one consumer (name, account_id) allowed to connect'));
  }
  config.consumers.forEach((c, i) => {
    add(RULES.name, `consumers[${i}].name`, c.name);
    add(RULES.accountId, `consumers[${i}].account_id`, c.account_id);
  });
  problems.push(
    findDuplicate(
      config.consumers,
      (c) => c.name,
      (i) => `consumers[${i}].name`,
      'name',
    ),
  );
  problems.push(
    findDuplicate(
      config.consumers,
      (c) => c.account_id,
      (i) => `consumers[${i}].account_id`,
      'account_id',
    ),
  );

  const fleet = config.nat_fleet ?? {};
  add(RULES.fleetMinSize, 'nat_fleet.min_size', fleet.min_size);
  const min = fleet.min_size ?? 2;
  if (fleet.max_size !== undefined && !(Number.isInteger(fleet.max_size) && fleet.max_size >= min && fleet.max_size <= 100)) {
    problems.push(
      new ValidationError(
        'nat_fleet.max_size',
        fleet.max_size,
        `is below min_size ${min} or above 100`,
        `use a whole number from ${min} to 100`,
      ),
    );
  }
  config.endpoint_service?.supported_regions?.forEach((r, i) => add(RULES.region, `endpoint_service.supported_regions[${i}]`, r));

  return problems.filter((p): p is ValidationError => p !== undefined);
}

function validateVpc(config: Config, problems: (ValidationError | undefined)[]): string | undefined {
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
    create.availability_zones.forEach((az, i) => problems.push(check(RULES.availabilityZone, `vpc.create.availability_zones[${i}]`, az)));
    checkAzs(create.availability_zones, 'vpc.create.availability_zones', config.region, problems);
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
  if (!/^vpc-[0-9a-f]{8,17}$/.test(ex.vpc_id)) {
    problems.push(
      new ValidationError('vpc.existing.vpc_id', ex.vpc_id, 'is not a VPC id', 'use the id of the VPC, such as vpc-0123456789abcdef0'),
    );
  }
  const cidrProblem = check(RULES.cidr, 'vpc.existing.cidr', ex.cidr);
  problems.push(cidrProblem);
  const azs = Object.keys(ex.subnet_ids);
  azs.forEach((az) => problems.push(check(RULES.availabilityZone, `vpc.existing.subnet_ids.${az}`, az)));
  checkAzs(azs, 'vpc.existing.subnet_ids', config.region, problems);
  for (const [az, id] of Object.entries(ex.subnet_ids)) {
    if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) {
      problems.push(
        new ValidationError(
          `vpc.existing.subnet_ids.${az}`,
          id,
          'is not a subnet id',
          'use the id of one subnet in that availability zone, such as subnet-0123456789abcdef0',
        ),
      );
    }
  }
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
  ex.route_table_ids.forEach((id, i) => {
    if (!/^rtb-[0-9a-f]{8,17}$/.test(id)) {
      problems.push(
        new ValidationError(
          `vpc.existing.route_table_ids[${i}]`,
          id,
          'is not a route table id',
          'use a route table id such as rtb-0123456789abcdef0',
        ),
      );
    }
  });
  return cidrProblem ? undefined : ex.cidr;
}

function checkAzs(azs: readonly string[], field: string, region: string, problems: (ValidationError | undefined)[]): void {
  if (new Set(azs).size < 2) {
    problems.push(
      new ValidationError(
        field,
        azs,
        'has fewer than 2 availability zones',
        'list at least two availability zones: the NLB and the NAT fleet must survive the loss of one',
      ),
    );
  }
  azs.forEach((az, i) => {
    if (RULES.availabilityZone.test(az) && !az.startsWith(region)) {
      problems.push(
        new ValidationError(`${field}[${i}]`, az, `is not in region ${region}`, `use availability zones of ${region}, such as ${region}a`),
      );
    }
  });
}

function validateDirectConnect(config: Config, problems: (ValidationError | undefined)[]): void {
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
  if (dx.existing_vgw_id !== undefined && !/^vgw-[0-9a-f]{8,17}$/.test(dx.existing_vgw_id)) {
    problems.push(
      new ValidationError(
        `${at}.existing_vgw_id`,
        dx.existing_vgw_id,
        'is not a virtual private gateway id',
        'use an id such as vgw-0123456789abcdef0',
      ),
    );
  }
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
  if (dx.dx_gateway_id !== undefined && !/^[0-9a-f-]{36}$/.test(dx.dx_gateway_id)) {
    problems.push(
      new ValidationError(
        `${at}.dx_gateway_id`,
        dx.dx_gateway_id,
        'is not a Direct Connect gateway id',
        'use the gateway id, a UUID such as 5f1c4e1e-0000-4000-8000-000000000000',
      ),
    );
  }
  const vif = dx.private_vif;
  if (vif) {
    const v = `${at}.private_vif`;
    if (!/^dxcon-[0-9a-z]{8}$|^dxlag-[0-9a-z]{8}$/.test(vif.connection_id)) {
      problems.push(
        new ValidationError(
          `${v}.connection_id`,
          vif.connection_id,
          'is not a Direct Connect connection or LAG id',
          'use an id such as dxcon-fg5678gh',
        ),
      );
    }
    problems.push(check(RULES.vlan, `${v}.vlan`, vif.vlan));
    problems.push(check(RULES.bgpAsn, `${v}.bgp_asn`, vif.bgp_asn));
    problems.push(check(RULES.linkAddress, `${v}.amazon_address`, vif.amazon_address));
    problems.push(check(RULES.linkAddress, `${v}.customer_address`, vif.customer_address));
    if (vif.mtu !== undefined) problems.push(check(RULES.mtu, `${v}.mtu`, vif.mtu));
    if (
      RULES.linkAddress.test(vif.amazon_address) &&
      RULES.linkAddress.test(vif.customer_address) &&
      !cidrsOverlap(vif.amazon_address, vif.customer_address)
    ) {
      problems.push(
        new ValidationError(
          `${v}.customer_address`,
          vif.customer_address,
          `is not in the same subnet as amazon_address ${vif.amazon_address}`,
          'use the two ends of one link subnet, such as 169.254.100.1/30 and 169.254.100.2/30',
        ),
      );
    }
  }
  if (dx.hosted_vif && !/^dxvif-[0-9a-z]{8}$/.test(dx.hosted_vif.virtual_interface_id)) {
    problems.push(
      new ValidationError(
        `${at}.hosted_vif.virtual_interface_id`,
        dx.hosted_vif.virtual_interface_id,
        'is not a virtual interface id',
        'use the id the partner shared, such as dxvif-ffhhk74f',
      ),
    );
  }
}
