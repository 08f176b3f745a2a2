/**
 * Brings the build in dist/ up to date, synthesizes the bundled example
 * once and runs real `terraform init`, `validate` and `plan` on every stack,
 * in parallel, before any test file.
 * Failures are recorded per stack and rethrown by the tests that need them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default async function globalSetup(): Promise<void> {
  const work = process.env.DXPL_TEST_WORK ?? mkdtempSync(path.join(os.tmpdir(), 'dxpl-test-'));
  process.env.DXPL_TEST_WORK = work;
  const root = path.resolve(__dirname, '..', '..');
  const out = path.join(work, 'example', 'cdktf.out');
  const plans = path.join(work, 'example', 'plans');
  mkdirSync(plans, { recursive: true });
  // The build in dist/ current before any worker starts: the package and
  // cdktn tests read it, and nothing rebuilds it under them.
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'fresh-build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build failed (scripts/fresh-build.mjs exited ${build.status})`);
  // The worker does the synth and the Terraform runs in a child process so
  // this process stays small; it writes <stack>.json or <stack>.error.
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'plan-example.ts'), out, plans], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else {
        writeFileSync(path.join(plans, 'setup.error'), `plan-example.ts exited with ${code}`);
        resolve();
      }
    });
  });
}
