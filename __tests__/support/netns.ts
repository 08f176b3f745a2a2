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
 * unit's ExecStart/ExecReload/ExecStop line exactly as written in the unit file.
 *
 * Interfaces are created directly inside the namespaces, never in the host's.
 * Everything is removed by destroy() (afterAll), by a process exit handler,
 * by a watchdog process when the harness dies without either (SIGKILL, Ctrl-C),
 * and, should all that fail, by the next run (namespaces whose pid is gone).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { AgentRequest, Greeting } from './netns-agent';

export type { Greeting } from './netns-agent';

export const NETNS_PREFIX = 'dxpl-';
const ROOT = path.resolve(__dirname, '..', '..');
const AGENT = path.join(__dirname, 'netns-agent.ts');

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

// ---------------------------------------------------------------- processes

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command, bounded by timeoutMs; never throws on a non-zero exit. */
export function run(argv: readonly string[], opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 15000,
    killSignal: 'SIGKILL',
    input: opts.input,
    env: opts.env ?? process.env,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  const timedOut = r.error !== undefined || r.signal === 'SIGKILL';
  return {
    status: r.status ?? (timedOut ? 124 : 128),
    stdout: r.stdout ?? '',
    stderr: `${r.stderr ?? ''}${timedOut ? `\n[killed after ${opts.timeoutMs ?? 15000} ms]` : ''}`,
  };
}

/** Runs a command and throws with its output when it fails. */
export function runOk(argv: readonly string[], opts: { timeoutMs?: number; input?: string } = {}): string {
  const r = run(argv, opts);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

// ------------------------------------------------------------ prerequisites

/** Why the namespace lab cannot run here, or undefined when it can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `this is ${process.platform}, not Linux`;
  if (process.getuid?.() !== 0) return `not running as root (uid ${process.getuid?.()})`;
  for (const [tool, pkg] of [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
    ['unshare', 'util-linux'],
    ['sysctl', 'procps'],
  ] as const) {
    if (run(['sh', '-c', `command -v ${tool}`]).status !== 0) return `\`${tool}\` is not installed (Debian package ${pkg})`;
  }
  const probe = `${NETNS_PREFIX}${process.pid}-probe`;
  const add = run(['ip', 'netns', 'add', probe]);
  if (add.status !== 0) return `\`ip netns add\` failed: ${add.stderr.trim()}`;
  try {
    const nft = run(['ip', 'netns', 'exec', probe, 'nft', 'add', 'table', 'ip', 'dxpl_probe']);
    if (nft.status !== 0) return `nftables does not work in a network namespace: ${nft.stderr.trim()}`;
    const mnt = run([
      'ip',
      'netns',
      'exec',
      probe,
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'mount',
      '-t',
      'tmpfs',
      'dxpl-probe',
      '/mnt',
    ]);
    if (mnt.status !== 0) return `\`unshare --mount\` + tmpfs mount failed: ${mnt.stderr.trim()}`;
  } finally {
    run(['ip', 'netns', 'del', probe]);
  }
  return undefined;
}

/** True when the caller asked to skip the namespace tests (DXPL_SKIP_NETNS=1). */
export const SKIP_NETNS = process.env.DXPL_SKIP_NETNS === '1';

/** Throws a clear error when the lab cannot run. */
export function assertNetnsUsable(): void {
  const reason = netnsUnavailableReason();
  if (reason) {
    throw new Error(
      `the NAT data-path tests need root, iproute2 (ip netns), nftables, util-linux (unshare) and procps: ${reason}. ` +
        'Run them as root (CI does), or set DXPL_SKIP_NETNS=1 to skip them knowingly.',
    );
  }
}

// ----------------------------------------------------------------- cleanup

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function deleteNamespace(ns: string): void {
  // Processes still inside (agents, a hung script) were started by this
  // harness, in this run or a crashed earlier one: end them by pid.
  for (const pid of run(['ip', 'netns', 'pids', ns]).stdout.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  run(['ip', 'netns', 'del', ns]);
}

/** Removes namespaces and work directories a dead earlier run left behind. */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  const listed = run(['ip', 'netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(' ')[0]);
  for (const ns of listed) {
    const m = new RegExp(`^${NETNS_PREFIX}(\\d+)-`).exec(ns);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !pidAlive(pid)) {
      deleteNamespace(ns);
      removed.push(ns);
    }
  }
  for (const dir of readdirSync(os.tmpdir())) {
    const m = /^dxpl-netns-(\d+)-/.exec(dir);
    if (m && (Number(m[1]) === process.pid || !pidAlive(Number(m[1])))) {
      rmSync(path.join(os.tmpdir(), dir), { recursive: true, force: true });
    }
  }
  return removed;
}

const liveLabs = new Set<NetnsLab>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.destroy();
  });
}

/**
 * Removes the lab's namespaces and directory when the harness process dies
 * without destroy() (SIGKILL, a signal jest handles itself, a crash): it waits
 * on a pipe from the harness and acts when the pipe closes without "done".
 * It runs in its own session, so a Ctrl-C to the test run does not reach it.
 */
const WATCHDOG = `
prefix=$1 dir=$2
IFS= read -r line
[ "$line" = done ] && exit 0
for ns in $(ip netns list | awk '{print $1}'); do
  case $ns in "$prefix"*) ;; *) continue ;; esac
  for pid in $(ip netns pids "$ns"); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$ns"
done
rm -rf -- "$dir"
`;

function startWatchdog(prefix: string, dir: string): ChildProcess {
  const child = spawn('bash', ['-c', WATCHDOG, 'dxpl-netns-watchdog', prefix, dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  return child;
}

// ------------------------------------------------------------------ agents

export type ProbeResult = { ok: true; greeting: Greeting } | { ok: false; error: string };
export type ConnectResult = { ok: true; conn: number; greeting: Greeting } | { ok: false; error: string };

/** The TCP agent of one namespace (netns-agent.ts). */
export class Agent {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Record<string, any>) => void>();
  private readonly ready: Promise<void>;

  constructor(
    readonly ns: string,
    private readonly child: ChildProcess,
  ) {
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent in ${ns} did not start within 15 s: ${stderr}`)), 15000);
      this.pending.set(0, () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`agent in ${ns} exited (${code}): ${stderr}`));
        for (const [, done] of this.pending) done({ ok: false, error: `agent exited: ${stderr}` });
        this.pending.clear();
      });
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const { id, ...reply } = JSON.parse(line) as { id: number };
      this.pending.get(id)?.(reply);
      this.pending.delete(id);
    });
  }

  static start(ns: string): Agent {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', AGENT], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new Agent(ns, child);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  request(req: AgentRequest): Promise<Record<string, any>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ id, ...req })}\n`);
    });
  }

  async listen(host: string, port: number, mode: 'echo' | 'sink' = 'echo'): Promise<void> {
    const r = await this.request({ op: 'listen', host, port, label: `${host}:${port}`, mode });
    if (!r.ok) throw new Error(`cannot listen on ${host}:${port} in ${this.ns}: ${r.error}`);
  }

  /** Connects, reads the greeting and closes. */
  probe(host: string, port: number, timeoutMs = 3000, localAddress?: string): Promise<ProbeResult> {
    return this.request({ op: 'probe', host, port, timeoutMs, localAddress }) as Promise<ProbeResult>;
  }

  /** Connects and keeps the connection open for send(). */
  connect(host: string, port: number, timeoutMs = 3000): Promise<ConnectResult> {
    return this.request({ op: 'connect', host, port, timeoutMs }) as Promise<ConnectResult>;
  }

  /** Sends data over an open connection and returns what the server echoed. */
  async send(conn: number, data: string, timeoutMs = 3000): Promise<{ ok: boolean; echoed?: string; error?: string }> {
    return this.request({ op: 'send', conn, data, timeoutMs }) as Promise<{ ok: boolean; echoed?: string; error?: string }>;
  }

  async close(conn: number): Promise<void> {
    await this.request({ op: 'close', conn });
  }

  /** Connections this agent's listeners accepted since the last call. */
  async accepted(): Promise<{ label: string; from: string }[]> {
    return (await this.request({ op: 'accepted' })).accepted as { label: string; from: string }[];
  }

  async latency(host: string, port: number, count: number, timeoutMs = 3000): Promise<number[]> {
    const r = await this.request({ op: 'latency', host, port, count, timeoutMs });
    if (!r.ok) throw new Error(`latency to ${host}:${port} from ${this.ns}: ${r.error}`);
    return r.times as number[];
  }

  /** Round trips (ms) of `size`-byte messages over one established connection. */
  async rtt(host: string, port: number, count: number, size: number, timeoutMs = 3000): Promise<number[]> {
    const r = await this.request({ op: 'rtt', host, port, count, size, timeoutMs });
    if (!r.ok) throw new Error(`rtt to ${host}:${port} from ${this.ns}: ${r.error}`);
    return r.times as number[];
  }

  async throughput(host: string, port: number, seconds: number, timeoutMs = 10000): Promise<{ bytes: number; ms: number }> {
    const r = await this.request({ op: 'throughput', host, port, seconds, timeoutMs });
    if (!r.ok) throw new Error(`throughput to ${host}:${port} from ${this.ns}: ${r.error}`);
    return { bytes: r.bytes as number, ms: r.ms as number };
  }

  async http(host: string, port: number): Promise<void> {
    const r = await this.request({ op: 'http', host, port });
    if (!r.ok) throw new Error(`cannot serve HTTP on ${host}:${port} in ${this.ns}: ${r.error}`);
  }

  /** Sets (or, with null, removes) what the HTTP server on `port` answers at `path`. */
  async httpSet(port: number, path: string, body: string | null): Promise<void> {
    const r = await this.request({ op: 'httpSet', port, path, body });
    if (!r.ok) throw new Error(`httpSet ${path} in ${this.ns}: ${r.error}`);
  }

  async httpStop(port: number): Promise<void> {
    await this.request({ op: 'httpStop', port });
  }

  /** Requests the HTTP servers answered since the last call. */
  async httpLog(): Promise<string[]> {
    return (await this.request({ op: 'httpLog' })).log as string[];
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.pid) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

// -------------------------------------------------------- systemd unit text

/**
 * The command lines of `key` (ExecStart, ExecReload, ExecStop) in a unit file,
 * split as systemd splits them. Only the plain form is accepted (absolute
 * path, no quotes, `$`, `%`, backslashes or `-@:+!` prefixes): anything else
 * throws, so a unit this cannot run faithfully is never run approximately.
 */
export function unitExecLines(unitText: string, key: 'ExecStart' | 'ExecReload' | 'ExecStop'): string[][] {
  const lines: string[][] = [];
  let section = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    if (section !== '[Service]' || !line.startsWith(`${key}=`)) continue;
    const value = line.slice(key.length + 1).trim();
    if (/["'\\$%]/.test(value) || /^[-@:+!]/.test(value)) throw new Error(`unsupported ${key} syntax: ${value}`);
    const argv = value.split(/\s+/);
    if (!argv[0].startsWith('/')) throw new Error(`${key} must name an absolute path: ${value}`);
    lines.push(argv);
  }
  return lines;
}

/** The fake systemctl: records its arguments; start/restart/reload/stop run the unit's Exec lines as written. */
const FAKE_SYSTEMCTL = `#!/bin/bash
# Fake systemctl for the dx-privatelink namespace tests: never touches the host.
set -uo pipefail
echo "systemctl $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
args=()
for a in "$@"; do case $a in -*) ;; *) args+=("$a") ;; esac; done
verb=\${args[0]:-}
case $verb in
  start | restart | reload | stop)
    case $verb in start | restart) key=ExecStart ;; reload) key=ExecReload ;; stop) key=ExecStop ;; esac
    # What the unit found: was forwarding already on when its rules were loaded?
    echo "$verb \${args[1]} ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)" >>"\${DXPL_SYSTEMCTL_LOG}.state"
    unit=/etc/systemd/system/\${args[1]:?unit name}
    [ -f "$unit" ] || { echo "fake systemctl: $unit not found" >&2; exit 5; }
    mapfile -t lines < <(sed -n '/^\\[Service\\]/,/^\\[/{s/^[[:space:]]*'"$key"'=//p}' "$unit")
    [ "\${#lines[@]}" -gt 0 ] || { echo "fake systemctl: no $key= in $unit" >&2; exit 1; }
    for line in "\${lines[@]}"; do
      case $line in
        *[\\"\\'\\\\$%]* | [-@:+!]*) echo "fake systemctl: unsupported $key syntax: $line" >&2; exit 1 ;;
        /*) ;;
        *) echo "fake systemctl: $key must name an absolute path: $line" >&2; exit 1 ;;
      esac
      read -ra cmd <<<"$line"
      "\${cmd[@]}" || { echo "fake systemctl: $key failed: $line" >&2; exit 1; }
    done
    ;;
esac
exit 0
`;

const FAKE_POWER = `#!/bin/bash
# Fake power command for the dx-privatelink namespace tests: records, never acts.
echo "$(basename "$0") $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
exit 0
`;

/**
 * The fake AWS CLI: `s3api get-object` fetches over the lab network from the
 * S3 stand-in (an HTTP server on the VPC side, as the S3 gateway endpoint is
 * reached through the VPC route table) and fails like the CLI when it cannot;
 * `autoscaling complete-lifecycle-action` is recorded. Everything is logged.
 */
const FAKE_AWS = `#!/bin/bash
# Fake AWS CLI for the dx-privatelink namespace tests: S3 from the lab's stand-in.
echo "aws $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
case "$1 $2" in
  "s3api get-object")
    shift 2
    bucket= key= out=
    while [ $# -gt 0 ]; do
      case $1 in
        --bucket) bucket=$2; shift 2 ;;
        --key) key=$2; shift 2 ;;
        --region) shift 2 ;;
        -*) echo "fake aws: unsupported option $1" >&2; exit 2 ;;
        *) out=$1; shift ;;
      esac
    done
    [ -n "$bucket" ] && [ -n "$key" ] && [ -n "$out" ] || { echo "fake aws: get-object needs --bucket, --key and an outfile" >&2; exit 2; }
    curl -fsS -m 5 -o "$out" "http://\${DXPL_S3_ENDPOINT:?}/$bucket/$key" || { echo "fake aws: could not fetch s3://$bucket/$key" >&2; exit 255; }
    echo '{"ContentType": "text/plain"}'
    ;;
  "autoscaling complete-lifecycle-action") ;;
  *) echo "fake aws: unsupported: $*" >&2; exit 2 ;;
esac
`;

/** A sleep that does not: retry loops run at once (and are logged). */
const FAKE_SLEEP = `#!/bin/bash
echo "sleep $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
`;

/** What an instance writes outside /var: private copies in its namespace, kept on its "disk". */
export const INSTANCE_PRIVATE_DIRS = ['/etc', '/usr/local/sbin'] as const;

/**
 * Runs "$@" as if on the NAT instance whose disk is DISK: in a private mount
 * namespace (the caller runs this under `unshare --mount`), /etc and
 * /usr/local/sbin are tmpfs copies of the host's plus the instance's earlier
 * writes, every file the command writes there is copied back to DISK (and
 * listed in DISK.written), and power, systemctl, aws and sleep are fakes.
 */
const INSTANCE_WRAPPER = `#!/bin/bash
set -euo pipefail
disk=$1 stage=$2 fakebin=$3
shift 3
mount -t tmpfs -o mode=0755 dxpl-private "$stage"
for dir in ${INSTANCE_PRIVATE_DIRS.join(' ')}; do
  mkdir -p "$stage$dir" "$disk$dir"
  cp -a "$dir/." "$stage$dir/"
  cp -a "$disk$dir/." "$stage$dir/"
done
# Every file the command writes gets a newer mtime than this.
find "$stage" -exec touch -h -d @0 {} +
for dir in ${INSTANCE_PRIVATE_DIRS.join(' ')}; do
  mount --bind "$stage$dir" "$dir"
  [ "$(stat -f -c %T "$dir")" = tmpfs ] || { echo "instance wrapper: private $dir is not in place" >&2; exit 97; }
done
# Only this namespace's own net.* keys may change; the rest of /proc/sys is global.
mount --bind /proc/sys /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,ro /proc/sys
# Never a real systemctl or power command, not even by absolute path.
systemctl_real=
for tool in systemctl poweroff shutdown reboot halt; do
  real=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v "$tool" || true)
  [ -n "$real" ] || continue
  real=$(readlink -f "$real")
  if [ "$tool" = systemctl ]; then systemctl_real=$real; elif [ "$real" = "$systemctl_real" ]; then continue; fi
  mount --bind "$fakebin/$tool" "$real"
done
set +e
env -i PATH="$fakebin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" LANG=C.UTF-8 \\
  DXPL_SYSTEMCTL_LOG="\${DXPL_SYSTEMCTL_LOG:?}" DXPL_S3_ENDPOINT="\${DXPL_S3_ENDPOINT:-}" "$@"
status=$?
set -e
: >"$disk.written"
for dir in ${INSTANCE_PRIVATE_DIRS.join(' ')}; do
  (cd "$dir" && find . -newermt @1 \\( -type f -o -type l \\) | sed "s|^\\./|$dir/|" | sort) >>"$disk.written"
  (cd "$dir" && find . -newermt @1 \\( -type f -o -type l \\) -print0 | xargs -0 -r cp -a --parents -t "$disk$dir")
done
sort -o "$disk.written" "$disk.written"
exit "$status"
`;

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
      { timeoutMs, env: { ...process.env, DXPL_SYSTEMCTL_LOG: log, DXPL_S3_ENDPOINT: `${ADDR.client}:${ADDR.s3Port}` } },
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
