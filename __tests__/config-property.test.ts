import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseConfig } from '../config/load';
import { OUTPUT_MARKER } from '../config/output-dir';
import { runMain } from './support/cli';
import { snapshot } from './support/files';
import { exampleObject } from './support/mutate';
import { Op, apply, reportedField, stackFiles, strings, unresolvedField, valuesInCode } from './support/property';
import { terraform, terraformOk, writeOfflineProviderOverride } from './support/terraform';

// Issue 10: a property-based test. Seeded mutations of the example config
// (values replaced by hostile or edge values, keys deleted or misspelt, list
// items duplicated, strings extended, and changes only the synth refuses:
// quotas of the built stacks, the policy pack; support/property.ts) run
// through the main job, and every run must keep the contract:
//   - exit 0, 2 or 3 only (never a crash);
//   - exit 2 prints one line per problem, each naming a place of the file:
//     its line, or the whole field path resolved against the mutated config
//     (a required key it lacks, or a quota to set, may be absent:
//     ABSENT_FIELDS), and no line twice;
//   - a failing run, at load or inside the synth, leaves the previous output
//     byte for byte; both kinds occur in every run;
//   - no value reaches the JSON unescaped: an accepted config holds no
//     template sequence, no config value is Terraform code in any expression
//     of the written JSON, and a sample passes real `terraform validate`.
// Reproduce a failure with the seed it prints: DXPL_PROPERTY_SEED=<seed>.

const RUNS = Number(process.env.DXPL_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.DXPL_PROPERTY_SEED ?? 20261125);

const opArbitrary = fc.record({
  path: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'rename', 'duplicate', 'extend', 'semantic') as fc.Arbitrary<Op['kind']>,
  value: fc.nat(),
});

/** How a run ended: accepted, refused by the loader or inside the synth (exit 2), or by the policy pack (exit 3). */
type Outcome = 'accepted' | 'refused at load' | 'refused in the synth' | 'policy violation';

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
    const outcomes: Record<Outcome, number> = { accepted: 0, 'refused at load': 0, 'refused in the synth': 0, 'policy violation': 0 };
    const started = Date.now();

    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 3 }), (ops) => {
        const config = exampleObject();
        for (const op of ops) apply(config, op);
        const text = stringify(config);
        writeFileSync(file, text);
        const r = runMain([file, '--out', out, '--quiet'], tmp);
        expect([0, 2, 3]).toContain(r.status);
        if (r.status === 0) {
          outcomes.accepted++;
          expect(r.stderr).toBe('');
          expect(strings(config).filter((v) => /[$%]\{/.test(v))).toEqual([]);
          expect(readdirSync(out)).toContain(OUTPUT_MARKER);
          // No config value is Terraform code: in an expression, only inside its string literals.
          for (const stack of stackFiles(path.join(out, 'stacks'))) {
            expect({ stack: path.relative(out, stack), values: valuesInCode(stack, config) }).toEqual({
              stack: path.relative(out, stack),
              values: [],
            });
          }
          previous = snapshot(out);
          if (accepted.length < 3 && !accepted.includes(JSON.stringify(config))) {
            const keep = path.join(tmp, `accepted-${accepted.length}`);
            cpSync(path.join(out, 'stacks'), keep, { recursive: true });
            accepted.push(JSON.stringify(config));
          }
          return;
        }
        const lines = r.stderr.trimEnd().split('\n');
        if (r.status === 3) outcomes['policy violation']++;
        else {
          // The same config through the loader alone tells a load-time refusal from one inside the synth.
          let loads = true;
          try {
            parseConfig(text, file);
          } catch {
            loads = false;
          }
          outcomes[loads ? 'refused in the synth' : 'refused at load']++;
          expect(lines.length).toBeGreaterThanOrEqual(1);
          expect(new Set(lines).size).toBe(lines.length);
          for (const text_ of lines) {
            expect(text_.startsWith(`error: ${file}: `)).toBe(true);
            const named = text_.slice(`error: ${file}: `.length);
            const line = /^line (\d+): /.exec(named);
            if (line) expect(Number(line[1])).toBeLessThanOrEqual(text.split('\n').length);
            else if (!named.startsWith('(top level): ')) {
              // The whole reported path is a place of the file (or a required key it lacks).
              const field = reportedField(named);
              expect({ named, field: field !== undefined }).toEqual({ named, field: true });
              const problem = named.slice(named.indexOf(': ') + 2);
              expect({ named, unresolved: unresolvedField(config, field!, problem) }).toEqual({ named, unresolved: undefined });
            }
          }
        }
        expect(snapshot(out)).toEqual(previous);
        expect(readdirSync(tmp).filter((f) => f.includes('staging'))).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`config-property: ${RUNS} runs in ${seconds.toFixed(1)} s: ${JSON.stringify(outcomes)}`);
    // Every side of the contract was exercised, failures inside the synth included.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes['refused at load']).toBeGreaterThan(RUNS / 4);
    expect(outcomes['refused in the synth']).toBeGreaterThan(0);
    expect(outcomes['policy violation']).toBeGreaterThan(0);

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
