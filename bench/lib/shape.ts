/** What the floor (bench/floor.ts) must build: the resource counts of a synthesized output. */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Resource counts per Terraform type (data sources as `data.<type>`), per stack. */
export type Shape = Record<string, Record<string, number>>;

interface StackJson {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
}

/** The resource and data-source counts of every stack in a synthesized cdktf output directory. */
export function shapeOf(outdir: string): Shape {
  const stacksDir = path.join(outdir, 'stacks');
  const shape: Shape = {};
  for (const stack of readdirSync(stacksDir).sort()) {
    const json = JSON.parse(readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as StackJson;
    const counts: Record<string, number> = {};
    for (const [type, blocks] of Object.entries(json.resource ?? {})) counts[type] = Object.keys(blocks).length;
    for (const [type, blocks] of Object.entries(json.data ?? {})) counts[`data.${type}`] = Object.keys(blocks).length;
    shape[stack] = counts;
  }
  return shape;
}

/** Total resource blocks (data sources included) of a shape. */
export function resourceCount(shape: Shape): number {
  return Object.values(shape).reduce((sum, counts) => sum + Object.values(counts).reduce((a, b) => a + b, 0), 0);
}

/** Provider resource modules (`@cdktf/provider-aws/lib/<name>`) that the given TypeScript files import. */
export function providerModulesImported(files: readonly string[]): Set<string> {
  const modules = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/from '@cdktf\/provider-aws\/lib\/([a-z0-9-]+)'/g)) modules.add(m[1]);
  }
  return modules;
}
