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
    ).toThrow('forwards.b.shard: is full (1 forwards per NLB) (got 0); pin this forward to another shard or leave shard out');
  });

  test('fails when a shard number is negative', () => {
    expect(() => assignShards([{ name: 'a', shard: -1 }], 50)).toThrow('forwards.a.shard: is not a shard number (got -1)');
  });
});
