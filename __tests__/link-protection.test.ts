/**
 * The VPC module guards the Direct Connect link: with deletion_protection
 * (the default), a change that would replace the VIF or the VGW fails at
 * plan, against an applied state; the README's two-apply procedure (its
 * `moved` blocks read from the README itself) removes the guards and
 * nothing else, after which the change plans and shows what it replaces.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFromPlan, isNoOp, planJson, settle } from './support/applied-state';
import { ROOT } from './support/cli';
import { FakeAwsProcess, startFakeAwsProcess } from './support/fake-aws-process';
import { moduleRoot, networkModule } from './support/module-roots';
import { terraform, terraformOk, writeOfflineProviderOverride } from './support/terraform';

const GUARDS = ['vgw', 'private_vif'].map((part) => `module.network.terraform_data.direct_connect_${part}_guard[0]`);

/** The `moved` blocks of the VPC module README's teardown section. */
function readmeMovedBlocks(): string {
  const readme = readFileSync(path.join(ROOT, 'modules', 'dx-privatelink-vpc', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Removing the link, tearing down'));
  const block = /```hcl\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('modules/dx-privatelink-vpc/README.md: no hcl block under "Removing the link, tearing down"');
  return block;
}

let tmp: string;
let dir: string;
let aws: FakeAwsProcess;
let stateFile: string;
const env = () => ({ DXPL_FAKE_AWS_URL: aws.url });
const write = (block: string) => {
  moduleRoot(dir, block);
  writeOfflineProviderOverride(dir, aws.url);
};
const plan = () => terraform(dir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false'], env());

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-link-protection-'));
  aws = await startFakeAwsProcess();
  dir = path.join(tmp, 'root');
  write(networkModule());
  terraformOk(dir, ['init', '-input=false', '-no-color'], env());
  const deployed = await applyFromPlan(dir, planJson(dir, env(), 'first.plan'), env());
  stateFile = settle(dir, deployed, { env: env() }).stateFile;
}, 300000);
afterAll(async () => {
  await aws.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the Direct Connect link under deletion protection (planned against an applied state)', () => {
  test('each part made has its guard', () => {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { resources: { module?: string; type: string; name: string }[] };
    const guards = state.resources.filter((r) => r.type === 'terraform_data').map((r) => `${r.module}.terraform_data.${r.name}[0]`);
    expect(guards.sort()).toEqual([...GUARDS].sort());
  });

  test('renaming the module (the VIF is replaced) fails at plan, naming the VIF guard', () => {
    write(networkModule(undefined, '', { replace: { name: '"fix-gw-b"' } }));
    const r = plan();
    expect(r.status).not.toBe(0);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(`Resource ${GUARDS[1]} has lifecycle.prevent_destroy set`);
  });

  test('step 1 of the README (protection off, its moved blocks) destroys the guards and nothing else', () => {
    write(`${networkModule(undefined, '  deletion_protection = false')}\n\n${readmeMovedBlocks()}`);
    const out = planJson(dir, env(), 'step1.plan');
    const changes = (out.resource_changes ?? []).filter((c) => c.mode === 'managed' && !isNoOp(c.change.actions));
    expect(changes.map((c) => `${c.previous_address ?? c.address} ${c.change.actions.join(',')}`).sort()).toEqual(
      GUARDS.map((g) => `${g} delete`).sort(),
    );
  });

  test('step 2, once the guards are gone: the rename plans, and shows the VIF it replaces', () => {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { serial: number; resources: { type: string }[] };
    writeFileSync(
      stateFile,
      JSON.stringify({ ...state, serial: state.serial + 1, resources: state.resources.filter((r) => r.type !== 'terraform_data') }),
    );
    write(networkModule(undefined, '  deletion_protection = false', { replace: { name: '"fix-gw-b"' } }));
    const out = planJson(dir, env(), 'step2.plan');
    const vif = (out.resource_changes ?? []).find(
      (c) => c.address === 'module.network.aws_dx_private_virtual_interface.direct_connect_private_vif[0]',
    );
    expect(vif?.change.actions).toEqual(['delete', 'create']);
  });
});
