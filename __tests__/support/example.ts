/**
 * The example config, synthesized once per test run (global-setup.ts), and
 * its real Terraform plans and applied state, built on first use and shared
 * (shared-fixture.ts): a test file that never asks for a plan costs none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Deployed, readDeployed } from './applied-state';
import { fixtureKey, sharedFixture } from './shared-fixture';
import { Plan, providerMirror, readPlan } from './terraform';

/** Time for a hook that builds a shared fixture on first use (terraform plans, an offline apply) on a loaded machine. */
export const FIXTURE_TIMEOUT = 600000;

export function workDir(): string {
  const dir = process.env.DXPL_TEST_WORK;
  if (!dir) throw new Error('DXPL_TEST_WORK is not set: run the tests through jest (global-setup.ts)');
  return dir;
}

function exampleDir(): string {
  return path.join(workDir(), 'example');
}

/** cdktf.out of the example config. */
export function exampleOut(): string {
  return path.join(exampleDir(), 'cdktf.out');
}

export function exampleStackDir(stack: string): string {
  return path.join(exampleOut(), 'stacks', stack);
}

export function exampleStacks(): string[] {
  return readdirSync(path.join(exampleOut(), 'stacks')).sort();
}

export function exampleStackJson(stack: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(exampleStackDir(stack), 'cdk.tf.json'), 'utf8'));
}

/** The support code whose change changes a plan or a state: part of every fixture's key. */
const PLANNING_CODE = [
  'plan-example.ts',
  'plan-stack.ts',
  'terraform.ts',
  'fake-aws.ts',
  'fake-aws-server.ts',
  'fake-values.ts',
  'state.ts',
  'state-v4.ts',
  'applied-state.ts',
  'day2.ts',
].map((f) => ({ path: path.join(__dirname, f) }));

let toolVersions: string | undefined;
/** terraform's version and the provider mirror's contents, once per worker. */
function tools(): string {
  if (toolVersions === undefined) {
    const tf = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' }).stdout ?? '';
    const mirror = providerMirror();
    const aws = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
    toolVersions = `${tf}\n${mirror}\n${readdirSync(aws).sort().join(',')}`;
  }
  return toolVersions;
}

/** Runs one step of plan-example.ts; its failure is recorded in `dest` for the readers. */
function step(dest: string, args: string[]): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'plan-example.ts'), ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) writeFileSync(path.join(dest, 'step.error'), `plan-example.ts ${args[0]} exited with ${r.status ?? r.signal}`);
}

function checked(dir: string): string {
  const error = path.join(dir, 'step.error');
  if (existsSync(error)) throw new Error(readFileSync(error, 'utf8'));
  return dir;
}

/**
 * `find()` once per worker: the synthesized inputs do not change during a
 * run, so the key (a hash of the stacks and the planning code) is computed
 * once, not at every examplePlan() call. A failure is not kept.
 */
function once(find: () => string): () => string {
  let dir: string | undefined;
  return () => (dir ??= find());
}

const examplePlansDir = once(() => {
  const key = fixtureKey([{ path: path.join(exampleOut(), 'stacks') }, ...PLANNING_CODE, tools()]);
  return checked(sharedFixture('example-plans', key, workDir(), (dir) => step(dir, ['example-plans', exampleOut(), dir])));
});

const day2PlansDir = once(() => {
  const outs = readdirSync(exampleDir())
    .filter((f) => f.endsWith('.out') && f !== 'cdktf.out')
    .sort()
    .map((f) => ({ path: path.join(exampleDir(), f, 'stacks', 'provider') }));
  const key = fixtureKey([...outs, ...PLANNING_CODE, tools()]);
  return checked(sharedFixture('day2-plans', key, workDir(), (d) => step(d, ['day2-plans', exampleDir(), d])));
});

const exampleDeployedDir = once(() => {
  const plans = examplePlansDir();
  const key = fixtureKey([path.basename(plans), ...PLANNING_CODE]);
  return checked(
    sharedFixture('example-deployed', key, workDir(), (d) =>
      step(d, ['deployed', exampleStackDir('provider'), path.join(plans, 'provider'), d]),
    ),
  );
});

/** The real `terraform plan` of one example stack (built on first use). */
export function examplePlan(stack: string): Plan {
  return readPlan(path.join(examplePlansDir(), stack));
}

/** The provider plan of a day-2 change (support/day2.ts): by default the forward change. */
export function day2Plan(change: 'day2' | 'retagged' | 'resized' = 'day2'): Plan {
  return readPlan(path.join(day2PlansDir(), `${change}-provider`));
}

/** The example's provider stack as its first apply would leave it (applied-state.ts), built on first use. */
export function exampleDeployed(): Deployed {
  const base = path.join(exampleDeployedDir(), 'provider.deployed');
  if (existsSync(`${base}.error`)) throw new Error(readFileSync(`${base}.error`, 'utf8'));
  return readDeployed(`${base}.json`);
}
