import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runMain } from './support/cli';
import { moduleRoot as writeRoot, networkModule, serviceModule } from './support/module-roots';
import { exampleWith } from './support/mutate';
import { FakeAws, fakeSubnetOf, startFakeAws } from './support/fake-aws';
import { TfResult, terraformAsync, writeOfflineProviderOverride } from './support/terraform';

// Issue 13, safe day 2: an endpoint service that is destroyed or replaced
// gets a new name, and every consumer endpoint to the old one stops. With
// deletion protection on (the default), a plan that would destroy one fails;
// turned off, teardown works. Proven with real Terraform against a state that
// holds the service, as after an apply.

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';

interface StateResource {
  module?: string;
  type: string;
  name: string;
  provider: string;
  index?: number;
  attributes: Record<string, unknown>;
}

/** A local state (format 4) holding `resources`, as `terraform apply` would have written it. */
function writeState(file: string, resources: StateResource[]): void {
  const state = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: '3f0e6a4c-0000-4000-8000-000000000001',
    outputs: {},
    resources: resources.map(({ module, type, name, provider, index, attributes }) => ({
      ...(module ? { module } : {}),
      mode: 'managed',
      type,
      name,
      provider,
      instances: [{ ...(index === undefined ? {} : { index_key: index }), schema_version: 0, attributes }],
    })),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2));
}

const service = (name: string, module?: string): StateResource => ({
  module,
  type: 'aws_vpc_endpoint_service',
  name,
  provider: AWS,
  attributes: { id: SERVICE_ID, acceptance_required: true, service_name: `com.amazonaws.vpce.eu-west-2.${SERVICE_ID}` },
});

/** terraform in `dir`, asynchronously (the fake AWS answers from this process), its messages on one line each. */
async function tf(dir: string, args: string[]): Promise<TfResult> {
  const r = await terraformAsync(dir, args);
  return { ...r, stderr: r.stderr.replace(/\s+/g, ' ').trim() };
}
const planDestroy = (dir: string) => tf(dir, ['plan', '-destroy', '-refresh=false', '-input=false', '-no-color']);
async function init(dir: string): Promise<void> {
  const r = await tf(dir, ['init', '-input=false', '-no-color']);
  if (r.status !== 0) throw new Error(r.stderr);
}

let tmp: string;
let aws: FakeAws;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-protection-'));
  aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
});
afterAll(async () => {
  await aws.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the cdktf provider stack', () => {
  /** Synthesizes the example (changed by `change`) and puts a state holding its internal service where the stack's backend reads it. */
  async function providerStack(name: string, change: (c: Record<string, any>) => void): Promise<string> {
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(file, exampleWith(change));
    const out = path.join(tmp, name, 'cdktf.out');
    const r = runMain([file, '--out', out, '--quiet'], tmp);
    if (r.status !== 0) throw new Error(r.stderr);
    const dir = path.join(out, 'stacks', 'provider');
    writeOfflineProviderOverride(dir, aws.url);
    // the example keeps state beside cdktf.out: ../../../terraform.provider.tfstate from the stack
    writeState(path.resolve(dir, '..', '..', '..', 'terraform.provider.tfstate'), [service('tenant_internal_s0_service')]);
    await init(dir);
    return dir;
  }

  test('with deletion protection (the default), a plan that destroys an endpoint service fails, naming it', async () => {
    const dir = await providerStack('protected', () => {});
    const r = await planDestroy(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Instance cannot be destroyed');
    expect(r.stderr).toContain('aws_vpc_endpoint_service.tenant_internal_s0_service has');
    expect(r.stderr).toContain('lifecycle.prevent_destroy');
  }, 120000);

  test('with deletion_protection: false, the same teardown plans', async () => {
    const dir = await providerStack('unprotected', (c) => {
      c.deletion_protection = false;
    });
    const r = await planDestroy(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('aws_vpc_endpoint_service.tenant_internal_s0_service will be destroyed');
  }, 120000);
});

// The HCL service module cannot set prevent_destroy from a variable: it
// guards the service with terraform_data.service_guard (prevent_destroy,
// replaced with the service). Terraform refuses to destroy an instance whose
// resource block has prevent_destroy, also when count or for_each no longer
// asks for it; it checks nothing for an object whose block has gone. So the
// documented teardown moves the guard out of the module (a moved block to an
// address the root does not declare) in the same apply that turns protection
// off, then removes the tenant: two plain applies, no `terraform state rm`.
describe('the HCL service module: the documented teardown', () => {
  const FORWARDS = '{ clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 } }';
  const guardOf = (module: string): StateResource => ({
    module,
    type: 'terraform_data',
    name: 'service_guard',
    provider: 'provider["terraform.io/builtin/terraform"]',
    index: 0,
    attributes: {
      id: '6c0e4d1e-0000-4000-8000-000000000002',
      input: null,
      output: null,
      triggers_replace: { value: { service: SERVICE_ID }, type: ['object', { service: 'string' }] },
    },
  });
  /** The moved block of step 1 as the module's README gives it, for the guard of `module`: it leaves the module's configuration. */
  const release = (module: string) => {
    const readme = readFileSync(path.join(ROOT, 'modules', 'dx-privatelink-service', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Removing a tenant, tearing down'));
    const block = /```hcl\n([\s\S]*?)```/.exec(section)![1];
    return block.replaceAll('module.service["clients"]', module);
  };
  /** The for_each form: module.service over local.tenants, each with its own deletion_protection. */
  const tenants = (protect: Record<string, boolean>) => `locals {
  tenants = {
${Object.entries(protect)
  .map(([t, p]) => `    ${t} = ${p}`)
  .join('\n')}
  }
}

module "service" {
  source              = "${path.join(ROOT, 'modules', 'dx-privatelink-service')}"
  for_each            = local.tenants
  name                = "fix-gw-\${each.key}"
  network             = module.network.network
  allowed_principals  = ["arn:aws:iam::222222222222:root"]
  forwards            = ${FORWARDS}
  deletion_protection = each.value
}`;

  /** Writes the root (`calls` after the VPC module) and the state holding each module's service and guard (none for `unguarded`). */
  async function root(name: string, calls: string, modules: string[], unguarded: string[] = []): Promise<string> {
    const dir = path.join(tmp, name);
    mkdirSync(dir, { recursive: true });
    await write(dir, calls);
    writeState(path.join(dir, 'terraform.tfstate'), [
      ...modules.map((m) => service('service', m)),
      ...modules.filter((m) => !unguarded.includes(m)).map(guardOf),
    ]);
    await init(dir);
    return dir;
  }
  async function write(dir: string, calls: string): Promise<void> {
    writeRoot(dir, `${networkModule()}\n\n${calls}`);
    writeOfflineProviderOverride(dir, aws.url);
  }
  const plan = (dir: string) => tf(dir, ['plan', '-refresh=false', '-input=false', '-no-color']);
  /** The managed resources the plan destroys. */
  const destroyed = (stdout: string) => [...stdout.matchAll(/# (\S+) will be destroyed/g)].map((m) => m[1]).sort();

  test('README.md (### Safe day-2 changes) gives the same moved block as the module README, so what is planned here is what it shows', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Safe day-2 changes'));
    const block = /```hcl\n([\s\S]*?)```/.exec(section)![1];
    const dedent = (text: string) => text.replace(/^ +/gm, '');
    expect(dedent(block)).toBe(dedent(release('module.service["clients"]')));
  });

  test('a single call: turning protection off alone is refused; with the guard moved out, it plans; then removing the call plans', async () => {
    const single = (protect: boolean) => serviceModule('service', FORWARDS, '{}', `  deletion_protection = ${protect}`);
    const dir = await root('single', single(true), ['module.service']);
    // protected: removing the call would leave the NLB's deletion protection on (plan passes, apply fails at AWS);
    // turning protection off alone is refused: the guard's block is still there
    await write(dir, single(false));
    const alone = await plan(dir);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('module.service.terraform_data.service_guard[0] has lifecycle.prevent_destroy');
    // step 1: protection off, and the guard moved out of the module
    await write(dir, `${single(false)}\n\n${release('module.service')}`);
    const step1 = await plan(dir);
    expect(step1.stderr).toBe('');
    expect(step1.status).toBe(0);
    expect(destroyed(step1.stdout)).toEqual(['terraform_data.service_guard_released']);
    expect(step1.stdout).toMatch(/enable_deletion_protection\s+= false/);
    expect(step1.stdout).not.toMatch(/aws_vpc_endpoint_service\.service (will be destroyed|must be replaced)/);
    // step 2, against the state step 1 leaves (no guard): the call removed
    const after = await root('single-step2', '', ['module.service'], ['module.service']);
    const step2 = await plan(after);
    expect(step2.stderr).toBe('');
    expect(step2.status).toBe(0);
    expect(destroyed(step2.stdout)).toEqual(['module.service.aws_vpc_endpoint_service.service']);
  }, 600000);

  test('one tenant of a for_each: removed directly it is refused; protection off with its guard moved out, then removed, plans', async () => {
    const both = ['module.service["internal"]', 'module.service["clients"]'];
    const dir = await root('tenants', tenants({ internal: true, clients: true }), both);
    await write(dir, tenants({ internal: true }));
    const direct = await plan(dir);
    expect(direct.status).toBe(1);
    expect(direct.stderr).toContain('module.service["clients"].terraform_data.service_guard[0] has lifecycle.prevent_destroy');
    await write(dir, tenants({ internal: true, clients: false }));
    expect((await plan(dir)).stderr).toContain('module.service["clients"].terraform_data.service_guard[0] has lifecycle.prevent_destroy');
    // step 1: the tenant's protection off, its guard moved out
    await write(dir, `${tenants({ internal: true, clients: false })}\n\n${release('module.service["clients"]')}`);
    const step1 = await plan(dir);
    expect(step1.stderr).toBe('');
    expect(step1.status).toBe(0);
    expect(destroyed(step1.stdout)).toEqual(['terraform_data.service_guard_released']);
    expect(step1.stdout).not.toContain('module.service["internal"].terraform_data.service_guard[0] will be destroyed');
    // step 2, against the state step 1 leaves: the tenant removed; the other one keeps its service and guard
    const after = await root('tenants-step2', tenants({ internal: true }), both, ['module.service["clients"]']);
    const step2 = await plan(after);
    expect(step2.stderr).toBe('');
    expect(step2.status).toBe(0);
    expect(destroyed(step2.stdout)).toEqual(['module.service["clients"].aws_vpc_endpoint_service.service']);
  }, 600000);

  test('from the command line, `terraform state rm` of the guard takes the place of the moved block', async () => {
    const dir = await root('state-rm', serviceModule('service', FORWARDS, '{}', '  deletion_protection = false'), ['module.service']);
    expect((await plan(dir)).status).toBe(1);
    expect((await tf(dir, ['state', 'rm', 'module.service.terraform_data.service_guard[0]'])).status).toBe(0);
    const r = await plan(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(destroyed(r.stdout)).toEqual([]);
  }, 600000);
});
