import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { EXAMPLE_CONFIG, parseConfig } from '../config/load';
import { configSchema } from '../config/schema';

// Issue 20, finding 6: config/example.yaml is the config reference, so it
// shows every key the schema has, and nothing the schema does not. Optional
// keys and alternatives are "#:" lines there; with the "#: " taken out the
// file must still be structurally valid (types, no unknown keys).

const text = readFileSync(EXAMPLE_CONFIG, 'utf8');

/** The example with every "#:" line turned into a key (the marker sits at the key's column). */
export function everyKey(source: string): string {
  return source.replace(/^(\s*)#: ?/gm, '$1');
}

/** Key paths of a schema: `a.b`, `a[].c` for list items, `a.*` for a map's entries. */
function schemaPaths(node: z.ZodType, at = ''): string[] {
  while (node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType;
  if (node instanceof z.ZodObject) {
    return Object.entries(node.shape as Record<string, z.ZodType>).flatMap(([k, v]) => {
      const p = at ? `${at}.${k}` : k;
      return [p, ...schemaPaths(v, p)];
    });
  }
  if (node instanceof z.ZodArray) return schemaPaths(node.element as z.ZodType, `${at}[]`);
  if (node instanceof z.ZodRecord) return [`${at}.*`];
  return [];
}

/** Key paths of a parsed document, in the same notation (a map the schema calls a record collapses to `.*`). */
function documentPaths(value: unknown, records: Set<string>, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => documentPaths(v, records, `${at}[]`));
  if (value === null || typeof value !== 'object') return [];
  if (records.has(`${at}.*`)) return [`${at}.*`];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = at ? `${at}.${k}` : k;
    return [p, ...documentPaths(v, records, p)];
  });
}

describe('config/example.yaml is the complete reference', () => {
  const schema = [...new Set(schemaPaths(configSchema))].sort();
  const records = new Set(schema.filter((p) => p.endsWith('.*')));
  const full = parse(everyKey(text));

  test('with its "#:" lines, it has every key of the schema and no other', () => {
    const shown = [...new Set(documentPaths(full, records))].sort();
    expect({ missing: schema.filter((p) => !shown.includes(p)), unknown: shown.filter((p) => !schema.includes(p)) }).toEqual({
      missing: [],
      unknown: [],
    });
    expect(schema.length).toBeGreaterThan(90);
  });

  test('every key it shows has the right type (the schema parses it)', () => {
    const parsed = configSchema.safeParse(full);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  test('as written (without the "#:" lines) it is a valid config', () => {
    expect(parseConfig(text, EXAMPLE_CONFIG).name).toBe('fix-gw');
  });

  test('the check catches a key missing from the example and a stale one', () => {
    // GIVEN the example without one key, and with one key the schema lost
    const without = everyKey(text).replace(/^\s*#?:? ?role_arn: arn:aws:iam::111111111111:role\/terraform-state.*\n/m, '');
    expect(without).not.toBe(everyKey(text));
    const stale = everyKey(text).replace('  retention_days: 30\n', '  retention_days: 30\n  retention_class: standard\n');
    // THEN each shows up
    expect(documentPaths(parse(without), records)).not.toContain('state.s3.role_arn');
    expect(schema).toContain('state.s3.role_arn');
    expect(documentPaths(parse(stale), records)).toContain('flow_logs.retention_class');
    expect(schema).not.toContain('flow_logs.retention_class');
  });
});
