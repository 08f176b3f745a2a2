/**
 * Day-2 changes of the example, planned by global setup beside it so tests
 * compare what Terraform renders: a forward change (broker-b-fix removed,
 * broker-c-fix, a new public target, added), a change of the config's tags
 * alone, and a change of the NAT instance type alone.
 */
import { exampleObject } from './mutate';

export const ADDED = {
  name: 'broker-c-fix',
  listen_port: 9003,
  target_ip: '203.0.113.30',
  target_port: 5000,
  tcp_idle_timeout_seconds: 3600,
};
export const REMOVED = 'broker-b-fix';

export function day2Config(): Record<string, any> {
  const c = exampleObject();
  c.forwards = [...c.forwards.filter((f: { name: string }) => f.name !== REMOVED), ADDED];
  for (const t of c.tenants) t.forwards = t.forwards.map((f: string) => (f === REMOVED ? ADDED.name : f));
  return c;
}

/** The example with one tag changed and one added. */
export function retaggedConfig(): Record<string, any> {
  const c = exampleObject();
  c.tags = { ...c.tags, 'cost-centre': 'fx-desk-2', owner: 'network-team' };
  return c;
}

/** The example on a larger NAT instance type. */
export function resizedConfig(): Record<string, any> {
  const c = exampleObject();
  c.nat_fleet = { ...c.nat_fleet, instance_type: 't4g.medium' };
  return c;
}

/** Each day-2 change by the name its provider plan is written under (`<name>-provider`). */
export const DAY2_CHANGES: Record<string, () => Record<string, any>> = {
  day2: day2Config,
  retagged: retaggedConfig,
  resized: resizedConfig,
};
