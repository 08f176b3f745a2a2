import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAws, fakeSubnetOf, startFakeAws } from './support/fake-aws';
import { BAD_INPUTS, BadInput } from './support/module-bad-inputs';
import { consumerRoot, forwardsOfTenant, hclForwards, serviceRoot } from './support/module-roots';
import { TfResult, terraformAsync } from './support/terraform';

// Bad inputs of the generated modules (support/module-bad-inputs.ts), each
// planned from an HCL root by real Terraform: refused by a variable
// validation of the module that owns the variable, with one message naming
// the field, the value received and the fix.

const FORWARDS_OF_INTERNAL = forwardsOfTenant('internal');

let tmp: string;
let aws: FakeAws;
let badPlans: Record<string, TfResult> = {};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-bad-inputs-'));
  aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
  process.env.DXPL_FAKE_AWS_URL = aws.url;
  // Bad inputs: a few roots, each with several bad variables, planned at once.
  const badRoots = [...new Set(BAD_INPUTS.map((b) => b.root))];
  for (const root of badRoots) {
    const dir = path.join(tmp, root);
    const inputs = BAD_INPUTS.filter((b) => b.root === root);
    const pick = (k: keyof BadInput) => inputs.find((b) => b[k] !== undefined)?.[k] as string | undefined;
    // further arguments of different inputs of a root go together
    const all = (k: 'extra' | 'networkExtra') => inputs.flatMap((b) => b[k] ?? []).join('\n');
    if (root.startsWith('bad-consumer'))
      consumerRoot(dir, pick('allowedCidrs') ?? '["10.0.0.0/8"]', pick('dnsZone') ?? 'null', pick('services'));
    else
      serviceRoot(
        dir,
        pick('forwards') ?? hclForwards(FORWARDS_OF_INTERNAL),
        pick('directConnect'),
        pick('natFleet'),
        all('extra'),
        all('networkExtra'),
        { replace: Object.assign({}, ...inputs.map((b) => b.networkReplace ?? {})) as Record<string, string> },
      );
  }
  const results = await Promise.all(
    badRoots.map(async (root) => {
      const dir = path.join(tmp, root);
      await terraformAsync(dir, ['init', '-input=false', '-no-color']);
      return [root, await terraformAsync(dir, ['plan', '-input=false', '-no-color', '-refresh=false'])] as const;
    }),
  );
  badPlans = Object.fromEntries(results);
}, 600000);
afterAll(async () => {
  delete process.env.DXPL_FAKE_AWS_URL;
  await aws.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('generated modules', () => {
  test.each(BAD_INPUTS.map((b) => [b.what, b]))(
    'variable validation fires on %s, naming the variable, in the module that owns it',
    (_what, bad) => {
      const r = badPlans[bad.root];
      expect(r.status).toBe(1);
      // each diagnostic on one line: the one with this message is the variable's, of its module call
      const diagnostics = r.stderr
        .split(/^(?=(?:│ )?Error: )/m)
        .map((d) => d.replace(/[│╵╷]/g, ' ').replace(/\s+/g, ' '))
        .filter((d) => d.includes(bad.message));
      expect(diagnostics).toHaveLength(1);
      const [diagnostic] = diagnostics;
      expect(diagnostic).toContain('Error: Invalid value for variable');
      expect(diagnostic).toContain(bad.variable);
      // the module call's argument, or (a validation across variables) the rule in that module's variables.tf
      const where = [`in module "${bad.module}"`, `checked by the validation rule at .terraform/modules/${bad.module}/variables.tf`];
      expect(where.filter((w) => diagnostic.includes(w))).not.toEqual([]);
    },
  );
});
