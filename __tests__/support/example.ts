/**
 * The example config synthesized and planned once per test run (by
 * global-setup.ts), shared by every test file that asserts on it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Deployed, readDeployed } from './applied-state';
import { Plan, readPlan } from './terraform';

export function workDir(): string {
  const dir = process.env.DXPL_TEST_WORK;
  if (!dir) throw new Error('DXPL_TEST_WORK is not set: run the tests through jest (global-setup.ts)');
  return dir;
}

/** cdktf.out of the example config. */
export function exampleOut(): string {
  return path.join(workDir(), 'example', 'cdktf.out');
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

/** The real `terraform plan` of one example stack; rethrows what global setup hit. */
export function examplePlan(stack: string): Plan {
  return readPlan(path.join(workDir(), 'example', 'plans', stack));
}

/** The example's provider stack as its first apply would leave it (global setup, applied-state.ts). */
export function exampleDeployed(): Deployed {
  const base = path.join(workDir(), 'example', 'plans', 'provider.deployed');
  if (existsSync(`${base}.error`)) throw new Error(readFileSync(`${base}.error`, 'utf8'));
  return readDeployed(`${base}.json`);
}
