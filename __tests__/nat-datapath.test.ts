import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  APPLY_BIN,
  RULES_FILE,
  RULES_TIMER,
  RULES_UNIT,
  SOURCE_FILE,
  SYSCTL_FILE,
  UNIT_FILE,
  UNIT_NAME,
  exampleDirectForwards,
  exampleNatForwards,
  exampleReachableCalls,
  heredoc,
  renderedNatBootScript,
  renderedNatRules,
} from './support/nat-boot';
import { MAX_TCP_IDLE_TIMEOUT } from '../constructs/private/rules';
import { ADDR, BROKER_OTHER_PORTS, InstanceRun, NetnsLab, SKIP_NETNS, assertNetnsUsable, run, unitExecLines } from './support/netns';

// The boot script Terraform renders into the NAT launch template, and the
// rules object it renders into S3, run for real inside Linux network
// namespaces (client ↔ NAT instances ↔ router ↔ broker hosts, an S3 and an
// instance-metadata stand-in, see support/netns.ts) and carry real TCP.

const CT_ESTABLISHED = 'net.netfilter.nf_conntrack_tcp_timeout_established';

/** Connections that must fail are given this long. */
const REFUSED_WITHIN_MS = 1000;

function ipForward(lab: NetnsLab, ns: string): string {
  return lab.execOk(ns, ['sysctl', '-n', 'net.ipv4.ip_forward']).trim();
}

describe('rendered NAT boot script and rules', () => {
  test('the rules serve exactly the example config’s two public-target forwards; the boot script none', () => {
    // GIVEN the example config  THEN the NAT fleet handles the public targets only
    expect(exampleNatForwards()).toEqual([
      { name: 'broker-a-fix', listenPort: 9001, targetIp: '192.0.2.10', targetPort: 9876 },
      { name: 'broker-b-fix', listenPort: 9002, targetIp: '198.51.100.20', targetPort: 4500 },
    ]);
    expect(exampleDirectForwards()).toEqual([{ name: 'clearing-api', listenPort: 9443 }]);
    const rules = renderedNatRules();
    expect(rules).toMatchObject({ bucket: 'fix-gw-nat-rules-111111111111-eu-west-2', key: 'nat/fix-gw-nat.nft' });
    for (const f of exampleNatForwards()) expect(rules.content).toContain(`dnat to ${f.targetIp}:${f.targetPort} comment "${f.name}"`);
    expect(rules.content).not.toContain('172.20.5.15');
    // the launch template holds where the rules are, never a forward
    const script = renderedNatBootScript();
    expect(script).toContain('bucket=fix-gw-nat-rules-111111111111-eu-west-2');
    for (const f of exampleNatForwards()) {
      expect(script).not.toContain(f.targetIp);
      expect(script).not.toContain(String(f.listenPort));
    }
  });

  test.each([
    ['the boot script', () => renderedNatBootScript()],
    ['the rules loader it installs', () => heredoc(renderedNatBootScript(), 'APPLY')],
  ])('%s is shellcheck clean', (_what, text) => {
    // GIVEN the script Terraform rendered  WHEN shellcheck reads it  THEN it reports nothing
    if (run(['sh', '-c', 'command -v shellcheck']).status !== 0) throw new Error('shellcheck is not installed (Debian package shellcheck)');
    const r = run(['shellcheck', '--shell=bash', '--severity=style', '--format=gcc', '-'], { input: text() });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

(SKIP_NETNS ? describe.skip : describe)('NAT data path in network namespaces', () => {
  const forwards = exampleNatForwards();
  let script: string;
  let lab: NetnsLab;
  let boots: InstanceRun[];

  let rules: { bucket: string; key: string; content: string };

  beforeAll(async () => {
    assertNetnsUsable();
    script = renderedNatBootScript();
    rules = renderedNatRules();
    lab = await NetnsLab.create(forwards);
    lab.reachable = exampleReachableCalls();
    await lab.putObject(rules.bucket, rules.key, rules.content);
    // WHEN each NAT instance boots with the rendered user data
    boots = lab.ns.nats.map((ns) => lab.runUserData(ns, script));
  }, 600000);

  afterAll(() => lab?.destroy());

  test('the boot script fetches the rules, loads them before forwarding, and only then reports ready', () => {
    for (const [i, boot] of boots.entries()) {
      const ns = lab.ns.nats[i];
      expect({ status: boot.status, stderr: boot.stderr }).toEqual({
        status: 0,
        stderr: `dx-privatelink-rules: NAT rules loaded: ${forwards.length} forward(s) from s3://${rules.bucket}/${rules.key}\ndx-privatelink: NAT instance ready (fix-gw-nat)\n`,
      });
      // fetched once, units enabled, then the Auto Scaling group told: ready
      expect(boot.systemctl).toEqual([
        `aws s3api get-object --region eu-west-2 --bucket ${rules.bucket} --key ${rules.key} ${boot.systemctl[0].split(' ').pop()}`,
        'systemctl daemon-reload',
        `systemctl enable ${UNIT_NAME}`,
        'systemctl enable --now dx-privatelink-rules.timer',
        `aws autoscaling complete-lifecycle-action --region eu-west-2 --auto-scaling-group-name fix-gw-nat --lifecycle-hook-name dx-privatelink-nat-ready --instance-id i-0nat${i + 1} --lifecycle-action-result CONTINUE`,
      ]);
      expect(boot.written).toEqual([APPLY_BIN, RULES_FILE, SOURCE_FILE, SYSCTL_FILE, UNIT_FILE, RULES_UNIT, RULES_TIMER].sort());
      // the rules on disk are the object Terraform rendered, and they are what is loaded
      expect(lab.instanceFile(ns, RULES_FILE)).toBe(rules.content);
      expect(lab.instanceFile(ns, SYSCTL_FILE)).toBe(heredoc(script, 'SYSCTL'));
      expect(lab.instanceFile(ns, APPLY_BIN)).toBe(heredoc(script, 'APPLY'));
      expect(ipForward(lab, ns)).toBe('1');
      expect(lab.execOk(ns, ['nft', 'list', 'tables'])).toBe('table ip dx_privatelink\n');
    }
    // and the host saw none of it
    expect([RULES_FILE, SYSCTL_FILE, UNIT_FILE, APPLY_BIN, SOURCE_FILE].filter((f) => existsSync(f))).toEqual([]);
  });

  test('the units pass systemd-analyze verify', () => {
    // GIVEN the unit the boot script wrote, in a directory of its own
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-unit-'));
    try {
      const verify = (name: string, text: string) => {
        writeFileSync(path.join(dir, name), text);
        return run(['systemd-analyze', 'verify', '--man=no', path.join(dir, name)]);
      };
      if (run(['sh', '-c', 'command -v systemd-analyze']).status !== 0) {
        throw new Error('systemd-analyze is not installed (Debian package systemd)');
      }
      // A trivially valid unit first: if even that does not verify cleanly,
      // this machine cannot run systemd-analyze verify, and the test says so
      // instead of blaming our unit.
      const control = verify('dxpl-control.service', '[Service]\nType=oneshot\nExecStart=/bin/true\n');
      if (control.status !== 0 || control.stderr !== '') {
        throw new Error(`systemd-analyze verify cannot run here (a trivially valid unit fails): ${control.stderr}`);
      }
      // WHEN verified  THEN no error and no warning (unknown keys and bad
      // values are only warnings on stderr, with exit code 0)
      const unit = lab.instanceFile(lab.ns.nats[0], UNIT_FILE) ?? '';
      for (const file of [UNIT_FILE, RULES_UNIT, RULES_TIMER]) {
        const text = lab.instanceFile(lab.ns.nats[0], file) ?? '';
        // verify resolves a unit's ExecStart binary on this host: point it at the instance's copy
        const r = verify(path.basename(file), text.replace(APPLY_BIN, path.join(lab.diskOf(lab.ns.nats[0]), APPLY_BIN)));
        expect({ file, stderr: r.stderr, status: r.status }).toEqual({ file, stderr: '', status: 0 });
      }
      // At later boots systemd-sysctl turns forwarding on before the unit
      // runs: a unit that fails to load the rules must take the instance down.
      const unitSection = unit.slice(unit.indexOf('[Unit]'), unit.indexOf('[Service]'));
      expect(unitSection.split('\n')).toContain('FailureAction=poweroff');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the rendered rules pass nft --check in a namespace', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-nft-'));
    try {
      const file = path.join(dir, 'dx-privatelink.nft');
      writeFileSync(file, rules.content);
      const r = lab.exec(lab.ns.scratch, ['nft', '--check', '-f', file]);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every NAT forward reaches its broker through each NAT instance, which the broker sees as the source', async () => {
    // GIVEN the client (the NLB nodes)  WHEN it connects to a NAT instance's listen port
    const cases = lab.ns.nats.flatMap((_, i) => forwards.map((f) => ({ nat: ADDR.nats[i], f })));
    const results = await Promise.all(cases.map(({ nat, f }) => lab.agent(lab.ns.client).probe(nat.vpc, f.listenPort)));
    // THEN the broker's target port answers, and sees the NAT instance's Direct Connect side address
    expect(results).toEqual(
      cases.map(({ nat, f }) => ({
        ok: true,
        greeting: { label: `${f.targetIp}:${f.targetPort}`, from: nat.dx, fromPort: expect.any(Number) },
      })),
    );
  });

  test('a port that is not forwarded gets no connection', async () => {
    await lab.acceptedBehindRouter();
    // GIVEN ports that are not NAT listen ports: the direct forwards' ports, the targets' own ports, others
    const ports = [...exampleDirectForwards().map((f) => f.listenPort), ...forwards.map((f) => f.targetPort), 9003, 22, 443];
    const cases = ADDR.nats.flatMap((nat) => ports.map((port) => ({ host: nat.vpc, port })));
    const results = await Promise.all(cases.map(({ host, port }) => lab.agent(lab.ns.client).probe(host, port, REFUSED_WITHIN_MS)));
    // THEN the NAT instance itself refuses them, and nothing reaches any host behind the router
    expect(results.map((r, i) => ({ ...cases[i], r }))).toEqual(cases.map((c) => ({ ...c, r: { ok: false, error: 'ECONNREFUSED' } })));
    expect(await lab.acceptedBehindRouter()).toEqual([]);
  });

  test('the client cannot use a NAT instance as a router to any other port or host (no open relay)', async () => {
    const client = lab.agent(lab.ns.client);
    const destinations = [
      ...[...lab.ns.brokers.keys()].flatMap((ip) => [
        ...forwards.filter((f) => f.targetIp === ip).map((f) => ({ host: ip, port: f.targetPort })),
        ...BROKER_OTHER_PORTS.map((port) => ({ host: ip, port })),
      ]),
      // another host: on 443, on the target ports, and on the listen ports (only
      // traffic addressed to the instance itself is translated)
      ...[...new Set([443, ...forwards.map((f) => f.targetPort), ...forwards.map((f) => f.listenPort)])].map((port) => ({
        host: ADDR.otherHost,
        port,
      })),
    ];
    // GIVEN every destination answers over the direct path (control)
    const direct = await Promise.all(destinations.map((d) => client.probe(d.host, d.port)));
    expect(direct.map((r) => r.ok)).toEqual(destinations.map(() => true));
    await lab.acceptedBehindRouter();
    for (const nat of ADDR.nats) {
      // WHEN the client routes those hosts through a NAT instance, and the
      // router sends the client's traffic back the same way (a symmetric path,
      // so a relaying instance would carry whole connections)
      const hosts = [...new Set(destinations.map((d) => d.host))];
      for (const host of hosts) lab.execOk(lab.ns.client, ['ip', 'route', 'replace', `${host}/32`, 'via', nat.vpc]);
      lab.execOk(lab.ns.router, ['ip', 'route', 'replace', `${ADDR.client}/32`, 'via', nat.dx]);
      try {
        // (the forwards themselves still work on this path)
        expect(await client.probe(nat.vpc, forwards[0].listenPort)).toMatchObject({ ok: true });
        await lab.acceptedBehindRouter();
        const results = await Promise.all(destinations.map((d) => client.probe(d.host, d.port, REFUSED_WITHIN_MS)));
        // THEN nothing gets through
        expect(results.map((r, i) => ({ via: nat.vpc, ...destinations[i], ok: r.ok }))).toEqual(
          destinations.map((d) => ({ via: nat.vpc, ...d, ok: false })),
        );
        expect(await lab.acceptedBehindRouter()).toEqual([]);
      } finally {
        for (const host of hosts) lab.execOk(lab.ns.client, ['ip', 'route', 'del', `${host}/32`]);
        lab.execOk(lab.ns.router, ['ip', 'route', 'del', `${ADDR.client}/32`]);
      }
    }
  });

  test('on a NAT instance, its own address on a listen port is forwarded and its other traffic is untouched', async () => {
    for (const [i, ns] of lab.ns.nats.entries()) {
      const nat = lab.agent(ns);
      const own = ADDR.nats[i];
      for (const f of forwards) {
        const target = `${f.targetIp}:${f.targetPort}`;
        // WHEN the instance connects to its own VPC or Direct Connect address on a listen port
        // THEN it reaches the target, masqueraded like forwarded traffic
        expect(await nat.probe(own.vpc, f.listenPort)).toMatchObject({ ok: true, greeting: { label: target, from: own.dx } });
        expect(await nat.probe(own.dx, f.listenPort)).toMatchObject({ ok: true, greeting: { label: target, from: own.dx } });
        // WHEN it connects to loopback or another host on that port  THEN it reaches exactly that
        expect(await nat.probe('127.0.0.1', f.listenPort)).toMatchObject({
          ok: true,
          greeting: { label: `127.0.0.1:${f.listenPort}`, from: '127.0.0.1' },
        });
        expect(await nat.probe(ADDR.client, f.listenPort)).toMatchObject({
          ok: true,
          greeting: { label: `${ADDR.client}:${f.listenPort}`, from: own.vpc },
        });
      }
      // WHEN it reaches a VPC endpoint or another host on 443  THEN neither destination nor source is rewritten
      expect(await nat.probe(ADDR.client, 443)).toMatchObject({ ok: true, greeting: { label: `${ADDR.client}:443`, from: own.vpc } });
      expect(await nat.probe(ADDR.otherHost, 443)).toMatchObject({ ok: true, greeting: { label: `${ADDR.otherHost}:443`, from: own.dx } });
      expect(await nat.probe(ADDR.otherHost, 443, 3000, own.vpc)).toMatchObject({
        ok: true,
        greeting: { label: `${ADDR.otherHost}:443`, from: own.vpc },
      });
    }
  });

  test('after a reboot the unit restores the rules, then forwarding and a conntrack timeout above the longest NLB idle timeout', async () => {
    const ns = lab.ns.nats[1];
    const via = ADDR.nats[1];
    const client = lab.agent(lab.ns.client);
    const loaded = lab.execOk(ns, ['nft', 'list', 'ruleset']);
    const which = (tool: string) => run(['sh', '-c', `command -v ${tool}`]).stdout.trim();
    const unit = lab.instanceFile(ns, UNIT_FILE) ?? '';
    // GIVEN the unit loads exactly the rules file with nft, then applies the sysctl.d file again
    const execStart = unitExecLines(unit, 'ExecStart');
    expect(execStart).toEqual([[which('nft'), '-f', RULES_FILE]]);
    const execStartPost = unitExecLines(unit, 'ExecStartPost');
    expect(execStartPost).toEqual([[which('sysctl'), '-e', '-q', '-p', SYSCTL_FILE]]);

    // WHEN the instance reboots: the kernel forgets the ruleset and forwarding, the disk keeps the files;
    // systemd-sysctl ran before the ruleset loaded the conntrack module, so the kernel's default timeout is in place
    lab.execOk(ns, ['nft', 'flush', 'ruleset']);
    lab.execOk(ns, ['sysctl', '-qw', 'net.ipv4.ip_forward=0', `${CT_ESTABLISHED}=432000`]);
    expect(lab.execOk(ns, ['nft', 'list', 'ruleset'])).toBe('');
    expect(await client.probe(via.vpc, forwards[0].listenPort, REFUSED_WITHIN_MS)).toMatchObject({ ok: false });

    // WHEN the unit starts: its ExecStart, run exactly as written  THEN the same ruleset is back
    for (const argv of execStart) expect(lab.instanceExec(ns, argv)).toMatchObject({ status: 0, stderr: '' });
    expect(lab.execOk(ns, ['nft', 'list', 'ruleset'])).toBe(loaded);
    // but nothing is forwarded before the sysctl.d file is applied
    expect(await client.probe(via.vpc, forwards[0].listenPort, REFUSED_WITHIN_MS)).toMatchObject({ ok: false });
    // WHEN its ExecStartPost runs  THEN forwarding is on and established TCP outlives the longest NLB idle timeout
    for (const argv of execStartPost) expect(lab.instanceExec(ns, argv)).toMatchObject({ status: 0, stderr: '' });
    expect(ipForward(lab, ns)).toBe('1');
    const timeout = Number(lab.execOk(ns, ['sysctl', '-n', CT_ESTABLISHED]).trim());
    expect(timeout).toBeGreaterThanOrEqual(MAX_TCP_IDLE_TIMEOUT);
    expect(timeout).toBeLessThan(432000);

    // THEN every forward works through the rebooted instance again
    const results = await Promise.all(forwards.map((f) => client.probe(via.vpc, f.listenPort)));
    expect(results).toEqual(
      forwards.map((f) => ({ ok: true, greeting: { label: `${f.targetIp}:${f.targetPort}`, from: via.dx, fromPort: expect.any(Number) } })),
    );
  });

  test('with one NAT instance down, the other still carries every forward and its open connections', async () => {
    const client = lab.agent(lab.ns.client);
    const [down, up] = [0, 1];
    const open = await client.connect(ADDR.nats[up].vpc, forwards[0].listenPort);
    if (!open.ok) throw new Error(`could not open a connection through nat${up + 1}: ${open.error}`);
    expect(await client.send(open.conn, 'before\n')).toEqual({ ok: true, echoed: 'before\n' });
    // WHEN one NAT instance loses its VPC-side link
    lab.execOk(lab.ns.nats[down], ['ip', 'link', 'set', 'vpc0', 'down']);
    try {
      const [viaDown, ...viaUp] = await Promise.all([
        client.probe(ADDR.nats[down].vpc, forwards[0].listenPort, REFUSED_WITHIN_MS),
        ...forwards.map((f) => client.probe(ADDR.nats[up].vpc, f.listenPort)),
      ]);
      // THEN it carries nothing, the other carries every forward, and the open connection lives on
      expect(viaDown).toMatchObject({ ok: false });
      expect(viaUp).toEqual(
        forwards.map((f) => ({
          ok: true,
          greeting: { label: `${f.targetIp}:${f.targetPort}`, from: ADDR.nats[up].dx, fromPort: expect.any(Number) },
        })),
      );
      expect(await client.send(open.conn, 'during\n')).toEqual({ ok: true, echoed: 'during\n' });
    } finally {
      lab.execOk(lab.ns.nats[down], ['ip', 'link', 'set', 'vpc0', 'up']);
      await client.close(open.conn);
    }
  });

  test('loading the rules again (the boot unit, as at a reboot) keeps every established connection', async () => {
    const client = lab.agent(lab.ns.client);
    await lab.acceptedBehindRouter();
    // GIVEN one open connection per forward through each NAT instance, carrying data
    const cases = lab.ns.nats.flatMap((ns, i) => forwards.map((f) => ({ ns, nat: ADDR.nats[i], f })));
    const conns = await Promise.all(cases.map(({ nat, f }) => client.connect(nat.vpc, f.listenPort)));
    const ids = conns.map((c, i) => {
      if (!c.ok) throw new Error(`could not connect through ${cases[i].nat.vpc}:${cases[i].f.listenPort}: ${c.error}`);
      return c.conn;
    });
    const before = new Map(lab.ns.nats.map((ns) => [ns, lab.execOk(ns, ['nft', 'list', 'ruleset'])]));
    try {
      expect(await Promise.all(ids.map((id) => client.send(id, `before ${id}\n`)))).toEqual(
        ids.map((id) => ({ ok: true, echoed: `before ${id}\n` })),
      );
      // WHEN each instance loads its rules file again, one transaction (the unit's ExecStart, as written)
      for (const ns of lab.ns.nats) {
        for (const argv of unitExecLines(lab.instanceFile(ns, UNIT_FILE) ?? '', 'ExecStart')) {
          expect(lab.instanceExec(ns, argv)).toMatchObject({ status: 0, stderr: '' });
        }
      }
      // THEN the ruleset is the same as before, the same connections still
      // carry data both ways, and no new connection was made
      for (const ns of lab.ns.nats) expect(lab.execOk(ns, ['nft', 'list', 'ruleset'])).toBe(before.get(ns));
      expect(await Promise.all(ids.map((id) => client.send(id, `after ${id}\n`)))).toEqual(
        ids.map((id) => ({ ok: true, echoed: `after ${id}\n` })),
      );
      const accepted = await lab.acceptedBehindRouter();
      expect(accepted.map((a) => `${a.label} from ${a.from}`).sort()).toEqual(
        cases.map(({ nat, f }) => `${f.targetIp}:${f.targetPort} from ${nat.dx}`).sort(),
      );
    } finally {
      await Promise.all(ids.map((id) => client.close(id)));
    }
  });

  /** The lifecycle and power calls of a failed boot, in order. */
  const failClosed = (instance: string) => [
    `aws autoscaling complete-lifecycle-action --region eu-west-2 --auto-scaling-group-name fix-gw-nat --lifecycle-hook-name dx-privatelink-nat-ready --instance-id ${instance} --lifecycle-action-result ABANDON`,
    'systemctl --no-block poweroff',
  ];

  test('a first boot that cannot fetch its rules retries for 2 minutes, then fails closed', () => {
    // GIVEN a fresh instance that cannot reach S3 (the scratch namespace has no network)
    lab.execOk(lab.ns.scratch, ['nft', 'flush', 'ruleset']);
    lab.execOk(lab.ns.scratch, ['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    // WHEN it boots
    const boot = lab.runUserData(lab.ns.scratch, script, 'unreachable-user-data.sh');
    // THEN it tries 24 times 5 s apart, says why it gives up, abandons the launch and powers off
    expect(boot.status).not.toBe(0);
    expect(boot.systemctl.filter((c) => c.startsWith('aws s3api get-object'))).toHaveLength(24);
    expect(boot.systemctl.filter((c) => c === 'sleep 5')).toHaveLength(23);
    expect(boot.stderr).toContain(`dx-privatelink-rules: cannot fetch s3://${rules.bucket}/${rules.key}; the rules in place stay`);
    expect(boot.stderr).toContain('dx-privatelink: boot failed (exit 1); NAT rules are NOT in place; powering off for replacement');
    expect(boot.systemctl.slice(-2)).toEqual(failClosed('i-0scratch'));
    // and it never forwards anything
    expect(lab.execOk(lab.ns.scratch, ['nft', 'list', 'ruleset'])).toBe('');
    expect(ipForward(lab, lab.ns.scratch)).toBe('0');
  });

  test('a first boot whose rules object does not check fails closed, loading nothing', async () => {
    // GIVEN a rules object with one rendered value wrong (a target that is not an address),
    // and nat2 as a freshly launched instance (this test runs last: it takes nat2 down)
    const target = forwards[0].targetIp;
    await lab.putObject(rules.bucket, rules.key, rules.content.split(target).join(target.replace(/\.\d+$/, '.999')));
    const ns = lab.ns.nats[1];
    lab.execOk(ns, ['nft', 'flush', 'ruleset']);
    lab.execOk(ns, ['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    try {
      // WHEN it boots
      const boot = lab.runUserData(ns, script, 'broken-rules-user-data.sh');
      // THEN it fails, says why, abandons the launch, asks for a poweroff, and leaves nothing half-loaded
      expect(boot.status).not.toBe(0);
      expect(boot.stderr).toContain(
        `dx-privatelink-rules: s3://${rules.bucket}/${rules.key} does not pass nft --check; the rules in place stay`,
      );
      expect(boot.systemctl.slice(-2)).toEqual(failClosed('i-0nat2'));
      expect(lab.execOk(ns, ['nft', 'list', 'ruleset'])).toBe('');
      expect(ipForward(lab, ns)).toBe('0');
    } finally {
      await lab.putObject(rules.bucket, rules.key, rules.content);
    }
  });
});
