import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMain } from './support/cli';
import { serviceRoot } from './support/module-roots';
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

describe('the HCL service module', () => {
  /** A root calling the module with `deletion_protection`, its state holding the service and (protected) its guard. */
  async function moduleRoot(name: string, protection: boolean, guardInState: boolean): Promise<string> {
    const dir = path.join(tmp, name);
    const forwards = '{ clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 } }';
    serviceRoot(dir, forwards, '{}', '{}', `  deletion_protection = ${protection}`);
    writeOfflineProviderOverride(dir, aws.url);
    const guard: StateResource = {
      module: 'module.service',
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
    };
    writeState(path.join(dir, 'terraform.tfstate'), [service('service', 'module.service'), ...(guardInState ? [guard] : [])]);
    await init(dir);
    return dir;
  }

  test('with deletion_protection = true, destroying the module fails on its guard', async () => {
    const r = await planDestroy(await moduleRoot('module-protected', true, true));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Instance cannot be destroyed');
    expect(r.stderr).toContain('terraform_data.service_guard[0] has lifecycle.prevent_destroy');
  }, 120000);

  test('turning protection off still fails while the guard is in state; after `terraform state rm` of the guard, teardown plans', async () => {
    const dir = await moduleRoot('module-teardown', false, true);
    // the documented steps: deletion_protection = false alone cannot remove the guard (Terraform would destroy it)
    const before = await tf(dir, ['plan', '-refresh=false', '-input=false', '-no-color']);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain('terraform_data.service_guard[0] has lifecycle.prevent_destroy');
    expect((await tf(dir, ['state', 'rm', 'module.service.terraform_data.service_guard[0]'])).status).toBe(0);
    const r = await planDestroy(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('module.service.aws_vpc_endpoint_service.service will be destroyed');
  }, 120000);
});
