/**
 * Runs one command and measures its wall time, CPU time and peak memory.
 *
 * Memory is measured two ways, because they answer different questions:
 * - `maxRssMb`: GNU time's `%M`, the kernel's `ru_maxrss` for the waited-for
 *   process tree. Exact, but it is the peak of the *largest single process*
 *   in the tree, not of the tree's sum.
 * - `treeRssMb`: the peak of the *sum* of VmRSS over the whole process tree,
 *   sampled from /proc every `sampleMs`. It catches trees of several node
 *   processes (npx → cdktf CLI → tsx → app) but may miss a short spike.
 * `peakMb` is the larger of the two.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  readonly wallMs: number;
  /** User + system CPU time of the whole tree (from GNU time), when available. */
  readonly cpuMs?: number;
  readonly maxRssMb?: number;
  readonly treeRssMb: number;
  readonly peakMb: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Directory for GNU time's figures. */
  readonly scratch: string;
  /** The command and its output are written here (the last run wins). */
  readonly log: string;
  /** Interval of the /proc sampler. @default 20 */
  readonly sampleMs?: number;
  /** Give up after this long (the tree is killed). @default 15 minutes */
  readonly timeoutMs?: number;
}

/** True when GNU time (Debian package `time`) is installed. */
export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export function memoryMethod(): string {
  return hasGnuTime()
    ? '`/usr/bin/time -f %M` (peak RSS of the largest process in the tree) and the peak of the summed RSS of every process in the tree, sampled from /proc every 20 ms; "peak" is the larger of the two'
    : 'the peak of the summed RSS of every process in the tree, sampled from /proc every 20 ms (GNU time is not installed: `apt-get install time` adds the exact per-process peak)';
}

/** Runs `command args` to completion and measures it. Never throws for a non-zero exit. */
export async function measure(command: string, args: readonly string[], options: RunOptions): Promise<Measurement> {
  mkdirSync(options.scratch, { recursive: true });
  const timeFile = path.join(options.scratch, `time-${process.pid}.txt`);
  rmSync(timeFile, { force: true });
  const wrapped = hasGnuTime();
  const [file, argv] = wrapped ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, command, ...args]] : [command, [...args]];

  const started = performance.now();
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a timeout can kill the whole tree
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => stdout.push(b));
  child.stderr.on('data', (b: Buffer) => stderr.push(b));

  let treePeakKb = 0;
  const sample = () => {
    if (child.pid === undefined) return;
    // Under GNU time the wrapper itself is left out: only what it runs counts.
    const pids = descendants(child.pid);
    const counted = wrapped ? pids : [child.pid, ...pids];
    const total = counted.reduce((sum, pid) => sum + rssKb(pid), 0);
    if (total > treePeakKb) treePeakKb = total;
  };
  const sampler = setInterval(sample, options.sampleMs ?? 20);
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);

  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  clearTimeout(timer);

  const out = Buffer.concat(stdout).toString('utf8');
  const err = Buffer.concat(stderr).toString('utf8');
  mkdirSync(path.dirname(options.log), { recursive: true });
  writeFileSync(options.log, `$ ${command} ${args.join(' ')}\n(exit ${exitCode})\n--- stdout\n${out}\n--- stderr\n${err}\n`);

  let cpuMs: number | undefined;
  let maxRssMb: number | undefined;
  if (wrapped && existsSync(timeFile)) {
    // On a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, system, maxKb] = last.split(' ').map(Number);
    if ([user, system, maxKb].every(Number.isFinite)) {
      cpuMs = (user + system) * 1000;
      maxRssMb = maxKb / 1024;
    }
    rmSync(timeFile, { force: true });
  }
  const treeRssMb = treePeakKb / 1024;
  return {
    wallMs,
    cpuMs,
    maxRssMb,
    treeRssMb,
    peakMb: Math.max(treeRssMb, maxRssMb ?? 0),
    exitCode,
    stdout: out,
    stderr: err,
  };
}

/** Every descendant of `root`, from the kernel's per-task children lists (or a scan of /proc). */
export function descendants(root: number): number[] {
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const child of childrenOf(pid)) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Kernels built with CONFIG_PROC_CHILDREN list each task's children; otherwise scan /proc. */
const HAS_CHILDREN_FILE = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

function childrenOf(pid: number): number[] {
  if (!HAS_CHILDREN_FILE) return scanChildren(pid);
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return []; // exited meanwhile
  }
}

/** Fallback without CONFIG_PROC_CHILDREN: every process whose parent is `pid`. */
function scanChildren(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) kids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return kids;
}

function rssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
