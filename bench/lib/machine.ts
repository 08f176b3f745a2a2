/** A description of the machine and tool versions, for the results file. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Machine {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly kernel: string;
  readonly node: string;
  readonly npm: string;
  readonly terraform: string;
  readonly packages: Record<string, string>;
}

export function describeMachine(root: string): Machine {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGb: os.totalmem() / 1024 ** 3,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    npm: firstLine('npm', ['--version']),
    terraform: firstLine('terraform', ['version']),
    packages: Object.fromEntries(
      ['cdktf', 'cdktf-cli', '@cdktf/provider-aws', 'tsx', 'typescript', 'jest'].map((p) => [p, packageVersion(root, p)]),
    ),
  };
}

/** The 1-, 5- and 15-minute load averages, e.g. "1.02 0.80 0.51". */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function firstLine(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : 'not found';
}

function packageVersion(root: string, name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'not installed';
  }
}
