import { assignFleets } from '../constructs/private/fleets';

const members = (n: number, targetGroups = 1) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, targetGroups }));

describe('assignFleets', () => {
  test('as few fleets as 50 target groups per Auto Scaling group allow', () => {
    expect(assignFleets(members(130)).map((f) => f.length)).toEqual([50, 50, 30]);
    // a forward in three tenants takes three target groups
    expect(assignFleets(members(40, 3)).map((f) => f.length)).toEqual([16, 16, 8]);
  });

  test('appending a forward never moves another forward', () => {
    const before = assignFleets(members(120));
    const after = assignFleets([...members(120), { name: 'new', targetGroups: 2 }]);
    expect(after.slice(0, before.length).map((f, i) => f.slice(0, before[i].length))).toEqual(before);
    expect(after.flat().filter((n) => n !== 'new')).toEqual(before.flat());
  });

  test('a pin keeps a forward in its fleet when forwards before it go', () => {
    const all = members(60).map((m, i) => (i >= 50 ? { ...m, fleet: 1 } : m));
    const withoutFirst = all.slice(1);
    expect(assignFleets(all)[1]).toEqual(assignFleets(withoutFirst)[1]);
  });

  test('fails when a pin overfills a fleet, naming the pin', () => {
    expect(() => assignFleets([...members(50), { name: 'x', targetGroups: 1, fleet: 0 }].map((m) => ({ ...m, fleet: 0 })))).toThrow(
      'forwards.x.fleet: is full: NAT fleet 0 already has 50 of 50 target groups (got 0)',
    );
  });

  test('fails when a pin leaves a fleet empty', () => {
    expect(() => assignFleets([{ name: 'a', targetGroups: 1, fleet: 1 }])).toThrow('forwards.a.fleet: leaves NAT fleet 0 empty (got 1)');
  });
});
