import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './support/cli';
import { Plan, planInParallel, readPlan, resourcesOfType } from './support/terraform';

// Issue 11: the construct API as the README shows it. The TypeScript block
// of "Use the constructs in your own cdktf app" runs as written (its import
// pointed at this checkout) and the stack it writes plans for real.

/** The first ```ts block after `heading` in README.md. */
function readmeSnippet(heading: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`README.md has no "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md has no ts block after "${heading}"`);
  return block[1];
}

let tmp: string;
let plan: Plan;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-snippet-'));
  const snippet = readmeSnippet('## Use the constructs in your own cdktf app');
  expect(snippet).toMatch(/from '\.\/constructs'/);
  writeFileSync(path.join(tmp, 'main.ts'), snippet.replace(/from '\.\/constructs'/, `from '${path.join(ROOT, 'constructs')}'`));
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, 'main.ts'], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  if (r.status !== 0) throw new Error(`the README snippet failed (${r.status}): ${r.stderr}`);
  const base = path.join(tmp, 'plan');
  await planInParallel([{ dir: path.join(tmp, 'cdktf.out', 'stacks', 'provider'), base }]);
  plan = readPlan(base);
}, 300000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the README construct example', () => {
  test('plans for real: a hosted VIF on a created VPC, a NAT fleet, one tenant service', () => {
    const types = (t: string) => resourcesOfType(plan, t).length;
    expect(types('aws_dx_hosted_private_virtual_interface_accepter')).toBe(1);
    expect(types('aws_dx_private_virtual_interface')).toBe(0);
    expect(types('aws_vpc')).toBe(1);
    expect(types('aws_autoscaling_group')).toBe(1);
    expect(types('aws_vpc_endpoint_service')).toBe(1);
    expect(new Set(plan.json.resource_changes.map((r) => r.change.actions.join(',')))).toEqual(new Set(['create']));
  });
});
