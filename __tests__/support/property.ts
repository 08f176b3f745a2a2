/**
 * The pieces of the property-based test of the main job (config-property.test.ts):
 * the mutations of the example config, the reading of a reported field
 * against the mutated config, and the scan of the synthesized JSON for
 * config values inside Terraform expressions.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { QUOTAS } from '../../constructs/private/quotas';

export const STRINGS = [
  '',
  ' ',
  'x'.repeat(300),
  '${file("/etc/hostname")}',
  '%{ for x in ["a"] }${x}%{ endfor }',
  'line\nbreak',
  '0.0.0.0/0',
  '0.0.0.0/1',
  '128.0.0.0/1',
  '192.0.2.10',
  '10.42.0.5',
  '127.0.0.1',
  '169.254.169.254',
  '172.20.5.15',
  'eu-west-21a',
  'eu-west-2c',
  'us-gov-west-1',
  'arn:aws-evil:iam::222222222222:role/x',
  'arn:aws:iam::222222222222:role/other',
  'amazonaws.com',
  'fix.internal',
  'dxvif-ffhhk74f',
  'vgw-0123456789abcdef0',
  'subnet-0123456789abcdef0',
  '../../etc/passwd',
  'Ümlaut ß',
  'c6i.large',
  't4g.nano',
  'static',
  'auto',
  'x86_64',
  '-1',
  '9001',
];
const NUMBERS = [
  0,
  -1,
  1,
  22,
  443,
  9001,
  9002,
  65535,
  65536,
  1.5,
  2 ** 53,
  4094,
  4095,
  64512,
  350,
  6000,
  6001,
  50,
  51,
  100,
  101,
  1500,
  8500,
];
const OTHERS: unknown[] = [null, true, false, [], {}, [1, 2], { a: 1 }, ['a', 'b']];
const POOL: unknown[] = [...STRINGS, ...NUMBERS, ...OTHERS];

type Config = Record<string, any>;

/**
 * Changes that only the synth can refuse (quotas counted on the built
 * stacks, the policy pack), their controls, and pins the loader refuses.
 */
export const SEMANTIC: readonly ((c: Config) => void)[] = [
  // Policy DXPL-MON1 (exit 3): endpoint services without alarms.
  (c) => (c.monitoring.alarms = false),
  // ... accepted with a suppression, which a later delete or edit removes.
  (c) => {
    c.monitoring.alarms = false;
    c.policy = { suppressions: [{ rule: 'DXPL-MON1', reason: 'sandbox account without alarms, NET-1234' }] };
  },
  // ... a suppression edited to another path or rule: the finding stands (exit 3).
  (c) => {
    c.monitoring.alarms = false;
    c.policy = { suppressions: [{ rule: 'DXPL-MON1', reason: 'sandbox account without alarms', resource: 'provider/no-such' }] };
  },
  (c) => {
    c.monitoring.alarms = false;
    c.policy = { suppressions: [{ rule: 'DXPL-SG2', reason: 'sandbox account without alarms' }] };
  },
  // Targets per NLB (exit 2 at synth): 3 NAT target groups × 200 instances while replacing.
  (c) => {
    c.nat_fleet.max_size = 100;
    c.forwards[2].target_ip = '203.0.113.7';
  },
  // Rules of a consumer's endpoint security group (exit 2 at synth) ...
  (c) => (c.consumers[0].allowed_cidrs = Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`)),
  // ... within a raised quota.
  (c) => {
    c.consumers[0].allowed_cidrs = Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`);
    c.quotas = { security_group_rules_per_direction: 100 };
  },
  // Pins and quotas the loader refuses (exit 2 at load).
  (c) => (c.forwards[0].shard = 2),
  (c) => (c.forwards[1].fleet = 3),
  (c) => (c.quotas = { targets_per_nlb: 400 }),
];

export type Op = {
  readonly path: number;
  readonly kind: 'replace' | 'delete' | 'rename' | 'duplicate' | 'extend' | 'semantic';
  readonly value: number;
};

/** Every path below the root (object keys and list indexes). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

export function apply(config: Config, op: Op): void {
  if (op.kind === 'semantic') {
    try {
      SEMANTIC[op.value % SEMANTIC.length](config);
    } catch {
      // an earlier op removed what this one changes: the config stays as it is
    }
    return;
  }
  const all = paths(config);
  if (all.length === 0) return;
  const at = all[op.path % all.length];
  const parent = at.slice(0, -1).reduce<any>((v, k) => v[k], config);
  const key = at[at.length - 1];
  const value = POOL[op.value % POOL.length];
  switch (op.kind) {
    case 'replace':
      parent[key] = structuredClone(value);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'rename':
      if (!Array.isArray(parent)) {
        parent[String(key).replace(/_/g, '-') + (String(key).includes('_') ? '' : 's')] = parent[key];
        delete parent[key];
      }
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      break;
    case 'extend':
      if (typeof parent[key] === 'string') parent[key] += STRINGS[op.value % STRINGS.length];
      break;
  }
}

/** Every string value below `value` (map keys too, with `keys`). */
export function strings(value: unknown, keys = true): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, keys));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [...(keys ? [k] : []), ...strings(v, keys)]);
  return [];
}

const SEGMENT = /^(?:([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/** The field an error line names first: `forwards[3].shard`, `tags["aws:x"]`; undefined when it names none. */
export function reportedField(text: string): (string | number)[] | undefined {
  const segments: (string | number)[] = [];
  let rest = text;
  for (;;) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string)));
    rest = rest.slice(m[0].length);
    if (rest.startsWith(': ')) return segments;
    if (rest.startsWith('.')) rest = rest.slice(1);
    else if (!rest.startsWith('[')) return undefined;
  }
}

/**
 * Paths a message may name although the file does not hold them: a quota
 * the built stacks exceed (the fix is to set it), by its key.
 */
export const ABSENT_FIELDS: readonly RegExp[] = [new RegExp(`^quotas\\.(${Object.keys(QUOTAS).join('|')})$`)];

/**
 * Why `field` (from an exit-2 line whose problem is `problem`) does not name
 * a place of `config`, or undefined when it does. Every segment but the last
 * must exist; the last too, unless the problem says it is required.
 */
export function unresolvedField(config: Config, field: (string | number)[], problem: string): string | undefined {
  const name = field
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .slice(1);
  if (ABSENT_FIELDS.some((re) => re.test(name))) return undefined;
  let node: unknown = config;
  for (const [i, segment] of field.entries()) {
    const last = i === field.length - 1;
    const has =
      typeof segment === 'number'
        ? Array.isArray(node) && segment < node.length
        : node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, segment);
    if (!has) return last && /^is required/.test(problem) ? undefined : `${name}: ${JSON.stringify(segment)} is not in the file`;
    node = (node as any)[segment];
  }
  return undefined;
}

/** Every cdk.tf.json below `dir`. */
export function stackFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) return stackFiles(p);
    return entry === 'cdk.tf.json' ? [p] : [];
  });
}

/**
 * The code of every Terraform template expression in `text` (after an
 * unescaped `${` or `%{`; `$${` and `%%{` are text), with the string literals
 * inside it left out: data a config gives may appear only in those.
 * Templates inside those literals are expressions again and are listed too.
 */
export function expressionCode(text: string): string[] {
  const codes: string[] = [];
  // A template (the JSON string, or a literal inside an expression) from `i`; returns where it ends.
  const template = (i: number, quoted: boolean): number => {
    while (i < text.length) {
      const c = text[i];
      if (quoted && c === '\\') i += 2;
      else if (quoted && c === '"') return i + 1;
      else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') i = expression(i + 2);
      else i++;
    }
    return i;
  };
  const expression = (i: number): number => {
    let code = '';
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i = template(i + 1, true);
        code += ' "" ';
        continue;
      }
      if (c === '{') depth++;
      if (c === '}' && depth-- === 0) break;
      code += c;
      i++;
    }
    codes.push(code);
    return i + 1;
  };
  template(0, false);
  return codes;
}

/** Config values that reach a stack's JSON as Terraform code (outside any string literal of an expression). */
export function valuesInCode(file: string, config: Config): string[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const code = strings(json).flatMap(expressionCode).join('\n');
  // Values with a letter: numbers and addresses cannot change what an expression does.
  const values = [...new Set([...strings(config, false), ...Object.keys(config.tags ?? {})])].filter(
    (v) => v.length >= 4 && /[A-Za-z]/.test(v),
  );
  const word = (v: string) => new RegExp(`(^|[^A-Za-z0-9_.:/-])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_.:/-])`);
  return values.filter((v) => word(v).test(code));
}
