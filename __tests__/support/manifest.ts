/**
 * The cdktf manifest (`<out>/manifest.json`): the stacks of an output and
 * what each depends on, which is the order `cdktf deploy '*'` deploys in.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Stack name -> the stacks it depends on, as the cdktf CLI reads them. */
export function stackDependencies(out: string): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { dependencies: string[] }>;
  };
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
}

/** What the manifest must say for these stacks: the provider first (no dependency), every consumer after it. */
export function providerFirst(stacks: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(stacks.map((s) => [s, s === 'provider' ? [] : ['provider']]));
}
