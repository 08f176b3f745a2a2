import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { configSchema } from '../config/schema';
import { OUTPUT_MARKER } from '../config/output-dir';
import { runMain } from './support/cli';
import { snapshot } from './support/files';
import { exampleObject } from './support/mutate';
import { terraform, terraformOk, writeOfflineProviderOverride } from './support/terraform';

// Issue 10: a property-based test. Seeded mutations of the example config
// (values replaced by hostile or edge values, keys deleted or misspelt, list
// items duplicated, strings extended) run through the main job, and every
// run must keep the contract:
//   - exit 0, 2 or 3 only (never a crash);
//   - exit 2 prints one line naming a field of the file (or its line);
//   - a failing run leaves the previous output byte for byte;
//   - an accepted config holds no Terraform template sequence, and a sample
//     of accepted outputs passes real `terraform validate`.
// Reproduce a failure with the seed it prints: DXPL_PROPERTY_SEED=<seed>.

const RUNS = Number(process.env.DXPL_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.DXPL_PROPERTY_SEED ?? 20261125);

const STRINGS = [
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
  9001,
];
const OTHERS: unknown[] = [null, true, false, [], {}, [1, 2], { a: 1 }, ['a', 'b']];
const POOL: unknown[] = [...STRINGS, ...NUMBERS, ...OTHERS];

type Op = { readonly path: number; readonly kind: 'replace' | 'delete' | 'rename' | 'duplicate' | 'extend'; readonly value: number };

/** Every path below the root (object keys and list indexes). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

function apply(config: Record<string, any>, op: Op): void {
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

const opArbitrary = fc.record({
  path: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'rename', 'duplicate', 'extend') as fc.Arbitrary<Op['kind']>,
  value: fc.nat(),
});

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

const TOP_LEVEL_KEYS = Object.keys(configSchema.shape);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-property-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mutated configs keep the contract (property-based)', () => {
  test(`${RUNS} seeded mutations of the example (seed ${SEED})`, () => {
    const out = path.join(tmp, 'cdktf.out');
    const file = path.join(tmp, 'config.yaml');
    writeFileSync(file, stringify(exampleObject()));
    expect(runMain([file, '--out', out, '--quiet'], tmp).status).toBe(0);
    let previous = snapshot(out);
    const accepted: string[] = [];
    const statuses: Record<number, number> = {};

    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 3 }), (ops) => {
        const config = exampleObject();
        for (const op of ops) apply(config, op);
        writeFileSync(file, stringify(config));
        const r = runMain([file, '--out', out, '--quiet'], tmp);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        expect([0, 2, 3]).toContain(r.status);
        if (r.status === 0) {
          expect(r.stderr).toBe('');
          expect(strings(config).filter((s) => /[$%]\{/.test(s))).toEqual([]);
          expect(readdirSync(out)).toContain(OUTPUT_MARKER);
          previous = snapshot(out);
          if (accepted.length < 3 && !accepted.includes(JSON.stringify(config))) {
            const keep = path.join(tmp, `accepted-${accepted.length}`);
            cpSync(path.join(out, 'stacks'), keep, { recursive: true });
            accepted.push(JSON.stringify(config));
          }
          return;
        }
        const lines = r.stderr.trimEnd().split('\n');
        if (r.status === 2) {
          expect(lines).toHaveLength(1);
          const named = lines[0].slice(`error: ${file}: `.length);
          expect(lines[0].startsWith(`error: ${file}: `)).toBe(true);
          const first = /^(line \d+|\(top level\)|[^.[:\s]+)/.exec(named)?.[1];
          expect(first).toBeDefined();
          // a key of the file, or one the schema requires
          if (!/^line |^\(top/.test(first!)) expect([...TOP_LEVEL_KEYS, ...Object.keys(config)]).toContain(first);
        }
        expect(snapshot(out)).toEqual(previous);
        expect(readdirSync(tmp).filter((f) => f.includes('staging'))).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // Both sides of the contract were exercised.
    expect(statuses[0]).toBeGreaterThan(0);
    expect(statuses[2]).toBeGreaterThan(RUNS / 4);

    // A sample of accepted outputs passes real `terraform validate`: each
    // stack as written (JSON and assets), sharing one provider install.
    // Every provider stack of the sample, and the first sample's first consumer stack.
    const firstConsumer = readdirSync(path.join(tmp, 'accepted-0')).find((d) => d.startsWith('consumer-'))!;
    const stacks = [...accepted.map((_, i) => path.join(tmp, `accepted-${i}`, 'provider')), path.join(tmp, 'accepted-0', firstConsumer)];
    let shared: string | undefined;
    for (const stack of stacks) {
      writeOfflineProviderOverride(stack);
      if (shared === undefined) {
        terraformOk(stack, ['init', '-input=false', '-no-color', '-backend=false']);
        shared = stack;
      } else {
        symlinkSync(path.join(shared, '.terraform'), path.join(stack, '.terraform'));
        cpSync(path.join(shared, '.terraform.lock.hcl'), path.join(stack, '.terraform.lock.hcl'));
      }
      const r = terraform(stack, ['validate', '-no-color']);
      expect({ stack, status: r.status, stderr: r.stderr }).toEqual({ stack, status: 0, stderr: '' });
    }
    expect(stacks.length).toBeGreaterThan(0);
  });
});
