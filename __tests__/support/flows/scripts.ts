/**
 * What the rendered NAT artifacts say: the AWS calls of the boot script
 * (and of the rules loader it writes), the settings it was rendered with,
 * and the translations of a rules object. Read from the text Terraform
 * rendered, never from a list kept by hand.
 */

export interface AwsCall {
  /** The CLI's service word: `autoscaling`, `s3api`. */
  readonly service: string;
  readonly operation: string;
}

/** Every distinct `aws <service> <operation>` the script runs (comments left out). */
export function bootCalls(script: string): AwsCall[] {
  const calls = new Map<string, AwsCall>();
  for (const line of script.split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const m of code.matchAll(/(?:^|[\s;(|&!])aws\s+([a-z0-9-]+)\s+([a-z0-9-]+)/g))
      calls.set(`${m[1]} ${m[2]}`, { service: m[1], operation: m[2] });
  }
  return [...calls.values()];
}

export interface BootSettings {
  readonly asgName?: string;
  readonly hookName?: string;
  readonly region?: string;
  readonly bucket?: string;
  readonly key?: string;
}

/** The values the script was rendered with: its group, hook and region, and where its rules are. */
export function bootSettings(script: string): BootSettings {
  const quoted = (name: string) => new RegExp(`^readonly ${name}='([^']*)'$`, 'm').exec(script)?.[1];
  const plain = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(script)?.[1];
  return {
    asgName: quoted('asg_name'),
    hookName: quoted('hook_name'),
    region: quoted('region'),
    bucket: plain('bucket'),
    key: plain('key'),
  };
}

export interface Translation {
  readonly name: string;
  readonly listenPort: number;
  readonly targetIp: string;
  readonly targetPort: number;
}

/** The DNAT translations of a rules object (prerouting: what a connection to the instance becomes). */
export function natTranslations(rules: string): Translation[] {
  const out: Translation[] = [];
  for (const m of rules.matchAll(/^\s*fib daddr type local tcp dport (\d+) dnat to ([\d.]+):(\d+) comment "([^"]+)"/gm))
    out.push({ listenPort: Number(m[1]), targetIp: m[2], targetPort: Number(m[3]), name: m[4] });
  return out;
}
