/**
 * Brings the build in dist/ up to date and synthesizes the bundled example
 * (and its day-2 changes) once, before any test file. The example's
 * Terraform plans and applied state are built on first use (example.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default async function globalSetup(): Promise<void> {
  const work = process.env.DXPL_TEST_WORK ?? mkdtempSync(path.join(os.tmpdir(), 'dxpl-test-'));
  process.env.DXPL_TEST_WORK = work;
  const root = path.resolve(__dirname, '..', '..');
  const example = path.join(work, 'example');
  mkdirSync(example, { recursive: true });
  // The build in dist/ current before any worker starts: the package and
  // cdktn tests read it, and nothing rebuilds it under them.
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'fresh-build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build failed (scripts/fresh-build.mjs exited ${build.status})`);
  // In a child process, so this one stays small.
  const synth = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'plan-example.ts'), 'synth', example], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (synth.status !== 0) throw new Error(`the example did not synthesize (plan-example.ts synth exited ${synth.status})`);
}
