/**
 * The example config as a plain object, changed by a test and written back
 * as YAML: one place for "the example, except ...".
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../../config/load';

const EXAMPLE_TEXT = readFileSync(EXAMPLE_CONFIG, 'utf8');

/** A fresh copy of the example config. */
export function exampleObject(): Record<string, any> {
  return parse(EXAMPLE_TEXT) as Record<string, any>;
}

/** The example with `change` applied, as YAML text. */
export function exampleWith(change: (config: Record<string, any>) => void): string {
  const config = exampleObject();
  change(config);
  return stringify(config);
}

/** `n` forwards with public targets, listen ports from 10000, named f0, f1, ... */
export function manyForwards(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `f${i}`,
    listen_port: 10000 + i,
    target_ip: `203.0.113.${(i % 250) + 1}`,
    target_port: 20000 + i,
    ...extra(i),
  }));
}
