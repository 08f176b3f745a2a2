/**
 * The HCL modules the way a platform team calls them: one root builds its
 * own VPC, subnets, route tables and S3 gateway endpoint, a Direct Connect
 * gateway, calls the VPC module once and the service module for_each over
 * tenants, and the consumer module in a second VPC of the same root. Every
 * id is unknown at plan; planned with the real provider. Then the same
 * calls in an existing VPC, applied offline (an applied state), and one
 * tenant removed against that state.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFromPlan, isNoOp, planJson, settle } from './support/applied-state';
import { ROOT } from './support/cli';
import { consumerModule, moduleRoot, networkModule } from './support/module-roots';
import { FakeAwsProcess, startFakeAwsProcess } from './support/fake-aws-process';
import { terraform, terraformOk, writeOfflineProviderOverride } from './support/terraform';

const mod = (name: string) => path.join(ROOT, 'modules', name);

function tenantsOf(tenants: string[], protect: (tenant: string) => boolean): string {
  const all: Record<string, string> = {
    internal: `{ protect = ${protect('internal')}, forwards = {
      broker-a-fix = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 9876 }
      clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 }
    } }`,
    clients: `{ protect = ${protect('clients')}, forwards = {
      broker-b-fix = { listen_port = 9002, target_ip = "198.51.100.20", target_port = 4500 }
    } }`,
  };
  return `{\n${tenants.map((t) => `    ${t} = ${all[t]}`).join('\n')}\n  }`;
}

/** The service module once per tenant, in module.network's VPC. */
const services = `module "service" {
  source              = "${mod('dx-privatelink-service')}"
  for_each            = local.tenants
  name                = "fix-gw-\${each.key}"
  network             = module.network.network
  allowed_principals  = ["arn:aws:iam::222222222222:root"]
  forwards            = each.value.forwards
  deletion_protection = each.value.protect
  tags                = { tenant = each.key }
}`;

function root(tenants: string[], protect: (tenant: string) => boolean, routing: 'propagate' | 'static' = 'propagate'): string {
  return `provider "aws" {
  region = "eu-west-2"
}

locals {
  zones   = { a = "eu-west-2a", b = "eu-west-2b" }
  tenants = ${tenantsOf(tenants, protect)}
}

resource "aws_vpc" "provider" {
  cidr_block           = "10.42.0.0/24"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "provider" {
  for_each          = local.zones
  vpc_id            = aws_vpc.provider.id
  availability_zone = each.value
  cidr_block        = cidrsubnet(aws_vpc.provider.cidr_block, 2, index(keys(local.zones), each.key))
}

resource "aws_route_table" "provider" {
  for_each = local.zones
  vpc_id   = aws_vpc.provider.id
}

resource "aws_route_table_association" "provider" {
  for_each       = local.zones
  subnet_id      = aws_subnet.provider[each.key].id
  route_table_id = aws_route_table.provider[each.key].id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.provider.id
  service_name      = "com.amazonaws.eu-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for rt in aws_route_table.provider : rt.id]
}

resource "aws_dx_gateway" "this" {
  name            = "fix-dxgw"
  amazon_side_asn = "64630"
}

resource "aws_sns_topic" "noc" {
  name = "noc-alarms"
}

module "network" {
  source          = "${mod('dx-privatelink-vpc')}"
  name            = "fix-gw"
  vpc_id          = aws_vpc.provider.id
  vpc_cidr        = aws_vpc.provider.cidr_block
  subnet_ids      = [for z in keys(local.zones) : aws_subnet.provider[z].id]
  route_table_ids = { for z, rt in aws_route_table.provider : z => rt.id }
  direct_connect = {
    dx_gateway  = { id = aws_dx_gateway.this.id }
    private_vif = { connection_id = "dxcon-fgexampl", vlan = 101, bgp_asn = 65010, amazon_address = "169.254.100.1/30", customer_address = "169.254.100.2/30" }
    routing     = "${routing}"
  }
  static_targets = ${routing === 'static' ? 'distinct(flatten([for s in module.service : s.target_ips]))' : '[]'}
  monitoring = { create_topic = false, topic_arn = aws_sns_topic.noc.arn }
  tags       = { scope = "vpc" }
}

module "service" {
  source              = "${mod('dx-privatelink-service')}"
  for_each            = local.tenants
  name                = "fix-gw-\${each.key}"
  network             = module.network.network
  allowed_principals  = ["arn:aws:iam::222222222222:root"]
  forwards            = each.value.forwards
  deletion_protection = each.value.protect
  monitoring          = { create_topic = false, topic_arn = aws_sns_topic.noc.arn }
  tags                = { tenant = each.key }
}

resource "aws_vpc" "consumer" {
  cidr_block = "10.1.0.0/24"
}

resource "aws_subnet" "consumer" {
  for_each          = local.zones
  vpc_id            = aws_vpc.consumer.id
  availability_zone = each.value
  cidr_block        = cidrsubnet(aws_vpc.consumer.cidr_block, 2, index(keys(local.zones), each.key))
}

module "consumer" {
  source        = "${mod('dx-privatelink-consumer')}"
  name          = "desk"
  vpc_id        = aws_vpc.consumer.id
  subnet_ids    = [for z in keys(local.zones) : aws_subnet.consumer[z].id]
  allowed_cidrs = [aws_vpc.consumer.cidr_block]
  dns_zone      = "fix.internal"
  services = { for k, s in module.service : k => {
    service_name = s.service_name
    zone_ids     = s.zone_ids
    ports        = s.consumer_ports
  } }
}
`;
}

let tmp: string;
let dir: string;
let aws: FakeAwsProcess;
let first: ReturnType<typeof planJson>;
const env = () => ({ DXPL_FAKE_AWS_URL: aws.url });

const addresses = (plan: ReturnType<typeof planJson>, action: string) =>
  (plan.resource_changes ?? []).filter((c) => c.mode === 'managed' && c.change.actions.includes(action)).map((c) => c.address);

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-same-apply-hcl-'));
  aws = await startFakeAwsProcess();
  dir = path.join(tmp, 'root');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'main.tf'),
    root(['internal', 'clients'], (t) => t === 'internal'),
  );
  writeOfflineProviderOverride(dir, aws.url);
  terraformOk(dir, ['init', '-input=false', '-no-color'], env());
  first = planJson(dir, env(), 'first.plan');
}, 300000);
afterAll(async () => {
  await aws.close();
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
});

describe('a root that builds its own VPC and calls the modules (ids unknown at plan)', () => {
  test('plans: the link once in the VPC module, an NLB, endpoint service and NAT group per tenant, an endpoint per tenant for the consumer', () => {
    const created = addresses(first, 'create');
    const count = (pattern: RegExp) => created.filter((a) => pattern.test(a)).length;
    expect(count(/^module\.network\.aws_dx_private_virtual_interface\./)).toBe(1);
    expect(count(/^module\.network\.aws_dx_gateway_association\./)).toBe(1);
    expect(count(/^module\.network\.aws_vpc_endpoint\./)).toBe(1);
    expect(count(/^module\.network\.aws_flow_log\./)).toBe(2);
    expect(count(/aws_sns_topic\./)).toBe(1);
    for (const tenant of ['internal', 'clients']) {
      expect(count(new RegExp(`^module\\.service\\["${tenant}"\\]\\.aws_lb\\.`))).toBe(1);
      expect(count(new RegExp(`^module\\.service\\["${tenant}"\\]\\.aws_vpc_endpoint_service\\.`))).toBe(1);
      expect(count(new RegExp(`^module\\.service\\["${tenant}"\\]\\.aws_autoscaling_group\\.`))).toBe(1);
      expect(count(new RegExp(`^module\\.consumer\\.aws_vpc_endpoint\\.endpoint\\["${tenant}"\\]`))).toBe(1);
    }
    expect(
      count(/^module\.service\[[^\]]+\]\.aws_dx_|^module\.service\[[^\]]+\]\.aws_vpn_gateway|^module\.service\[[^\]]+\]\.aws_flow_log/),
    ).toBe(0);
  });

  test('tags: each tenant’s own on its resources, over the provider’s defaults', () => {
    const lb = (first.planned_values?.root_module?.child_modules ?? [])
      .flatMap((m: { resources?: { address: string; values: Record<string, unknown> }[] }) => m.resources ?? [])
      .find((r: { address: string }) => r.address === 'module.service["clients"].aws_lb.nlb');
    expect(lb?.values.tags).toMatchObject({ tenant: 'clients', Name: 'fix-gw-clients-nlb' });
  });
});

/** The same calls in an existing VPC (literal ids), so that its apply can be modelled offline. */
function existingVpcRoot(tenants: string[], protect: (tenant: string) => boolean): string {
  const offered =
    '{ for k, s in module.service : k => { service_name = s.service_name, zone_ids = s.zone_ids, ports = s.consumer_ports } }';
  return `locals {
  tenants = ${tenantsOf(tenants, protect)}
}

${networkModule()}

${services}

${consumerModule('consumer', '["10.1.0.0/24"]', '"fix.internal"', offered)}`;
}

test('static routes fed by the service modules’ target_ips, while they take the network output: no cycle, one route per route table and public target', () => {
  const statics = path.join(tmp, 'static');
  mkdirSync(statics);
  writeFileSync(
    path.join(statics, 'main.tf'),
    root(['internal', 'clients'], () => false, 'static'),
  );
  writeOfflineProviderOverride(statics, aws.url);
  terraformOk(statics, ['init', '-input=false', '-no-color'], env());
  const plan = planJson(statics, env(), 'static.plan');
  const routes = addresses(plan, 'create').filter((a) => a.startsWith('module.network.aws_route.'));
  // 2 route tables x the 3 distinct targets of both tenants.
  expect(routes).toHaveLength(6);
}, 300000);

describe('removing one tenant of a for_each, planned against the applied state', () => {
  test('destroys only that tenant’s resources, its consumer endpoint and DNS name; a protected tenant is refused', async () => {
    const existing = path.join(tmp, 'existing');
    moduleRoot(
      existing,
      existingVpcRoot(['internal', 'clients'], (t) => t === 'internal'),
    );
    writeOfflineProviderOverride(existing, aws.url);
    terraformOk(existing, ['init', '-input=false', '-no-color'], env());
    const deployed = await applyFromPlan(existing, planJson(existing, env(), 'first.plan'), env());
    const settled = settle(existing, deployed, { env: env() });
    expect(settled.plan.resource_changes?.filter((c) => !isNoOp(c.change.actions))).toEqual([]);
    moduleRoot(
      existing,
      existingVpcRoot(['internal'], () => true),
    );
    writeOfflineProviderOverride(existing, aws.url);
    const removal = planJson(existing, env(), 'removal.plan');
    const changed = (removal.resource_changes ?? []).filter((c) => c.mode === 'managed' && !isNoOp(c.change.actions));
    const outside = changed.filter(
      (c) =>
        !c.address.startsWith('module.service["clients"]') && !/^module\.consumer\..*\["(clients[^"]*|broker-b-fix)"\]/.test(c.address),
    );
    expect(outside.map((c) => `${c.address} ${c.change.actions.join(',')}`)).toEqual([]);
    expect(changed.every((c) => c.change.actions.join(',') === 'delete')).toBe(true);
    expect(changed.some((c) => c.address === 'module.service["clients"].aws_vpc_endpoint_service.service')).toBe(true);
    expect(changed.some((c) => c.address.startsWith('module.network.'))).toBe(false);
    // A protected tenant is refused: its guard cannot be destroyed.
    moduleRoot(
      existing,
      existingVpcRoot(['clients'], () => true),
    );
    writeOfflineProviderOverride(existing, aws.url);
    const refused = terraform(existing, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false'], env());
    expect(refused.status).not.toBe(0);
    expect(refused.stderr.replace(/\s+/g, ' ')).toContain(
      'module.service["internal"].terraform_data.service_guard[0] has lifecycle.prevent_destroy',
    );
  }, 600000);
});
