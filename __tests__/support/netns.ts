/**
 * A NAT data-path lab in Linux network namespaces (root only).
 *
 * Namespaces (`dxpl-<pid>-<role>`) and links; every interface lives only inside them:
 *   client   the NLB nodes and the VPC fabric (it forwards): bridge `vpc` 10.42.0.10/24
 *            with one port per NAT instance, and `dx` 10.98.0.1/30 to the router, the
 *            direct path without NAT (default route).
 *   nat1/2   NAT instance i: `vpc0` 10.42.0.2i/24 on the client's bridge, `dx0`
 *            10.99.0.1i/24 on the router's bridge, default route via 10.99.0.1.
 *   router   the VGW / Direct Connect path: bridge `dx` 10.99.0.1/24, `vpc` 10.98.0.2/30
 *            with the route to the VPC CIDR (the VGW advertises it), and a
 *            point-to-point link `hN` to each host below.
 *   brokerN  one per target address (192.0.2.10, 198.51.100.20 in the example).
 *   other    203.0.113.5, a host that is no target.
 *   scratch  unconnected, for one-off scripts.
 *
 * Listeners (each greets with its own address:port and the source address it
 * sees, then echoes): every broker on its target ports and on 22 and 443; the
 * other host on 443 and every target and listen port; the client on 443 (a VPC
 * endpoint) and every listen port; each NAT instance on 127.0.0.1 at every
 * listen port.
 *
 * The real boot script runs inside a NAT namespace with `unshare --mount`:
 * /etc is a private tmpfs copy (so the files it writes never reach the host;
 * they are copied to the instance's "disk" directory afterwards), /proc/sys is
 * read-only except the namespace's own net.* keys, and `systemctl`, `poweroff`,
 * `shutdown`, `reboot`, `halt` are fakes, first on PATH and bind-mounted over
 * the real binaries, that record their arguments; the fake systemctl runs a
 * unit's ExecStart (then ExecStartPost)/ExecReload/ExecStop lines exactly as written in the unit file.
 *
 * Interfaces are created directly inside the namespaces, never in the host's.
 * Everything is removed by destroy() (afterAll), by a process exit handler,
 * by a watchdog process when the harness dies without either (SIGKILL, Ctrl-C),
 * and, should all that fail, by the next run (namespaces whose pid is gone).
 */
import { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent } from './netns-agents';
import { NETNS_PREFIX, RunResult, assertNetnsUsable, deleteNamespace, removeLeftovers, run, runOk, startWatchdog } from './netns-host';
import { FAKE_AWS, FAKE_POWER, FAKE_SLEEP, FAKE_SYSTEMCTL, INSTANCE_WRAPPER } from './netns-instance';

export type { Greeting } from './netns-agent';
export { Agent, type ConnectResult, type ProbeResult } from './netns-agents';
export { INSTANCE_PRIVATE_DIRS, unitExecLines } from './netns-instance';
export {
  NETNS_PREFIX,
  type RunResult,
  SKIP_NETNS,
  assertNetnsUsable,
  netnsUnavailableReason,
  removeLeftovers,
  run,
  runOk,
} from './netns-host';

/** One forward handled by the NAT fleet. */
export interface NatForward {
  readonly name: string;
  readonly listenPort: number;
  readonly targetIp: string;
  readonly targetPort: number;
}

export const ADDR = {
  client: '10.42.0.10',
  clientDirect: '10.98.0.1',
  vpcCidr: '10.42.0.0/24',
  routerDx: '10.99.0.1',
  routerDirect: '10.98.0.2',
  nats: [
    { vpc: '10.42.0.21', dx: '10.99.0.11' },
    { vpc: '10.42.0.22', dx: '10.99.0.12' },
  ],
  otherHost: '203.0.113.5',
  /** The S3 stand-in listens on the client's VPC address (the gateway endpoint is VPC-side). */
  s3Port: 8080,
  /** Every NAT namespace has an instance metadata stand-in here. */
  imds: '169.254.169.254',
} as const;

/** Ports every broker host listens on besides its targets: not forwarded. */
export const BROKER_OTHER_PORTS = [22, 443] as const;

const liveLabs = new Set<NetnsLab>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.destroy();
  });
}

// --------------------------------------------------------------------- lab

export interface InstanceRun extends RunResult {
  /** What systemctl / poweroff were asked to do, one call per line. */
  readonly systemctl: string[];
  /** Files under /etc the command wrote. */
  readonly written: string[];
  /** For each unit start/restart/reload/stop: the verb, the unit and net.ipv4.ip_forward at that moment. */
  readonly unitStates: string[];
}

interface Namespaces {
  readonly client: string;
  readonly nats: string[];
  readonly router: string;
  /** Broker host namespace by target IP. */
  readonly brokers: Map<string, string>;
  readonly other: string;
  /** For one-off scripts (the corrupted boot script, nft --check). */
  readonly scratch: string;
}

export class NetnsLab {
  readonly prefix = `${NETNS_PREFIX}${process.pid}-`;
  readonly dir: string;
  readonly ns: Namespaces;
  private readonly agents = new Map<string, Agent>();
  private readonly created: string[] = [];
  private readonly watchdog: ChildProcess;
  private destroyed = false;
  /**
   * The AWS calls an instance's fake CLI answers (`<service> <operation>`):
   * what the flow model of the deployed system says is reachable and
   * allowed (flows/index.ts reachableCalls). Nothing until a test says.
   */
  reachable: readonly string[] = [];

  private constructor(readonly forwards: readonly NatForward[]) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `dxpl-netns-${process.pid}-`));
    this.watchdog = startWatchdog(this.prefix, this.dir);
    const targets = [...new Set(forwards.map((f) => f.targetIp))];
    this.ns = {
      client: `${this.prefix}client`,
      nats: ADDR.nats.map((_, i) => `${this.prefix}nat${i + 1}`),
      router: `${this.prefix}router`,
      brokers: new Map(targets.map((ip, i) => [ip, `${this.prefix}broker${i + 1}`])),
      other: `${this.prefix}other`,
      scratch: `${this.prefix}scratch`,
    };
  }

  /** Builds the namespaces, links and listeners. Cleans up after itself if that fails. */
  static async create(forwards: readonly NatForward[], opts: { brokerMode?: 'echo' | 'sink' } = {}): Promise<NetnsLab> {
    assertNetnsUsable();
    installExitHandler();
    removeLeftovers();
    const lab = new NetnsLab(forwards);
    liveLabs.add(lab);
    try {
      lab.build();
      await lab.startAgents(opts.brokerMode ?? 'echo');
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  private ip(ns: string, ...args: string[]): void {
    runOk(['ip', '-n', ns, ...args]);
  }

  private addNamespace(ns: string, forwarding: boolean): void {
    runOk(['ip', 'netns', 'add', ns]);
    this.created.push(ns);
    this.ip(ns, 'link', 'set', 'lo', 'up');
    const sysctls = ['net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', `net.ipv4.ip_forward=${forwarding ? 1 : 0}`];
    runOk(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', ...sysctls]);
  }

  /** A veth pair created directly inside the two namespaces (never in the host's). */
  private veth(nsA: string, nameA: string, nsB: string, nameB: string): void {
    this.ip(nsA, 'link', 'add', nameA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB);
    this.ip(nsA, 'link', 'set', nameA, 'up');
    this.ip(nsB, 'link', 'set', nameB, 'up');
  }

  private build(): void {
    const { client, nats, router, brokers, other, scratch } = this.ns;
    this.addNamespace(client, true);
    this.addNamespace(router, true);
    for (const nat of nats) this.addNamespace(nat, false);
    for (const ns of [...brokers.values(), other, scratch]) this.addNamespace(ns, false);

    // VPC side: the client's bridge, one port per NAT instance.
    this.ip(client, 'link', 'add', 'vpc', 'type', 'bridge');
    this.ip(client, 'link', 'set', 'vpc', 'up');
    this.ip(client, 'addr', 'add', `${ADDR.client}/24`, 'dev', 'vpc');
    // Direct Connect side: the router's bridge.
    this.ip(router, 'link', 'add', 'dx', 'type', 'bridge');
    this.ip(router, 'link', 'set', 'dx', 'up');
    this.ip(router, 'addr', 'add', `${ADDR.routerDx}/24`, 'dev', 'dx');
    nats.forEach((nat, i) => {
      this.veth(nat, 'vpc0', client, `nat${i + 1}`);
      this.ip(client, 'link', 'set', `nat${i + 1}`, 'master', 'vpc');
      this.ip(nat, 'addr', 'add', `${ADDR.nats[i].vpc}/24`, 'dev', 'vpc0');
      this.veth(nat, 'dx0', router, `nat${i + 1}`);
      this.ip(router, 'link', 'set', `nat${i + 1}`, 'master', 'dx');
      this.ip(nat, 'addr', 'add', `${ADDR.nats[i].dx}/24`, 'dev', 'dx0');
      this.ip(nat, 'route', 'add', 'default', 'via', ADDR.routerDx);
      this.ip(nat, 'addr', 'add', `${ADDR.imds}/32`, 'dev', 'lo');
    });
    this.ip(scratch, 'addr', 'add', `${ADDR.imds}/32`, 'dev', 'lo');
    // The direct path (no NAT) from the VPC to the router: the benchmark's
    // baseline, and how the router reaches the VPC CIDR.
    this.veth(client, 'dx', router, 'vpc');
    this.ip(client, 'addr', 'add', `${ADDR.clientDirect}/30`, 'dev', 'dx');
    this.ip(router, 'addr', 'add', `${ADDR.routerDirect}/30`, 'dev', 'vpc');
    this.ip(client, 'route', 'add', 'default', 'via', ADDR.routerDirect);
    this.ip(router, 'route', 'add', ADDR.vpcCidr, 'via', ADDR.clientDirect);
    // Hosts behind the router: point-to-point links, any address.
    const hosts: [string, string][] = [[other, ADDR.otherHost], ...[...brokers].map(([ip, ns]): [string, string] => [ns, ip])];
    hosts.forEach(([ns, address], i) => {
      const gateway = `10.250.${i}.1`;
      this.veth(router, `h${i}`, ns, 'eth0');
      this.ip(router, 'addr', 'add', gateway, 'peer', `${address}/32`, 'dev', `h${i}`);
      this.ip(ns, 'addr', 'add', address, 'peer', `${gateway}/32`, 'dev', 'eth0');
      this.ip(ns, 'route', 'add', 'default', 'via', gateway);
    });

    const bin = path.join(this.dir, 'fakebin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'systemctl'), FAKE_SYSTEMCTL);
    writeFileSync(path.join(bin, 'aws'), FAKE_AWS);
    writeFileSync(path.join(bin, 'sleep'), FAKE_SLEEP);
    for (const tool of ['poweroff', 'shutdown', 'reboot', 'halt']) writeFileSync(path.join(bin, tool), FAKE_POWER);
    for (const tool of readdirSync(bin)) chmodSync(path.join(bin, tool), 0o755);
    writeFileSync(path.join(this.dir, 'instance.sh'), INSTANCE_WRAPPER, { mode: 0o755 });
  }

  private async startAgents(brokerMode: 'echo' | 'sink'): Promise<void> {
    const { client, nats, brokers, other } = this.ns;
    const { scratch } = this.ns;
    for (const ns of [client, ...nats, ...brokers.values(), other, scratch]) this.agents.set(ns, Agent.start(ns));
    await Promise.all([...this.agents.values()].map((a) => a.whenReady()));
    const listens: Promise<void>[] = [];
    const listenPorts = [...new Set(this.forwards.map((f) => f.listenPort))];
    for (const [ip, ns] of brokers) {
      const ports = new Set([...this.forwards.filter((f) => f.targetIp === ip).map((f) => f.targetPort), ...BROKER_OTHER_PORTS]);
      for (const port of ports) listens.push(this.agent(ns).listen(ip, port, brokerMode));
    }
    for (const port of new Set([443, ...this.forwards.map((f) => f.targetPort), ...listenPorts]))
      listens.push(this.agent(other).listen(ADDR.otherHost, port));
    for (const port of new Set([443, ...listenPorts])) listens.push(this.agent(client).listen(ADDR.client, port));
    for (const nat of nats) for (const port of listenPorts) listens.push(this.agent(nat).listen('127.0.0.1', port));
    // Instance metadata (IMDSv2) on every instance namespace, and the S3 stand-in.
    const instances: [string, string][] = [...nats.map((nat, i): [string, string] => [nat, `i-0nat${i + 1}`]), [scratch, 'i-0scratch']];
    for (const [ns, id] of instances) {
      listens.push(
        this.agent(ns)
          .http(ADDR.imds, 80)
          .then(async () => {
            await this.agent(ns).httpSet(80, '/latest/api/token', 'fake-imds-token');
            await this.agent(ns).httpSet(80, '/latest/meta-data/instance-id', id);
          }),
      );
    }
    listens.push(this.agent(client).http(ADDR.client, ADDR.s3Port));
    await Promise.all(listens);
  }

  agent(ns: string): Agent {
    const agent = this.agents.get(ns);
    if (!agent) throw new Error(`no agent in ${ns}`);
    return agent;
  }

  broker(targetIp: string): Agent {
    return this.agent(this.ns.brokers.get(targetIp)!);
  }

  /** Puts an object in the S3 stand-in (null removes it). */
  async putObject(bucket: string, key: string, body: string | null): Promise<void> {
    await this.agent(this.ns.client).httpSet(ADDR.s3Port, `/${bucket}/${key}`, body);
  }

  /** The S3 stand-in stops answering (connections refused), or starts again with the same objects. */
  async s3Reachable(reachable: boolean, objects: Record<string, string> = {}): Promise<void> {
    const client = this.agent(this.ns.client);
    await client.httpStop(ADDR.s3Port);
    if (!reachable) return;
    await client.http(ADDR.client, ADDR.s3Port);
    for (const [p, body] of Object.entries(objects)) await client.httpSet(ADDR.s3Port, p, body);
  }

  /** Every broker host's and the other host's accepted connections since the last call. */
  async acceptedBehindRouter(): Promise<{ label: string; from: string }[]> {
    const lists = await Promise.all([...this.ns.brokers.values(), this.ns.other].map((ns) => this.agent(ns).accepted()));
    return lists.flat();
  }

  /** Runs a command in a namespace (no private mounts). */
  exec(ns: string, argv: readonly string[], timeoutMs = 15000): RunResult {
    return run(['ip', 'netns', 'exec', ns, ...argv], { timeoutMs });
  }

  execOk(ns: string, argv: readonly string[]): string {
    return runOk(['ip', 'netns', 'exec', ns, ...argv]);
  }

  /** The directory standing for the disk of the instance in namespace `ns`. */
  diskOf(ns: string): string {
    return path.join(this.dir, `disk-${ns.slice(this.prefix.length)}`);
  }

  /** A file the instance wrote (under /etc or /usr/local/sbin), from its disk; undefined if it has none. */
  instanceFile(ns: string, file: string): string | undefined {
    const p = path.join(this.diskOf(ns), file);
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  }

  /**
   * Runs argv as if on the instance in namespace `ns` (see INSTANCE_WRAPPER):
   * its network namespace, a private /etc holding what it wrote before, fake
   * systemctl and power commands.
   */
  instanceExec(ns: string, argv: readonly string[], timeoutMs = 30000): InstanceRun {
    const disk = this.diskOf(ns);
    const stage = `${disk}.private`;
    const log = `${disk}.systemctl.log`;
    mkdirSync(stage, { recursive: true });
    writeFileSync(log, '');
    writeFileSync(`${log}.state`, '');
    const r = run(
      [
        'ip',
        'netns',
        'exec',
        ns,
        'unshare',
        '--mount',
        '--propagation',
        'private',
        path.join(this.dir, 'instance.sh'),
        disk,
        stage,
        path.join(this.dir, 'fakebin'),
        ...argv,
      ],
      {
        timeoutMs,
        env: {
          ...process.env,
          DXPL_SYSTEMCTL_LOG: log,
          DXPL_S3_ENDPOINT: `${ADDR.client}:${ADDR.s3Port}`,
          DXPL_AWS_REACHABLE: this.reachable.join('\n'),
        },
      },
    );
    const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
    return { ...r, systemctl: lines(log), written: lines(`${disk}.written`), unitStates: lines(`${log}.state`) };
  }

  /**
   * Runs a boot script (user data) on the instance in namespace `ns` the way
   * cloud-init runs a `#!` script: once, on the first boot of a fresh disk.
   */
  runUserData(ns: string, script: string, name = 'user-data.sh'): InstanceRun {
    rmSync(this.diskOf(ns), { recursive: true, force: true });
    const file = path.join(this.dir, `${ns.slice(this.prefix.length)}-${name}`);
    writeFileSync(file, script, { mode: 0o755 });
    return this.instanceExec(ns, [file]);
  }

  /** Removes every namespace, process and file this lab created. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    liveLabs.delete(this);
    for (const agent of this.agents.values()) agent.stop();
    for (const ns of this.created.reverse()) deleteNamespace(ns);
    if (!process.env.DXPL_KEEP_TEST_WORK) rmSync(this.dir, { recursive: true, force: true });
    this.watchdog.stdin?.end('done\n');
  }
}
