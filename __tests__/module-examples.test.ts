/**
 * The HCL users copy first: the examples/<module> roots (each builds its own
 * VPC), every block of the modules' README "Usage" sections and of the
 * README's "Plain HCL" section. Each is planned the way its README says
 * (its ```sh commands), offline, with the real AWS provider: the examples
 * as they ship (copied beside a modules/ link, so their relative sources
 * resolve as in the repository and the npm package), the docs' blocks in
 * place of the same blocks of the example they belong to (which supplies
 * the VPC, locals and variables they reference).
 *
 * (Their flows hop by hop are checked in modules.test.ts on literal ids:
 * the offline apply of applied-state.ts cannot read data sources of
 * subnets and endpoints created in the same apply.)
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlanJson } from './support/applied-state';
import { ROOT } from './support/cli';
import { FakeAwsProcess, startFakeAwsProcess } from './support/fake-aws-process';
import { readmeTerraformCommands, relativeModuleSources, sectionCodeBlocks, swapBlocks, topLevelBlocks } from './support/hcl-blocks';
import { terraform, terraformAsync, writeOfflineProviderOverride } from './support/terraform';

const MODULES = ['dx-privatelink-vpc', 'dx-privatelink-service', 'dx-privatelink-consumer'] as const;
type Module = (typeof MODULES)[number];
const RUN_IT = '## Run it';
const README_SECTION = '## Plain HCL: the Terraform modules';

const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');

interface Root {
  /** The example it is built from. */
  readonly example: Module;
  /** Blocks of the docs put in place of the example's own (none: the example as it ships). */
  readonly blocks?: string;
}

/** Every root this file plans, by name. */
function roots(): Record<string, Root> {
  const all: Record<string, Root> = {};
  for (const m of MODULES) all[`example ${m}`] = { example: m };
  for (const m of MODULES) {
    const [usage, ...more] = sectionCodeBlocks(read('modules', m, 'README.md'), '## Usage', 'hcl');
    if (!usage || more.length > 0) throw new Error(`modules/${m}/README.md: expected one hcl block under ## Usage`);
    all[`${m} README usage`] = { example: m, blocks: usage };
  }
  sectionCodeBlocks(read('README.md'), README_SECTION, 'hcl').forEach((blocks, i) => {
    all[`README.md module block ${i + 1}`] = {
      example: blocks.includes('module "consumer"') ? 'dx-privatelink-consumer' : 'dx-privatelink-service',
      blocks,
    };
  });
  return all;
}

interface Planned {
  readonly dir: string;
  readonly plan?: PlanJson & {
    planned_values: { outputs?: Record<string, { value?: unknown }> };
    output_changes?: Record<string, { after?: unknown; after_unknown?: unknown }>;
  };
  readonly error?: string;
}

let tmp: string;
let aws: FakeAwsProcess;
const ROOTS = roots();
const planned: Record<string, Planned> = {};

/** init, validate and plan one root as its example's README says; never throws. */
async function planRoot(name: string, root: Root): Promise<Planned> {
  const dir = path.join(tmp, 'examples', name.replace(/[^a-z0-9.-]+/gi, '_'));
  cpSync(path.join(ROOT, 'examples', root.example), dir, { recursive: true });
  if (root.blocks) swapBlocks(dir, topLevelBlocks(relativeModuleSources(root.blocks)));
  writeOfflineProviderOverride(dir, aws.url);
  const commands = readmeTerraformCommands(read('examples', root.example, 'README.md'), RUN_IT);
  const init = commands.find((c) => c[0] === 'init');
  const plan = commands.find((c) => c[0] === 'plan');
  if (!init || !plan) return { dir, error: `examples/${root.example}/README.md: no terraform init and plan under ${RUN_IT}` };
  const steps = [
    [...init, '-input=false', '-no-color'],
    // (plan validates the docs' blocks as well: one provider start less each)
    ...(root.blocks ? [] : [['validate', '-no-color']]),
    [...plan, '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=plan.bin'],
  ];
  for (const args of steps) {
    const r = await terraformAsync(dir, args);
    if (r.status !== 0) return { dir, error: `terraform ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}` };
  }
  const show = await terraformAsync(dir, ['show', '-json', '-no-color', 'plan.bin']);
  return { dir, plan: JSON.parse(show.stdout) };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-examples-'));
  mkdirSync(path.join(tmp, 'examples'));
  symlinkSync(path.join(ROOT, 'modules'), path.join(tmp, 'modules'));
  aws = await startFakeAwsProcess();
  // Two at a time: each plan runs the provider plugin, a CPU-heavy process.
  const queue = Object.entries(ROOTS);
  await Promise.all(
    [0, 1].map(async () => {
      for (let job = queue.shift(); job; job = queue.shift()) planned[job[0]] = await planRoot(...job);
    }),
  );
}, 600000);
afterAll(async () => {
  await aws?.close();
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
});

function planOf(name: string): NonNullable<Planned['plan']> {
  const p = planned[name];
  if (!p?.plan) throw new Error(`${name}: ${p?.error ?? 'not planned'}`);
  return p.plan;
}

/** Addresses of the managed resources the plan creates. */
const created = (name: string) =>
  (planOf(name).resource_changes ?? []).filter((c) => c.mode === 'managed' && c.change.actions.includes('create')).map((c) => c.address);
const count = (addresses: string[], pattern: RegExp) => addresses.filter((a) => pattern.test(a)).length;
/** Planned values of a resource, by address. */
const values = (name: string, address: string) =>
  (planOf(name).resource_changes ?? []).find((c) => c.address === address)?.change.after as Record<string, any> | undefined;

describe('every root the docs show plans with the real provider', () => {
  test.each(Object.keys(ROOTS))('%s: init, validate and plan succeed', (name) => {
    expect(planned[name].error).toBeUndefined();
    expect(created(name).length).toBeGreaterThan(0);
  });

  test.each(Object.entries(ROOTS).filter(([, r]) => r.blocks))('%s: its blocks are planned, in place of the example’s', (name, root) => {
    // The module calls of the docs' blocks each create resources of their module.
    const labels = topLevelBlocks(root.blocks!).flatMap((b) => /^module "([^"]+)"$/.exec(b.header)?.[1] ?? []);
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(count(created(name), new RegExp(`^module\\.${label}[.[]`))).toBeGreaterThan(0);
  });

  test('the README shows the provider account (VPC module, service module for_each) and a consumer account', () => {
    const labels = sectionCodeBlocks(read('README.md'), README_SECTION, 'hcl').map((b) => topLevelBlocks(b).map((x) => x.header));
    expect(labels).toEqual([['module "network"', 'module "service"', 'output "consumer_handover"'], ['module "consumer"']]);
    expect(ROOTS['README.md module block 1'].blocks).toMatch(/^ {2}for_each += local\.tenants/m);
  });

  test('no root hands port_map (the brokers’ addresses) to anyone: consumers get consumer_ports', () => {
    const code = (hcl: string) => hcl.replace(/#.*$/gm, '');
    for (const [name, root] of Object.entries(ROOTS)) {
      const files = readdirSync(path.join(ROOT, 'examples', root.example)).filter((f) => f.endsWith('.tf'));
      const text = root.blocks ?? files.map((f) => read('examples', root.example, f)).join('\n');
      expect({ name, port_map: code(text).includes('port_map') }).toEqual({ name, port_map: false });
    }
  });

  test('the examples and the docs’ blocks are formatted (terraform fmt)', () => {
    const check = terraform(path.join(ROOT, 'examples'), ['fmt', '-check', '-recursive', '-no-color']);
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
    for (const [name, root] of Object.entries(ROOTS).filter(([, r]) => r.blocks)) {
      const fmt = terraform(ROOT, ['fmt', '-no-color', '-'], {}, root.blocks);
      expect({ name, formatted: fmt.stdout }).toEqual({ name, formatted: root.blocks });
    }
  });
});

describe('examples/dx-privatelink-vpc', () => {
  const name = 'example dx-privatelink-vpc';

  test('its own VPC, attached by the module: a private VIF through the Direct Connect gateway, routes propagated, fleet endpoint, flow logs, alarms', () => {
    const c = created(name);
    expect(c.filter((a) => !a.startsWith('module.')).sort()).toEqual(
      expect.arrayContaining([
        'aws_dx_gateway.this',
        'aws_vpc.this',
        'aws_vpc_endpoint.s3',
        'aws_subnet.private["a"]',
        'aws_subnet.private["b"]',
      ]),
    );
    expect(count(c, /^module\.network\.aws_dx_private_virtual_interface\./)).toBe(1);
    expect(count(c, /^module\.network\.aws_dx_gateway_association\./)).toBe(1);
    expect(count(c, /^module\.network\.aws_vpn_gateway_route_propagation\./)).toBe(2);
    expect(count(c, /^module\.network\.aws_vpc_endpoint\./)).toBe(1);
    expect(count(c, /^module\.network\.aws_flow_log\./)).toBe(2);
    expect(count(c, /^module\.network\.aws_sns_topic\./)).toBe(1);
    expect(values(name, 'module.network.aws_dx_private_virtual_interface.direct_connect_private_vif[0]')).toMatchObject({
      connection_id: 'dxcon-fgexampl',
      vlan: 101,
      bgp_asn: 65010,
    });
  });
});

describe('examples/dx-privatelink-service', () => {
  const name = 'example dx-privatelink-service';

  test('the link once (a hosted VIF); per tenant an NLB, a listener per forward, a NAT fleet and an endpoint service; one alarm topic', () => {
    const c = created(name);
    expect(count(c, /^module\.network\.aws_dx_hosted_private_virtual_interface_accepter\./)).toBe(1);
    expect(count(c, /^module\.service\[[^\]]+\]\.aws_(dx_|vpn_gateway|flow_log)/)).toBe(0);
    const listeners: Record<string, string[]> = { internal: ['broker-a-fix', 'clearing-api'], clients: ['broker-b-fix'] };
    for (const [tenant, forwards] of Object.entries(listeners)) {
      const prefix = `module.service["${tenant}"]`;
      expect(c.filter((a) => a.startsWith(`${prefix}.aws_lb_listener.`)).sort()).toEqual(
        forwards.map((f) => `${prefix}.aws_lb_listener.nlb_listener["${f}"]`),
      );
      for (const type of ['aws_lb', 'aws_autoscaling_group', 'aws_vpc_endpoint_service'])
        expect(count(c, new RegExp(`^module\\.service\\["${tenant}"\\]\\.${type}\\.`))).toBe(1);
    }
    expect(count(c, /aws_sns_topic\./)).toBe(1);
    // A private target is an NLB IP target; a public one goes through the tenant's NAT fleet.
    expect(c).toContain('module.service["internal"].aws_lb_target_group_attachment.nlb_direct_target["clearing-api"]');
    expect(values(name, 'module.service["clients"].aws_vpc_endpoint_service.service')).toMatchObject({
      acceptance_required: true,
      allowed_principals: ['arn:aws:iam::333333333333:root', 'arn:aws:iam::444444444444:root'],
    });
    expect(values(name, 'module.service["internal"].aws_vpc_endpoint_service.service')?.acceptance_required).toBe(false);
  });

  test('each tenant’s NAT rules hold its own brokers only', () => {
    const rules = values(name, 'module.service["clients"].aws_s3_object.nat_rules');
    expect(rules).toMatchObject({ key: 'nat/fix-gw-clients-nat.nft', content_type: 'text/plain' });
    expect(rules?.content).toContain('fib daddr type local tcp dport 9002 dnat to 198.51.100.20:4500 comment "broker-b-fix"');
    expect(rules?.content).not.toContain('192.0.2.10');
  });

  test('consumer_handover: service name, zone ids and listen ports per tenant, no target address', () => {
    const handover = planOf(name).output_changes?.consumer_handover;
    expect(handover?.after).toEqual({
      internal: { ports: { 'broker-a-fix': 9001, 'clearing-api': 9443 } },
      clients: { ports: { 'broker-b-fix': 9002 } },
    });
    expect(handover?.after_unknown).toEqual({
      internal: { service_name: true, zone_ids: true, ports: {} },
      clients: { service_name: true, zone_ids: true, ports: {} },
    });
  });
});

describe('examples/dx-privatelink-consumer', () => {
  const name = 'example dx-privatelink-consumer';

  test('subnets in the handover’s zone ids, one endpoint, port-only ingress from the VPC, a DNS name per forward', () => {
    const c = created(name);
    expect(c.filter((a) => a.startsWith('aws_subnet.')).map((a) => values(name, a)?.availability_zone_id)).toEqual([
      'euw2-az1',
      'euw2-az2',
    ]);
    expect(c.filter((a) => /^module\.consumer\.aws_vpc_endpoint\./.test(a))).toEqual([
      'module.consumer.aws_vpc_endpoint.endpoint["clients"]',
    ]);
    expect(values(name, 'module.consumer.aws_vpc_endpoint.endpoint["clients"]')?.service_name).toBe(
      'com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0',
    );
    const ingress = c.filter((a) => a.startsWith('module.consumer.aws_vpc_security_group_ingress_rule.')).map((a) => values(name, a));
    expect(ingress.map((r) => [r?.from_port, r?.to_port])).toEqual([[9002, 9002]]);
    expect(c.filter((a) => a.startsWith('module.consumer.aws_route53_record.')).map((a) => values(name, a)?.name)).toEqual([
      'broker-b-fix.brokers.internal',
    ]);
  });
});
