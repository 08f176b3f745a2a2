/**
 * The host side of the namespace labs: running commands, whether this
 * machine can run the labs at all, and removing what a lab (or a dead
 * earlier run) left behind.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const NETNS_PREFIX = 'dxpl-';

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

export function deleteNamespace(ns: string): void {
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

export function startWatchdog(prefix: string, dir: string): ChildProcess {
  const child = spawn('bash', ['-c', WATCHDOG, 'dxpl-netns-watchdog', prefix, dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  return child;
}
