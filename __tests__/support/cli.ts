import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the installed command as users do: `node dist/main.js ...` (the
 * package's bin; global-setup.ts brings dist/ up to date before any test).
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd: string = ROOT, timeoutMs = 60000): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js'), ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the main job in this process (no Node start-up, no tsx), from `cwd`,
 * capturing what it prints. Same exit codes and output as the CLI.
 */
export function runMain(args: readonly string[], cwd: string = ROOT): CliResult {
  // Loaded lazily: most test files never need the app.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main, CHECKOUT } = require('../../main') as typeof import('../../main');
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${a.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(`${a.join(' ')}\n`));
  const before = process.cwd();
  try {
    process.chdir(cwd);
    const status = main(args, CHECKOUT);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(before);
    log.mockRestore();
    error.mockRestore();
  }
}
