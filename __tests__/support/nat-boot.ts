/**
 * The NAT artifacts exactly as Terraform renders them in the real plan of
 * the example config (and of its day-2 change): the launch template's boot
 * script and the rules object in S3. Tests never use a hand-written copy.
 */
import { isDirectTarget } from '../../constructs/private/ipv4';
import { loadConfig } from '../../config/load';
import { exampleDeployed, examplePlan } from './example';
import { reachableCalls } from './flows';
import { NatForward, NetnsLab } from './netns';
import { Plan, resourcesOfType } from './terraform';

export const RULES_FILE = '/etc/nftables/dx-privatelink.nft';
export const SOURCE_FILE = '/etc/dx-privatelink/source.conf';
export const APPLY_BIN = '/usr/local/sbin/dx-privatelink-rules';
export const SYSCTL_FILE = '/etc/sysctl.d/90-dx-privatelink.conf';
export const UNIT_NAME = 'dx-privatelink-nat.service';
export const UNIT_FILE = `/etc/systemd/system/${UNIT_NAME}`;
export const RULES_UNIT = '/etc/systemd/system/dx-privatelink-rules.service';
export const RULES_TIMER = '/etc/systemd/system/dx-privatelink-rules.timer';

export { day2Plan } from './example';

function one(plan: Plan, type: string, name: string) {
  const found = resourcesOfType(plan, type).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type}.${name} in the plan, found ${found.length}`);
  return found[0].values;
}

/** The rendered boot script: base64-decoded user_data of the planned launch template. */
export function renderedNatBootScript(plan: Plan = examplePlan('provider')): string {
  const userData = one(plan, 'aws_launch_template', 'nat_launch_template').user_data;
  if (typeof userData !== 'string' || userData === '') throw new Error('the planned launch template has no user_data');
  return Buffer.from(userData, 'base64').toString('utf8');
}

/** The rendered rules object of the (first) NAT fleet: where it goes and what it holds. */
export function renderedNatRules(plan: Plan = examplePlan('provider')): { bucket: string; key: string; content: string } {
  const object = one(plan, 'aws_s3_object', 'nat_rules');
  const bucket = one(plan, 'aws_s3_bucket', 'nat_rules_bucket').bucket;
  if (typeof object.content !== 'string' || typeof bucket !== 'string') throw new Error('the rules object is not known at plan time');
  return { bucket, key: object.key as string, content: object.content };
}

/** Forwards of a config that go through the NAT fleet (public targets). */
export function natForwardsOf(config: {
  forwards: { name: string; listen_port: number; target_ip: string; target_port: number }[];
}): NatForward[] {
  return config.forwards
    .filter((f) => !isDirectTarget(f.target_ip))
    .map((f) => ({ name: f.name, listenPort: f.listen_port, targetIp: f.target_ip, targetPort: f.target_port }));
}

/** The example config's forwards that go through the NAT fleet (public targets). */
export function exampleNatForwards(): NatForward[] {
  return natForwardsOf(loadConfig());
}

/** The example config's forwards that the NLB reaches directly (not in the NAT rules). */
export function exampleDirectForwards(): { name: string; listenPort: number }[] {
  return loadConfig()
    .forwards.filter((f) => isDirectTarget(f.target_ip))
    .map((f) => ({ name: f.name, listenPort: f.listen_port }));
}

/** The body of the here-document `<<TAG` / `<<'TAG'` in a shell script. */
export function heredoc(script: string, tag: string): string {
  const lines = script.split('\n');
  const start = lines.findIndex((l) => new RegExp(`<<-?'?${tag}'?\\s*$`).test(l));
  const end = lines.indexOf(tag, start + 1);
  if (start < 0 || end < 0) throw new Error(`no here-document ${tag} in the script`);
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

/**
 * The AWS calls of the example's NAT fleet that reach their API and are
 * allowed in the example as deployed (the flow model): what the lab's fake
 * CLI answers.
 */
export function exampleReachableCalls(): string[] {
  return reachableCalls(exampleDeployed(), { region: 'eu-west-2', account: loadConfig().provider_account_id }, 'fix-gw-nat');
}

/**
 * A namespace lab for `forwards` whose NAT instances have both booted with
 * the rendered boot script, fetching `rules` (by default the example's) from
 * the lab's S3, their AWS calls answered as the example's flow model allows;
 * throws when a boot fails.
 */
export async function bootedNatLab(
  forwards: readonly NatForward[],
  rules = renderedNatRules(),
  opts: { brokerMode?: 'echo' | 'sink' } = {},
): Promise<NetnsLab> {
  const lab = await NetnsLab.create(forwards, opts);
  lab.reachable = exampleReachableCalls();
  try {
    await lab.putObject(rules.bucket, rules.key, rules.content);
    for (const ns of lab.ns.nats) {
      const boot = lab.runUserData(ns, renderedNatBootScript());
      if (boot.status !== 0) throw new Error(`the boot script failed in ${ns} (exit ${boot.status}):\n${boot.stderr}`);
    }
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
}
