/**
 * Splits a tenant's forwards into shards of at most `capacity` (one NLB and
 * endpoint service each). Pure: no cdktf import.
 *
 * Assignment is stable for the common change: forwards are placed in list
 * order into the lowest shard with room, after the pinned ones, so appending
 * a forward never moves an existing one. A forward may be pinned to a shard
 * (`shard: N`) to keep it in place whatever else changes.
 */
import { ValidationError } from './rules';

export interface ShardMember {
  readonly name: string;
  /** Pin to this shard. */
  readonly shard?: number;
}

export function assignShards(members: readonly ShardMember[], capacity: number, field = 'forwards'): string[][] {
  const shards: string[][] = [];
  const slot = (i: number) => (shards[i] ??= []);
  for (const m of members) {
    if (m.shard === undefined) continue;
    if (!Number.isInteger(m.shard) || m.shard < 0 || m.shard > 99) {
      throw new ValidationError(
        `${field}.${m.name}.shard`,
        m.shard,
        'is not a shard number',
        'use a whole number from 0 to 99, or leave it out',
      );
    }
    const target = slot(m.shard);
    if (target.length >= capacity) {
      throw new ValidationError(
        `${field}.${m.name}.shard`,
        m.shard,
        `is full (${capacity} forwards per NLB)`,
        'pin this forward to another shard or leave shard out',
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
  // Pins may leave holes (shard 2 pinned, nothing in 1); keep indexes stable.
  for (let i = 0; i < shards.length; i++) slot(i);
  return shards;
}
