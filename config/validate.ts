/**
 * Value checks of a structurally valid config, in file order, using the
 * shared rule list. Returns every problem, each once: a check that
 * depends on a field reported bad (the zones of a bad region) is skipped. The
 * checks of the network and of accounts live beside this file.
 */
import { cidrContains } from '../constructs/private/ipv4';
import { RULES, Rule, ValidationError, check, findDuplicate } from '../constructs/private/rules';
import { checkSuppression } from '../constructs/private/policy/suppressions';
import { checkQuotaOverrides } from '../constructs/private/quotas';
import { validateConsumer, validateState, validateTags, validateTenants } from './validate-accounts';
import { Problems, validateDirectConnect, validateVpc } from './validate-network';
import { validateFleet, validateFlowLogs, validateMonitoring } from './validate-operations';
import { validateLockedDown } from './validate-locked-down';
import { Config } from './schema';

/**
 * Listen ports never exposed: management and infrastructure services of the
 * NAT instances and of anything behind the NLB. Health checks use each
 * forward's own traffic port, so no other port can collide with them.
 */
export const RESERVED_LISTEN_PORTS: readonly number[] = [22, 53, 111, 2049, 3389];

export function validateConfig(config: Config): ValidationError[] {
  const problems: Problems = [];
  const add = <T>(rule: Rule<T>, field: string, value: T | undefined) => {
    if (value !== undefined) problems.push(check(rule, field, value));
  };

  add(RULES.name, 'name', config.name);
  add(RULES.region, 'region', config.region);
  add(RULES.accountId, 'provider_account_id', config.provider_account_id);
  validateTags(config, problems);

  const vpcCidr = validateVpc(config, problems);
  validateDirectConnect(config, problems);
  validateForwards(config, vpcCidr, problems);

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
  validateFleet(config, problems);
  validateMonitoring(config, problems);
  validateFlowLogs(config, problems);
  validateLockedDown(config, problems);
  if (config.quotas) problems.push(checkQuotaOverrides(config.quotas));
  config.endpoint_service?.supported_regions?.forEach((r, i) => add(RULES.region, `endpoint_service.supported_regions[${i}]`, r));

  return problems.filter((p): p is ValidationError => p !== undefined);
}

function validateForwards(config: Config, vpcCidr: string | undefined, problems: Problems): void {
  if (config.forwards.length === 0) {
    problems.push(new ValidationError('forwards', [], 'is empty', 'list at least one forward (name, listen_port, target_ip, target_port)'));
  }
  config.forwards.forEach((f, i) => {
    const at = `forwards[${i}]`;
    problems.push(check(RULES.forwardName, `${at}.name`, f.name));
    problems.push(check(RULES.port, `${at}.listen_port`, f.listen_port));
    problems.push(check(RULES.port, `${at}.target_port`, f.target_port));
    if (f.tcp_idle_timeout_seconds !== undefined) {
      problems.push(check(RULES.tcpIdleTimeout, `${at}.tcp_idle_timeout_seconds`, f.tcp_idle_timeout_seconds));
    }
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
    if (RESERVED_LISTEN_PORTS.includes(f.listen_port)) {
      problems.push(
        new ValidationError(
          `${at}.listen_port`,
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
  });
  problems.push(
    findDuplicate(
      config.forwards,
      (f) => f.listen_port,
      (i) => `forwards[${i}].listen_port`,
      'listen_port',
    ),
  );
}
