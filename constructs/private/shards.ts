/**
 * Splits a tenant's forwards into shards of at most `capacity` (one NLB and
 * endpoint service each). Pure: no cdktf import.
 *
 * Assignment is stable for the common change: forwards are placed in list
 * order into the lowest shard with room, after the pinned ones, so appending
 * a forward never moves an existing one. A forward may be pinned to a shard
 * (`shard: N`) to keep it in place whatever else changes. Pins must not
 * overfill a shard or leave a lower shard empty (it would have no NLB).
 */
import { ValidationError } from './rules';

export interface ShardMember {
  readonly name: string;
  /** Pin to this shard. */
  readonly shard?: number;
}

/** Highest shard number a pin may name. */
export const MAX_SHARD = 99;

/**
 * The shards as lists of member names. `fieldOf(name)` names a member's pin
 * in errors (`forwards[3].shard` in a config, `forwards.a.shard` in code).
 */
export function assignShards(
  members: readonly ShardMember[],
  capacity: number,
  fieldOf: (name: string) => string = (name) => `forwards.${name}.shard`,
  tenant = 'default',
): string[][] {
  const shards: string[][] = [];
  const slot = (i: number) => (shards[i] ??= []);
  for (const m of members) {
    if (m.shard === undefined) continue;
    if (!Number.isInteger(m.shard) || m.shard < 0 || m.shard > MAX_SHARD) {
      throw new ValidationError(
        fieldOf(m.name),
        m.shard,
        'is not a shard number',
        `use a whole number from 0 to ${MAX_SHARD}, or leave it out`,
      );
    }
    const target = slot(m.shard);
    if (target.length >= capacity) {
      throw new ValidationError(
        fieldOf(m.name),
        m.shard,
        `is full: shard ${m.shard} of tenant ${tenant} already has ${capacity} forwards`,
        `an NLB takes at most ${capacity} listeners; pin this forward to another shard or leave shard out`,
      );
    }
    target.push(m.name);
  }
  for (const m of members) {
    if (m.shard !== undefined) continue;
    let i = 0;
    while ((shards[i]?.length ?? 0) >= capacity) i++;
    slot(i).push(m.name);
  }
  const empty = Array.from(shards, (s, i) => (s === undefined || s.length === 0 ? i : -1)).filter((i) => i >= 0);
  if (empty.length > 0) {
    const culprit = members.find((m) => m.shard !== undefined && m.shard > empty[0])!;
    const list = empty.length === 1 ? `shard ${empty[0]}` : `shards ${empty.slice(0, -1).join(', ')} and ${empty[empty.length - 1]}`;
    throw new ValidationError(
      fieldOf(culprit.name),
      culprit.shard,
      `leaves ${list} of tenant ${tenant} empty`,
      `every shard below a pinned one needs forwards (each shard is an NLB); pin it to shard ${empty[0]} or lower, or leave shard out`,
    );
  }
  return shards;
}
