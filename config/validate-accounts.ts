/**
 * Value checks of who connects and where state lives: consumers, tenants
 * and their shard pins, remote state, tags. Part of validateConfig.
 */
import { checkAllowedCidrs, checkTags } from '../constructs/private/checks';
import { RULES, ValidationError, arnPartition, check, findDuplicate, partitionOf } from '../constructs/private/rules';
import { assignShards } from '../constructs/private/shards';
import { MAX_TARGET_GROUPS_PER_ASG, assignFleets } from '../constructs/private/fleets';
import { isDirectTarget } from '../constructs/private/ipv4';
import { MAX_LISTENERS_PER_NLB } from '../constructs/private/rules';
import { tenantsOf } from './props';
import { Config, ConsumerConfig } from './schema';
import type { Problems } from './validate-network';

/** A role ARN: well formed, in the region's partition, and (when given) in `account`. */
function checkRoleArn(arn: string, field: string, region: string, account?: { id: string; what: string }): ValidationError | undefined {
  const problem = check(RULES.roleArn, field, arn);
  if (problem) return problem;
  const partition = arnPartition(arn)!;
  if (partition !== partitionOf(region)) {
    return new ValidationError(
      field,
      arn,
      `is in partition ${partition}, but region ${region} is in partition ${partitionOf(region)}`,
      `use a role ARN that starts with arn:${partitionOf(region)}:iam::`,
    );
  }
  const inAccount = arn.split(':')[4];
  if (account && inAccount !== account.id) {
    return new ValidationError(
      field,
      arn,
      `is in account ${inAccount}, not the ${account.what} ${account.id}`,
      `use a role in the ${account.what}`,
    );
  }
  return undefined;
}

export function validateConsumer(config: Config, c: ConsumerConfig, at: string, problems: Problems): void {
  problems.push(check(RULES.name, `${at}.name`, c.name));
  problems.push(check(RULES.accountId, `${at}.account_id`, c.account_id));
  const region = c.region ?? config.region;
  problems.push(checkRoleArn(c.role_arn, `${at}.role_arn`, region, { id: c.account_id, what: "consumer's account" }));
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
  problems.push(check(RULES.vpcId, `${at}.vpc_id`, c.vpc_id));
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
  c.subnet_ids.forEach((id, j) => problems.push(check(RULES.subnetId, `${at}.subnet_ids[${j}]`, id)));
  problems.push(
    findDuplicate(
      c.subnet_ids,
      (id) => id,
      (j) => `${at}.subnet_ids[${j}]`,
      'subnet',
    ),
  );
  problems.push(checkAllowedCidrs(c.allowed_cidrs, `${at}.allowed_cidrs`));
  if (c.dns_zone !== undefined) {
    problems.push(
      check(RULES.dnsZone, `${at}.dns_zone`, c.dns_zone) ??
        check(RULES.dnsZoneLength, `${at}.dns_zone`, c.dns_zone) ??
        check(RULES.dnsZoneNotAws, `${at}.dns_zone`, c.dns_zone),
    );
  }
}

export function validateTenants(config: Config, problems: Problems): void {
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
  if (tenants !== undefined && tenants.length === 0) {
    problems.push(
      new ValidationError('tenants', [], 'is empty', 'list tenants, or remove the key to share every forward with every consumer'),
    );
    return;
  }
  tenants?.forEach((t, i) => {
    const at = `tenants[${i}]`;
    problems.push(check(RULES.name, `${at}.name`, t.name));
    if (t.forwards.length === 0)
      problems.push(new ValidationError(`${at}.forwards`, [], 'is empty', 'list the names of the forwards this tenant reaches'));
    if (t.consumers.length === 0)
      problems.push(new ValidationError(`${at}.consumers`, [], 'is empty', 'list the names of the consumers in this tenant'));
    t.forwards.forEach((f, j) => {
      // With no forwards at all, that one problem is reported (not one per name here).
      if (forwardNames.size > 0 && !forwardNames.has(f)) {
        problems.push(
          new ValidationError(`${at}.forwards[${j}]`, f, 'is not the name of a forward', `use one of: ${[...forwardNames].join(', ')}`),
        );
      }
    });
    t.consumers.forEach((c, j) => {
      if (consumerNames.size > 0 && !consumerNames.has(c)) {
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
  if (tenants) {
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
  validateShards(config, problems);
}

/** Lays out the shards and NAT fleets as the provider stack will, so a bad pin is named by its config field. */
function validateShards(config: Config, problems: Problems): void {
  const index = new Map(config.forwards.map((f, i) => [f.name, i]));
  const byName = new Map(config.forwards.map((f) => [f.name, f]));
  const tenants = tenantsOf(config);
  try {
    assignFleets(
      config.forwards
        .filter((f) => !isDirectTarget(f.target_ip))
        .map((f) => ({ name: f.name, targetGroups: tenants.filter((t) => t.forwards.includes(f.name)).length, fleet: f.fleet })),
      MAX_TARGET_GROUPS_PER_ASG,
      (name) => `forwards[${index.get(name)}].fleet`,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(error);
  }
  for (const tenant of tenants) {
    const members = tenant.forwards.filter((f) => byName.has(f)).map((f) => ({ name: f, shard: byName.get(f)!.shard }));
    try {
      assignShards(members, MAX_LISTENERS_PER_NLB, (name) => `forwards[${index.get(name)}].shard`, tenant.name);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(error);
      return;
    }
  }
}

export function validateState(config: Config, problems: Problems): void {
  const s3 = config.state?.s3;
  if (!s3) return;
  problems.push(check(RULES.s3BucketName, 'state.s3.bucket', s3.bucket));
  problems.push(check(RULES.region, 'state.s3.region', s3.region));
  problems.push(check(RULES.s3KeyPrefix, 'state.s3.key_prefix', s3.key_prefix));
  if (s3.role_arn !== undefined) problems.push(checkRoleArn(s3.role_arn, 'state.s3.role_arn', s3.region));
}

export function validateTags(config: Config, problems: Problems): void {
  if (config.tags) problems.push(checkTags(config.tags, 'tags'));
}
