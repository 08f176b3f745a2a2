/**
 * The NAT boot script as Terraform rendered it for the example config (the
 * launch template's user_data in the real plan), and the forwards it serves.
 * Tests never use a hand-written copy of the script.
 */
import { loadConfig } from '../../config/load';
import { isDirectTarget } from '../../constructs/private/ipv4';
import { examplePlan } from './example';
import type { NatForward } from './netns';
import { resourcesOfType } from './terraform';

export const RULES_FILE = '/etc/nftables/dx-privatelink.nft';
export const SYSCTL_FILE = '/etc/sysctl.d/90-dx-privatelink.conf';
export const UNIT_NAME = 'dx-privatelink-nat.service';
export const UNIT_FILE = `/etc/systemd/system/${UNIT_NAME}`;

/** The rendered boot script: base64-decoded user_data of the planned launch template. */
export function renderedNatBootScript(): string {
  const templates = resourcesOfType(examplePlan('provider'), 'aws_launch_template');
  if (templates.length !== 1) throw new Error(`expected one aws_launch_template in the example plan, found ${templates.length}`);
  const userData = templates[0].values.user_data;
  if (typeof userData !== 'string' || userData === '') throw new Error('the planned launch template has no user_data');
  return Buffer.from(userData, 'base64').toString('utf8');
}

/** The example config's forwards that go through the NAT fleet (public targets). */
export function exampleNatForwards(): NatForward[] {
  return loadConfig()
    .forwards.filter((f) => !isDirectTarget(f.target_ip))
    .map((f) => ({ name: f.name, listenPort: f.listen_port, targetIp: f.target_ip, targetPort: f.target_port }));
}

/** The example config's forwards that the NLB reaches directly (not in the NAT script). */
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
