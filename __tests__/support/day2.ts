/**
 * A day-2 change of the example: broker-b-fix removed, broker-c-fix (a new
 * public target) added, everything else as it was. Planned by global setup
 * beside the example, so tests compare what Terraform renders for both.
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
