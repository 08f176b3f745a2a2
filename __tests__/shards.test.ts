import { assignShards } from '../constructs/private/shards';

const names = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}` }));

describe('assignShards', () => {
  test('120 forwards make 3 shards of 50, 50 and 20', () => {
    expect(assignShards(names(120), 50).map((s) => s.length)).toEqual([50, 50, 20]);
  });

  test('adding a forward does not move an existing one', () => {
    const before = assignShards(names(120), 50);
    const after = assignShards([...names(120), { name: 'new' }], 50);
    before.forEach((shard, i) => expect(after[i].slice(0, shard.length)).toEqual(shard));
    expect(after[2]).toContain('new');
  });

  test('pinned forwards stay in their shard and others fill around them', () => {
    const shards = assignShards([{ name: 'a', shard: 1 }, { name: 'b' }, { name: 'c' }], 2);
    expect(shards).toEqual([['b', 'c'], ['a']]);
  });

  test('fails when a pinned shard is full', () => {
    expect(() =>
      assignShards(
        [
          { name: 'a', shard: 0 },
          { name: 'b', shard: 0 },
        ],
        1,
      ),
    ).toThrow(
      'forwards.b.shard: is full: shard 0 of tenant default already has 1 forwards (got 0); an NLB takes at most 1 listeners; pin this forward to another shard or leave shard out',
    );
  });

  test('fails when a shard number is negative', () => {
    expect(() => assignShards([{ name: 'a', shard: -1 }], 50)).toThrow('forwards.a.shard: is not a shard number (got -1)');
  });

  test('fails when a pin leaves a lower shard empty, naming that pin', () => {
    expect(() => assignShards([{ name: 'a' }, { name: 'b', shard: 3 }], 50, undefined, 'clients')).toThrow(
      'forwards.b.shard: leaves shards 1 and 2 of tenant clients empty (got 3); every shard below a pinned one needs forwards (each shard is an NLB); pin it to shard 1 or lower, or leave shard out',
    );
  });
});
