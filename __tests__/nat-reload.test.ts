import { ADDED, REMOVED, day2Config } from './support/day2';
import {
  APPLY_BIN,
  bootedNatLab,
  RULES_FILE,
  RULES_TIMER,
  RULES_UNIT,
  day2Plan,
  natForwardsOf,
  renderedNatBootScript,
  renderedNatRules,
} from './support/nat-boot';
import { ADDR, NetnsLab, SKIP_NETNS, assertNetnsUsable, unitExecLines } from './support/netns';
import { exampleObject } from './support/mutate';

// Issue 12: a forward change is a day-2 operation on a live system. The
// NAT rules are an S3 object Terraform writes; each instance reloads them in
// place within 30 s, in one transaction, and never flushes them on a failed
// fetch or a bad object. Proven with the artifacts of two real plans: the
// example, and the example with broker-b-fix removed and broker-c-fix added.

const REFUSED_WITHIN_MS = 1000;

(SKIP_NETNS ? describe.skip : describe)('NAT rules reloaded in place (network namespaces)', () => {
  const before = natForwardsOf(exampleObject() as never);
  const after = natForwardsOf(day2Config() as never);
  const kept = before.find((f) => f.name === 'broker-a-fix')!;
  const added = after.find((f) => f.name === ADDED.name)!;
  const removed = before.find((f) => f.name === REMOVED)!;
  let lab: NetnsLab;
  let rules1: { bucket: string; key: string; content: string };
  let rules2: { bucket: string; key: string; content: string };

  /** Runs the rules service on an instance the way its timer does (ExecStart, as written). */
  function reload(ns: string) {
    const [apply] = unitExecLines(lab.instanceFile(ns, RULES_UNIT) ?? '', 'ExecStart');
    return lab.instanceExec(ns, apply);
  }

  beforeAll(async () => {
    assertNetnsUsable();
    rules1 = renderedNatRules();
    rules2 = renderedNatRules(day2Plan());
    // GIVEN both NAT instances booted with the example's rules
    lab = await bootedNatLab([...before, added], rules1);
  }, 600000);
  afterAll(() => lab?.destroy());

  test('the change lands in the same object; the boot script is the same for both plans', () => {
    expect({ bucket: rules2.bucket, key: rules2.key }).toEqual({ bucket: rules1.bucket, key: rules1.key });
    expect(rules2.content).not.toBe(rules1.content);
    expect(renderedNatBootScript(day2Plan())).toBe(renderedNatBootScript());
  });

  test('the timer checks for new rules every 30 s, so a change is live within a minute of apply', () => {
    const timer = lab.instanceFile(lab.ns.nats[0], RULES_TIMER) ?? '';
    expect(timer).toContain('OnUnitActiveSec=30s');
    expect(timer).toContain('OnBootSec=30s');
  });

  test('a long-lived connection through A keeps echoing while B is added and C removed; then B works and C is refused', async () => {
    const client = lab.agent(lab.ns.client);
    // GIVEN an open connection through forward A on each instance, carrying data
    const conns = await Promise.all(ADDR.nats.map((nat) => client.connect(nat.vpc, kept.listenPort)));
    const ids = conns.map((c) => {
      if (!c.ok) throw new Error(`could not connect through A: ${c.error}`);
      return c.conn;
    });
    try {
      expect(await Promise.all(ids.map((id) => client.send(id, 'before\n')))).toEqual(ids.map(() => ({ ok: true, echoed: 'before\n' })));
      await lab.acceptedBehindRouter();
      // WHEN Terraform writes the new rules and each instance's timer fires
      await lab.putObject(rules2.bucket, rules2.key, rules2.content);
      for (const [i, ns] of lab.ns.nats.entries()) {
        const r = reload(ns);
        expect({ status: r.status, stderr: r.stderr }).toEqual({
          status: 0,
          stderr: `dx-privatelink-rules: NAT rules loaded: ${after.length} forward(s) from s3://${rules2.bucket}/${rules2.key}\n`,
        });
        // (the connection of the instance reloaded first still works before the other reloads)
        expect(await client.send(ids[i], `during ${i}\n`)).toEqual({ ok: true, echoed: `during ${i}\n` });
      }
      // THEN the same connections still carry data, and no new one was made to A's broker
      expect(await Promise.all(ids.map((id) => client.send(id, 'after\n')))).toEqual(ids.map(() => ({ ok: true, echoed: 'after\n' })));
      expect(await lab.acceptedBehindRouter()).toEqual([]);
      // and B works through each instance, while C gets no new connection
      for (const nat of ADDR.nats) {
        expect(await client.probe(nat.vpc, added.listenPort)).toMatchObject({
          ok: true,
          greeting: { label: `${added.targetIp}:${added.targetPort}`, from: nat.dx },
        });
        expect(await client.probe(nat.vpc, removed.listenPort, REFUSED_WITHIN_MS)).toEqual({ ok: false, error: 'ECONNREFUSED' });
      }
      expect((await lab.acceptedBehindRouter()).filter((a) => a.label.startsWith(removed.targetIp))).toEqual([]);
      // and what is on disk for the next boot is the new object
      for (const ns of lab.ns.nats) expect(lab.instanceFile(ns, RULES_FILE)).toBe(rules2.content);
    } finally {
      await Promise.all(ids.map((id) => client.close(id)));
    }
  });

  /** What an instance has loaded, with rule handles (a reload changes them), and on disk. */
  const state = (ns: string) => ({ loaded: lab.execOk(ns, ['nft', '-a', 'list', 'ruleset']), disk: lab.instanceFile(ns, RULES_FILE) });

  test('an object that loads but does not hold the translations it lists: the last good rules are put back', async () => {
    const client = lab.agent(lab.ns.client);
    const ns = lab.ns.nats[1];
    const open = await client.connect(ADDR.nats[1].vpc, kept.listenPort);
    if (!open.ok) throw new Error(`could not connect through A: ${open.error}`);
    const listed = () => lab.execOk(ns, ['nft', 'list', 'ruleset']);
    const [was, disk] = [listed(), lab.instanceFile(ns, RULES_FILE)];
    try {
      // GIVEN an object that passes nft --check and loads (the rules before the change: no B, C back)
      // but names one translation more than it holds (a comment that reads like one)
      const odd = `${rules1.content}\n# dnat to 203.0.113.99:1\n`;
      await lab.putObject(rules2.bucket, rules2.key, odd);
      // WHEN the timer fires  THEN the service fails, says so, and the rules before it are loaded again
      const r = reload(ns);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/loaded \d+ translations, expected \d+; the rules in place stay \(reloaded from /);
      expect(listed()).toBe(was);
      expect(lab.instanceFile(ns, RULES_FILE)).toBe(disk);
      expect(await client.send(open.conn, 'still\n')).toEqual({ ok: true, echoed: 'still\n' });
      expect(await client.probe(ADDR.nats[1].vpc, added.listenPort)).toMatchObject({ ok: true });
      // WHEN the timer fires again with the same object  THEN it is not loaded again (no window of wrong rules)
      const handles = lab.execOk(ns, ['nft', '-a', 'list', 'ruleset']);
      const again = reload(ns);
      expect(again.status).not.toBe(0);
      expect(again.stderr).toContain('was rejected before; the rules in place stay');
      expect(lab.execOk(ns, ['nft', '-a', 'list', 'ruleset'])).toBe(handles);
    } finally {
      await client.close(open.conn);
      await lab.putObject(rules2.bucket, rules2.key, rules2.content);
    }
  });

  test.each([
    ['a broken object (does not pass nft --check)', 'does not pass nft --check'],
    ['an unreachable S3', 'cannot fetch'],
  ])('%s changes nothing: the rules in place stay and connections go on', async (what, message) => {
    const client = lab.agent(lab.ns.client);
    const ns = lab.ns.nats[0];
    const open = await client.connect(ADDR.nats[0].vpc, kept.listenPort);
    if (!open.ok) throw new Error(`could not connect through A: ${open.error}`);
    const was = state(ns);
    try {
      // GIVEN the source goes bad
      if (what.startsWith('a broken')) await lab.putObject(rules2.bucket, rules2.key, rules2.content.replace('dnat to', 'dnat too'));
      else await lab.s3Reachable(false);
      // WHEN the timer fires
      const r = reload(ns);
      // THEN the service fails and says why, and nothing changed
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('the rules in place stay');
      expect(state(ns)).toEqual(was);
      expect(await client.send(open.conn, 'still\n')).toEqual({ ok: true, echoed: 'still\n' });
      expect(await client.probe(ADDR.nats[0].vpc, added.listenPort)).toMatchObject({ ok: true });
    } finally {
      await client.close(open.conn);
      await lab.s3Reachable(true, { [`/${rules2.bucket}/${rules2.key}`]: rules2.content });
    }
  });

  test('the rules service leaves unchanged rules alone (no reload) when the object has not changed', () => {
    for (const ns of lab.ns.nats) {
      const before = lab.execOk(ns, ['nft', '-a', 'list', 'ruleset']);
      const [apply] = unitExecLines(lab.instanceFile(ns, RULES_UNIT) ?? '', 'ExecStart');
      expect(apply).toEqual([APPLY_BIN]);
      const r = lab.instanceExec(ns, apply);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      // rule handles change on every load: the same handles mean nothing was reloaded
      expect(lab.execOk(ns, ['nft', '-a', 'list', 'ruleset'])).toBe(before);
    }
  });
});
