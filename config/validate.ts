/**
 * Value checks of a structurally valid config, in file order, using the
 * shared rule list. Returns every problem; callers report the first.
 */
import { cidrContains, cidrsOverlap } from '../constructs/private/ipv4';
import { RULES, Rule, ValidationError, check, findDuplicate } from '../constructs/private/rules';
import { checkSuppression } from '../constructs/private/policy/suppressions';
import { Config, ConsumerConfig } from './schema';

/**
 * Listen ports never exposed: management and infrastructure services of the
 * NAT instances and of anything behind the NLB. Health checks use each
 * forward's own traffic port, so no other port can collide with them.
 */
export const RESERVED_LISTEN_PORTS: readonly number[] = [22, 53, 111, 2049, 3389];

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
  config.forwards.forEach((f, i) => {
    const at = `forwards[${i}]`;
    if (f.shard !== undefined && !(Number.isInteger(f.shard) && f.shard >= 0 && f.shard <= 99)) {
      problems.push(
        new ValidationError(`${at}.shard`, f.shard, 'is not a shard number', 'use a whole number from 0 to 99, or leave shard out'),
      );
    }
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
  const targets = new Map<string, number>();
  config.forwards.forEach((f, i) => {
    const target = `${f.target_ip}:${f.target_port}`;
    const first = targets.get(target);
    if (first === undefined) targets.set(target, i);
    else {
      problems.push(
        new ValidationError(
          `forwards[${i}]`,
          target,
          `overlaps forwards[${first}] (same target)`,
          'keep one forward per target; list it in several tenants to share it',
        ),
      );
    }
    if (RESERVED_LISTEN_PORTS.includes(f.listen_port)) {
      problems.push(
        new ValidationError(
          `forwards[${i}].listen_port`,
          f.listen_port,
          'is a reserved port',
          `do not expose ${RESERVED_LISTEN_PORTS.join(', ')} (SSH, DNS, rpcbind, NFS, RDP) through the NLB; pick another listen port (the target port may stay)`,
        ),
      );
    }
  });
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
  config.consumers.forEach((c, i) => validateConsumer(config, c, `consumers[${i}]`, problems));
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

  config.policy?.suppressions?.forEach((s, i) => problems.push(checkSuppression(s.rule, s.reason, i)));
  validateTenants(config, problems);
  validateState(config, problems);

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

function validateConsumer(config: Config, c: ConsumerConfig, at: string, problems: (ValidationError | undefined)[]): void {
  problems.push(check(RULES.name, `${at}.name`, c.name));
  problems.push(check(RULES.accountId, `${at}.account_id`, c.account_id));
  const role = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/[\w+=,.@/-]{1,512}$/.exec(c.role_arn);
  if (!role) {
    problems.push(
      new ValidationError(
        `${at}.role_arn`,
        c.role_arn,
        'is not an IAM role ARN',
        `use the ARN of the deploy role in the consumer account, such as arn:aws:iam::${c.account_id}:role/dx-privatelink-deploy`,
      ),
    );
  } else if (role[1] !== c.account_id) {
    problems.push(
      new ValidationError(
        `${at}.role_arn`,
        c.role_arn,
        `is in account ${role[1]}, not the consumer's account ${c.account_id}`,
        'use a role in the consumer account',
      ),
    );
  }
  if (c.region !== undefined) {
    problems.push(check(RULES.region, `${at}.region`, c.region));
    const supported = config.endpoint_service?.supported_regions ?? [];
    if (c.region !== config.region && !supported.includes(c.region)) {
      problems.push(
        new ValidationError(
          `${at}.region`,
          c.region,
          `differs from the service region ${config.region}`,
          `add ${c.region} to endpoint_service.supported_regions (cross-region PrivateLink), or use ${config.region}`,
        ),
      );
    }
  }
  if (!/^vpc-[0-9a-f]{8,17}$/.test(c.vpc_id)) {
    problems.push(
      new ValidationError(`${at}.vpc_id`, c.vpc_id, 'is not a VPC id', 'use the id of the consumer VPC, such as vpc-0123456789abcdef0'),
    );
  }
  if (c.subnet_ids.length === 0) {
    problems.push(
      new ValidationError(
        `${at}.subnet_ids`,
        [],
        'is empty',
        'list one subnet per availability zone for the endpoint (two or more for high availability)',
      ),
    );
  }
  c.subnet_ids.forEach((id, j) => {
    if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) {
      problems.push(
        new ValidationError(`${at}.subnet_ids[${j}]`, id, 'is not a subnet id', 'use a subnet id such as subnet-0123456789abcdef0'),
      );
    }
  });
  problems.push(
    findDuplicate(
      c.subnet_ids,
      (id) => id,
      (j) => `${at}.subnet_ids[${j}]`,
      'subnet',
    ),
  );
  if (c.allowed_cidrs.length === 0) {
    problems.push(new ValidationError(`${at}.allowed_cidrs`, [], 'is empty', 'list the CIDRs of the applications that may connect'));
  }
  c.allowed_cidrs.forEach((cidr, j) => {
    const problem = check(RULES.cidr, `${at}.allowed_cidrs[${j}]`, cidr);
    problems.push(problem);
    if (!problem && cidr.endsWith('/0')) {
      problems.push(
        new ValidationError(
          `${at}.allowed_cidrs[${j}]`,
          cidr,
          'admits every address',
          'list the CIDRs of the applications that may connect',
        ),
      );
    }
  });
  if (c.dns_zone !== undefined) problems.push(check(RULES.dnsZone, `${at}.dns_zone`, c.dns_zone));
}

function validateTenants(config: Config, problems: (ValidationError | undefined)[]): void {
  const tenants = config.tenants;
  const forwardNames = new Set(config.forwards.map((f) => f.name));
  const consumerNames = new Set(config.consumers.map((c) => c.name));
  const longest = Math.max(0, ...(tenants ?? [{ name: 'default' }]).map((t) => t.name.length));
  // "<name>-<tenant>-<shard>-nlb" must fit the 32-character load balancer name.
  if (config.name.length + longest + 8 > 32) {
    problems.push(
      new ValidationError(
        tenants ? 'tenants' : 'name',
        config.name,
        `with tenant names up to ${longest} characters makes load balancer names longer than 32 characters`,
        'shorten name or the tenant names so that name + tenant name is at most 24 characters',
      ),
    );
  }
  if (tenants === undefined) return;
  if (tenants.length === 0) {
    problems.push(
      new ValidationError('tenants', [], 'is empty', 'list tenants, or remove the key to share every forward with every consumer'),
    );
    return;
  }
  tenants.forEach((t, i) => {
    const at = `tenants[${i}]`;
    problems.push(check(RULES.name, `${at}.name`, t.name));
    if (t.forwards.length === 0)
      problems.push(new ValidationError(`${at}.forwards`, [], 'is empty', 'list the names of the forwards this tenant reaches'));
    if (t.consumers.length === 0)
      problems.push(new ValidationError(`${at}.consumers`, [], 'is empty', 'list the names of the consumers in this tenant'));
    t.forwards.forEach((f, j) => {
      if (!forwardNames.has(f)) {
        problems.push(
          new ValidationError(`${at}.forwards[${j}]`, f, 'is not the name of a forward', `use one of: ${[...forwardNames].join(', ')}`),
        );
      }
    });
    t.consumers.forEach((c, j) => {
      if (!consumerNames.has(c)) {
        problems.push(
          new ValidationError(`${at}.consumers[${j}]`, c, 'is not the name of a consumer', `use one of: ${[...consumerNames].join(', ')}`),
        );
      }
    });
    problems.push(
      findDuplicate(
        t.forwards,
        (f) => f,
        (j) => `${at}.forwards[${j}]`,
        'forward',
      ),
    );
    problems.push(
      findDuplicate(
        t.consumers,
        (c) => c,
        (j) => `${at}.consumers[${j}]`,
        'consumer',
      ),
    );
  });
  problems.push(
    findDuplicate(
      tenants,
      (t) => t.name,
      (i) => `tenants[${i}].name`,
      'name',
    ),
  );
  config.consumers.forEach((c, i) => {
    if (!tenants.some((t) => t.consumers.includes(c.name))) {
      problems.push(
        new ValidationError(`consumers[${i}].name`, c.name, 'is in no tenant', "add the consumer to a tenant's consumers, or remove it"),
      );
    }
  });
  config.forwards.forEach((f, i) => {
    if (!tenants.some((t) => t.forwards.includes(f.name))) {
      problems.push(
        new ValidationError(`forwards[${i}].name`, f.name, 'is in no tenant', "add the forward to a tenant's forwards, or remove it"),
      );
    }
  });
}

function validateState(config: Config, problems: (ValidationError | undefined)[]): void {
  const s3 = config.state?.s3;
  if (!s3) return;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s3.bucket)) {
    problems.push(
      new ValidationError(
        'state.s3.bucket',
        s3.bucket,
        'is not an S3 bucket name',
        'use 3 to 63 lowercase letters, digits, dots or hyphens',
      ),
    );
  }
  problems.push(check(RULES.region, 'state.s3.region', s3.region));
  if (!/^[\w!.*'()/-]{1,900}$/.test(s3.key_prefix) || s3.key_prefix.startsWith('/')) {
    problems.push(
      new ValidationError(
        'state.s3.key_prefix',
        s3.key_prefix,
        'is not a usable S3 key prefix',
        'use a path such as dx-privatelink/fix-gw (no leading slash)',
      ),
    );
  }
  if (s3.role_arn !== undefined && !/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/.+$/.test(s3.role_arn)) {
    problems.push(
      new ValidationError(
        'state.s3.role_arn',
        s3.role_arn,
        'is not an IAM role ARN',
        'use a role ARN such as arn:aws:iam::111111111111:role/terraform-state',
      ),
    );
  }
}
