import { bootedNatLab, exampleNatForwards } from './support/nat-boot';
import { ADDR, NetnsLab, SKIP_NETNS, assertNetnsUsable } from './support/netns';

// Packet sizes on the NAT path, with the boot script and rules object
// exactly as Terraform renders them for the example config: SYNs leave
// clamped to what the path carries, and ICMP fragmentation-needed from the
// Direct Connect side finds its way back through the NAT instance.

(SKIP_NETNS ? describe.skip : describe)('packet sizes through the NAT instance (network namespaces)', () => {
  const forwards = exampleNatForwards();
  let lab: NetnsLab;

  beforeAll(async () => {
    assertNetnsUsable();
    // GIVEN both NAT instances booted with the rendered user data and rules
    lab = await bootedNatLab(forwards);
  }, 600000);

  afterAll(() => lab?.destroy());

  test('SYNs leave the NAT instance announcing at most the MSS the path carries (1460 behind a 1500-byte VIF)', async () => {
    // GIVEN a client side with jumbo frames (its SYNs announce MSS 8960), and a
    // broker counting the MSS of the SYNs it receives
    const f = forwards[0];
    const broker = lab.ns.brokers.get(f.targetIp)!;
    const jumbo = (mtu: number) => {
      lab.execOk(lab.ns.client, ['ip', 'link', 'set', 'vpc', 'mtu', String(mtu)]);
      for (const [i, ns] of lab.ns.nats.entries()) {
        lab.execOk(lab.ns.client, ['ip', 'link', 'set', `nat${i + 1}`, 'mtu', String(mtu)]);
        lab.execOk(ns, ['ip', 'link', 'set', 'vpc0', 'mtu', String(mtu)]);
      }
    };
    lab.execOk(broker, ['nft', 'add', 'table', 'ip', 'mss_probe']);
    lab.execOk(broker, ['nft', 'add', 'chain', 'ip', 'mss_probe', 'in', '{ type filter hook input priority 0; }']);
    for (const [label, range] of [
      ['clamped', '1-1460'],
      ['jumbo', '1461-65535'],
    ]) {
      lab.execOk(broker, [
        'nft',
        'add',
        'rule',
        'ip',
        'mss_probe',
        'in',
        'tcp',
        'dport',
        String(f.targetPort),
        'tcp',
        'flags',
        'syn',
        'tcp',
        'option',
        'maxseg',
        'size',
        range,
        'counter',
        'comment',
        `"${label}"`,
      ]);
    }
    jumbo(9000);
    try {
      // WHEN the client connects through each NAT instance
      for (const nat of ADDR.nats) expect(await lab.agent(lab.ns.client).probe(nat.vpc, f.listenPort)).toMatchObject({ ok: true });
      // THEN every SYN the broker saw announced at most 1460
      const counters = lab.execOk(broker, ['nft', 'list', 'table', 'ip', 'mss_probe']);
      expect(/packets (\d+) bytes \d+ comment "clamped"/.exec(counters)?.[1]).toBe(String(ADDR.nats.length));
      expect(/packets (\d+) bytes \d+ comment "jumbo"/.exec(counters)?.[1]).toBe('0');
    } finally {
      jumbo(1500);
      lab.execOk(broker, ['nft', 'delete', 'table', 'ip', 'mss_probe']);
    }
  });

  test('ICMP fragmentation-needed from the Direct Connect side reaches the client through the NAT, so path MTU discovery works', async () => {
    // GIVEN a link on the Direct Connect side that carries 1200-byte packets only: the router
    // answers larger packets with fragmentation-needed, addressed to the NAT instance
    const f = forwards[0];
    const client = lab.agent(lab.ns.client);
    const via = ADDR.nats[0];
    const hostLink = /\bdev (\S+)/.exec(lab.execOk(lab.ns.router, ['ip', 'route', 'get', f.targetIp]))![1];
    const [small, full] = ['x'.repeat(64), 'y'.repeat(30000)];
    lab.execOk(lab.ns.router, ['ip', 'link', 'set', hostLink, 'mtu', '1200']);
    const open = await client.connect(via.vpc, f.listenPort);
    try {
      if (!open.ok) throw new Error(`could not connect through the NAT instance: ${open.error}`);
      expect(await client.send(open.conn, small)).toEqual({ ok: true, echoed: small });
      // WHEN the client sends full-sized segments (1500-byte packets, don't-fragment set)
      // THEN they arrive after all: the ICMP error came back through the NAT instance, translated
      expect(await client.send(open.conn, full, 10000)).toEqual({ ok: true, echoed: full });
      // and the client learnt the smaller path MTU towards the NAT instance's address
      expect(lab.execOk(lab.ns.client, ['ip', 'route', 'get', via.vpc])).toMatch(/\bmtu 1200\b/);
    } finally {
      if (open.ok) await client.close(open.conn);
      lab.execOk(lab.ns.router, ['ip', 'link', 'set', hostLink, 'mtu', '1500']);
      lab.execOk(lab.ns.client, ['ip', 'route', 'flush', 'cache']);
    }
  });
});
