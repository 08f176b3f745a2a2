/**
 * Splits the NAT forwards across Auto Scaling groups ("fleets"), because an
 * Auto Scaling group takes at most 50 target groups (a hard limit) and each
 * forward has one target group per tenant shard that serves it. Pure: no
 * cdktf import.
 *
 * Forwards fill fleets in config order, a forward's target groups all in one
 * fleet, so appending a forward never moves another forward's target groups.
 * A forward may be pinned (`fleet: N`) to keep it in place whatever else
 * changes, e.g. before removing a forward from an earlier fleet.
 */
import { ValidationError } from './rules';

/** An Auto Scaling group takes at most 50 target groups (hard limit). */
export const MAX_TARGET_GROUPS_PER_ASG = 50;

/**
 * Instances in service or launching while a fleet replaces instances
 * (instance refresh, unhealthy instances, maximum lifetime), in percent of
 * its desired capacity: every new instance is launched before an old one is
 * terminated, so a fleet briefly runs twice its size, and each instance is a
 * target of every NAT target group the fleet is attached to.
 */
export const NAT_MAX_HEALTHY_PERCENT = 200;

/** Most instances a fleet of `maxSize` runs while it replaces instances. */
export function peakInstances(maxSize: number): number {
  return Math.ceil((maxSize * NAT_MAX_HEALTHY_PERCENT) / 100);
}

/** Highest fleet number a pin may name. */
export const MAX_FLEET = 49;

export interface FleetMember {
  readonly name: string;
  /** Target groups of this forward (one per tenant shard that serves it). */
  readonly targetGroups: number;
  /** Pin to this fleet. */
  readonly fleet?: number;
}

/**
 * The fleets as lists of forward names. `fieldOf(name)` names a pin in
 * errors (`forwards[3].fleet` in a config, `forwards.a.fleet` in code).
 */
export function assignFleets(
  members: readonly FleetMember[],
  capacity = MAX_TARGET_GROUPS_PER_ASG,
  fieldOf: (name: string) => string = (name) => `forwards.${name}.fleet`,
): string[][] {
  const fleets: { names: string[]; load: number }[] = [];
  const slot = (i: number) => (fleets[i] ??= { names: [], load: 0 });
  const place = (i: number, m: FleetMember) => {
    slot(i).names.push(m.name);
    slot(i).load += m.targetGroups;
  };
  for (const m of members) {
    if (m.targetGroups > capacity) {
      throw new ValidationError(
        fieldOf(m.name).replace(/\.fleet$/, ''),
        `${m.targetGroups} target groups`,
        `needs more target groups than one Auto Scaling group takes (${capacity})`,
        'list the forward in fewer tenants',
      );
    }
    if (m.fleet === undefined) continue;
    if (!Number.isInteger(m.fleet) || m.fleet < 0 || m.fleet > MAX_FLEET) {
      throw new ValidationError(
        fieldOf(m.name),
        m.fleet,
        'is not a fleet number',
        `use a whole number from 0 to ${MAX_FLEET}, or leave it out`,
      );
    }
    if (slot(m.fleet).load + m.targetGroups > capacity) {
      throw new ValidationError(
        fieldOf(m.name),
        m.fleet,
        `is full: NAT fleet ${m.fleet} already has ${slot(m.fleet).load} of ${capacity} target groups`,
        `an Auto Scaling group takes at most ${capacity} target groups; pin this forward to another fleet or leave fleet out`,
      );
    }
    place(m.fleet, m);
  }
  for (const m of members) {
    if (m.fleet !== undefined) continue;
    let i = 0;
    while ((fleets[i]?.load ?? 0) + m.targetGroups > capacity) i++;
    place(i, m);
  }
  const empty = Array.from(fleets, (f, i) => (f === undefined || f.names.length === 0 ? i : -1)).filter((i) => i >= 0);
  if (empty.length > 0) {
    const culprit = members.find((m) => m.fleet !== undefined && m.fleet > empty[0])!;
    throw new ValidationError(
      fieldOf(culprit.name),
      culprit.fleet,
      `leaves NAT fleet ${empty[0]} empty`,
      `every fleet below a pinned one needs forwards; pin it to fleet ${empty[0]} or lower, or leave fleet out`,
    );
  }
  return fleets.map((f) => f.names);
}
