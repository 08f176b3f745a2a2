import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/load';
import { generate } from '../modules/generate';
import { examplePlan } from './support/example';
import { ROOT } from './support/cli';
import { FakeAws, fakeSubnetOf, startFakeAws } from './support/fake-aws';
import {
  Plan,
  TfResult,
  planInParallel,
  readPlan,
  resourcesOfType,
  terraformAsync,
  writeOfflineProviderOverride,
} from './support/terraform';

// The generated modules, called from HCL roots outside this repository
// (copies of examples/ with the module source made absolute), planned by
// real Terraform against the real AWS provider, offline.

let tmp: string;
const plans: Record<string, Plan> = {};

/** Copies examples/<name> out of the repository and points its module sources at modules/. */
function externalRoot(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(path.join(ROOT, 'examples', name), dir, { recursive: true });
  const main = path.join(dir, 'main.tf');
  writeFileSync(main, readFileSync(main, 'utf8').replaceAll('"../../modules/', `"${path.join(ROOT, 'modules')}/`));
  writeOfflineProviderOverride(dir);
  return dir;
}

function hclForwards(forwards: Record<string, { listen_port: number; target_ip: string; target_port: number }>): string {
  return `{\n${Object.entries(forwards)
    .map(([k, f]) => `    "${k}" = { listen_port = ${f.listen_port}, target_ip = "${f.target_ip}", target_port = ${f.target_port} }`)
    .join('\n')}\n  }`;
}

const PRIVATE_VIF = `{
    private_vif = { connection_id = "dxcon-fgexampl", vlan = 101, bgp_asn = 65010, amazon_address = "169.254.100.1/30", customer_address = "169.254.100.2/30" }
  }`;

/** A root directory with an AWS provider (offline) and one module call, written as HCL. */
function moduleRoot(dir: string, moduleBlock: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {\n  region = "eu-west-2"\n}\n\n${moduleBlock}\n`);
  writeOfflineProviderOverride(dir);
}

/** A root calling the service module with the given forwards (and Direct Connect, NAT fleet inputs). */
function serviceRoot(dir: string, forwards: string, directConnect = PRIVATE_VIF, natFleet = '{}'): void {
  moduleRoot(
    dir,
    `module "service" {
  source             = "${path.join(ROOT, 'modules', 'dx-privatelink-service')}"
  name               = "fix-gw-internal"
  vpc_id             = "vpc-0123456789abcdef0"
  vpc_cidr           = "10.42.0.0/24"
  subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  route_table_ids    = { a = "rtb-0aaaaaaaaaaaaaaaa" }
  s3_prefix_list_id  = "pl-7ca54015"
  allowed_principals = ["arn:aws:iam::222222222222:root"]
  forwards           = ${forwards}
  direct_connect     = ${directConnect}
  nat_fleet          = ${natFleet}
}`,
  );
}

/** A root calling the consumer module with the given allowed_cidrs and dns_zone (HCL). */
function consumerRoot(
  dir: string,
  allowedCidrs: string,
  dnsZone: string,
  services = '{ clients-0 = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0", ports = { a = 9002 } } }',
): void {
  moduleRoot(
    dir,
    `module "consumer" {
  source        = "${path.join(ROOT, 'modules', 'dx-privatelink-consumer')}"
  name          = "acme"
  vpc_id        = "vpc-0333333333333333a"
  subnet_ids    = ["subnet-0333333333333333a"]
  allowed_cidrs = ${allowedCidrs}
  dns_zone      = ${dnsZone}
  services      = ${services}
}`,
  );
}

/**
 * An input a variable validation must refuse, in root `root`: one plan
 * checks a root's inputs together. Terraform skips the validations of a
 * variable that reads another invalid one (nat_fleet reads forwards), so a
 * root holds bad values of independent variables only.
 */
interface BadInput {
  readonly what: string;
  readonly root: string;
  readonly variable: string;
  readonly message: string;
  readonly forwards?: string;
  readonly directConnect?: string;
  readonly natFleet?: string;
  readonly allowedCidrs?: string;
  readonly dnsZone?: string;
  readonly services?: string;
}

const BAD_INPUTS: BadInput[] = [
  {
    what: 'a duplicate listen port',
    root: 'bad-1',
    forwards: `{\n    a = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 1 }\n    b = { listen_port = 9001, target_ip = "192.0.2.11", target_port = 2 }\n  }`,
    variable: 'var.forwards',
    message: 'forwards: has duplicate listen_port values (got [9001,9001]); give every entry its own listen_port',
  },
  {
    what: 'a target that is not IPv4',
    root: 'bad-2',
    forwards: `{\n    a = { listen_port = 9001, target_ip = "broker.example.com", target_port = 1 }\n  }`,
    variable: 'var.forwards',
    message:
      'forwards["a"].target_ip: is not an IPv4 address (got "broker.example.com"); write the target as a dotted-quad IPv4 address such as 192.0.2.10 (no host names, no prefix length)',
  },
  {
    what: 'a listen port out of range',
    root: 'bad-3',
    forwards: `{\n    a = { listen_port = 70000, target_ip = "192.0.2.10", target_port = 1 }\n  }`,
    variable: 'var.forwards',
    message: 'forwards["a"].listen_port: is out of range (got 70000); use a TCP port from 1 to 65535',
  },
  {
    what: 'VIF peers on the same address',
    root: 'bad-1',
    directConnect: PRIVATE_VIF.replace('169.254.100.2/30', '169.254.100.1/30'),
    variable: 'var.direct_connect',
    message: 'direct_connect.private_vif.customer_address: is the same address as amazon_address (got "169.254.100.1/30")',
  },
  {
    what: 'a public VIF peer address',
    root: 'bad-2',
    directConnect: PRIVATE_VIF.replace('169.254.100.1/30', '198.51.100.1/30'),
    variable: 'var.direct_connect',
    message: 'direct_connect.private_vif.amazon_address: is not a link-local or private address (got "198.51.100.1/30")',
  },
  {
    what: 'an x86 instance type on arm64',
    root: 'bad-5',
    natFleet: '{ instance_type = "c6i.large" }',
    variable: 'var.nat_fleet',
    message: 'nat_fleet.instance_type: does not match nat_fleet.architecture (got "c6i.large")',
  },
  {
    what: 'an instance type with a newline',
    root: 'bad-6',
    natFleet: '{ instance_type = "t4g.small\\n" }',
    variable: 'var.nat_fleet',
    message: 'nat_fleet.instance_type: is not an EC2 instance type (got "t4g.small\\n")',
  },
  {
    what: 'consumer allowed_cidrs that together cover all of IPv4',
    root: 'bad-consumer',
    allowedCidrs: '["0.0.0.0/1", "128.0.0.0/1"]',
    variable: 'var.allowed_cidrs',
    message: 'allowed_cidrs: admits every IPv4 address (got ["0.0.0.0/1","128.0.0.0/1"])',
  },
  {
    what: 'a consumer DNS zone inside amazonaws.com',
    root: 'bad-consumer',
    dnsZone: '"eu-west-2.amazonaws.com"',
    variable: 'var.dns_zone',
    message: 'dns_zone: is an AWS-owned domain, or a parent or child of one (got "eu-west-2.amazonaws.com")',
  },
  {
    what: 'more NLB targets than 500: 50 public forwards × 11 NAT instances',
    root: 'bad-4',
    forwards: `{\n${Array.from({ length: 50 }, (_, i) => `    f${i} = { listen_port = ${10000 + i}, target_ip = "203.0.113.${i + 1}", target_port = 5000 }`).join('\n')}\n  }`,
    natFleet: '{ min_size = 2, max_size = 11 }',
    variable: 'var.nat_fleet',
    message: "nat_fleet.max_size: makes the NLB's targets (NAT target groups × instances + IP targets) exceed the 500 per cross-zone NLB",
  },
  {
    what: 'more allowed CIDRs than rules per security group',
    root: 'bad-consumer-2',
    allowedCidrs: JSON.stringify(Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`)),
    variable: 'Invalid value for variable',
    message: 'allowed_cidrs: needs one rule per CIDR in each endpoint security group, more than quotas.security_group_rules_per_direction',
  },
  {
    what: 'more endpoint services than interface endpoints per VPC',
    root: 'bad-consumer-3',
    services: `{\n${Array.from({ length: 51 }, (_, i) => `    s${i} = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0${i}", ports = { f${i} = ${10000 + i} } }`).join('\n')}\n  }`,
    variable: 'Invalid value for variable',
    message: 'services: needs one interface endpoint each, more than quotas.interface_endpoints_per_vpc',
  },
];
let badPlans: Record<string, TfResult> = {};

const FORWARDS_OF_INTERNAL = (() => {
  const config = loadConfig();
  const internal = config.tenants!.find((t) => t.name === 'internal')!;
  return Object.fromEntries(config.forwards.filter((f) => internal.forwards.includes(f.name)).map((f) => [f.name, f]));
})();

// The example roots, the agreement root and the init of the root for bad
// inputs run in parallel, each in its own process.
let aws: FakeAws;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-modules-'));
  aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
  process.env.DXPL_FAKE_AWS_URL = aws.url;
  serviceRoot(path.join(tmp, 'agreement'), hclForwards(FORWARDS_OF_INTERNAL));
  // The Direct Connect options the examples do not show, through the module.
  serviceRoot(
    path.join(tmp, 'hosted-static'),
    hclForwards(FORWARDS_OF_INTERNAL),
    `{ hosted_vif_id = "dxvif-ffhhk74f", dx_gateway_id = "5f1c4e1e-0000-4000-8000-000000000000", routing = "static" }`,
    '{ instance_type = "c6in.large", architecture = "x86_64" }',
  );
  serviceRoot(
    path.join(tmp, 'existing-vgw'),
    hclForwards(FORWARDS_OF_INTERNAL),
    `{ existing_vgw_id = "vgw-0123456789abcdef0", attach_existing_vgw = true, private_vif = { connection_id = "dxcon-fgexampl", vlan = 101, bgp_asn = 65010, amazon_address = "169.254.7.0/31", customer_address = "169.254.7.1/31", mtu = 9001 } }`,
  );
  const roots = {
    'provider-account': externalRoot('provider-account'),
    'consumer-account': externalRoot('consumer-account'),
    agreement: path.join(tmp, 'agreement'),
    'hosted-static': path.join(tmp, 'hosted-static'),
    'existing-vgw': path.join(tmp, 'existing-vgw'),
  };
  const planned = planInParallel(
    Object.entries(roots).map(([name, dir]) => ({ dir, base: path.join(tmp, name) })),
    aws,
  );
  // Bad inputs: a few roots, each with several bad variables, planned at once.
  const badRoots = [...new Set(BAD_INPUTS.map((b) => b.root))];
  for (const root of badRoots) {
    const dir = path.join(tmp, root);
    const inputs = BAD_INPUTS.filter((b) => b.root === root);
    const pick = (k: keyof BadInput) => inputs.find((b) => b[k] !== undefined)?.[k] as string | undefined;
    if (root.startsWith('bad-consumer'))
      consumerRoot(dir, pick('allowedCidrs') ?? '["10.0.0.0/8"]', pick('dnsZone') ?? 'null', pick('services'));
    else serviceRoot(dir, pick('forwards') ?? hclForwards(FORWARDS_OF_INTERNAL), pick('directConnect'), pick('natFleet'));
  }
  const results = await Promise.all(
    badRoots.map(async (root) => {
      const dir = path.join(tmp, root);
      await terraformAsync(dir, ['init', '-input=false', '-no-color']);
      return [root, await terraformAsync(dir, ['plan', '-input=false', '-no-color', '-refresh=false'])] as const;
    }),
  );
  badPlans = Object.fromEntries(results);
  await planned;
  for (const name of Object.keys(roots)) plans[name] = readPlan(path.join(tmp, name));
});
afterAll(async () => {
  delete process.env.DXPL_FAKE_AWS_URL;
  await aws.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('generated modules', () => {
  test('are current: regenerating them changes nothing', () => {
    expect(generate(true)).toEqual([]);
  });

  test('provider-account example: one NLB, service and NAT fleet per tenant, keyed by forward name', () => {
    const addresses = plans['provider-account'].resources.map((r) => r.address);
    for (const name of ['broker-a-fix', 'clearing-api']) {
      expect(addresses).toContain(`module.service["internal"].aws_lb_listener.nlb_listener["${name}"]`);
      expect(addresses).toContain(`module.service["internal"].aws_lb_target_group.nlb_target_group["${name}"]`);
    }
    expect(addresses).toContain('module.service["clients"].aws_lb_listener.nlb_listener["broker-b-fix"]');
    expect(addresses.filter((a) => a.startsWith('module.service["clients"].aws_lb_listener'))).toHaveLength(1);
    expect(addresses).toContain('module.service["internal"].aws_lb_target_group_attachment.nlb_direct_target["clearing-api"]');
    expect(resourcesOfType(plans['provider-account'], 'aws_vpc_endpoint_service')).toHaveLength(2);
    expect(resourcesOfType(plans['provider-account'], 'aws_autoscaling_group')).toHaveLength(2);
  });

  test('provider-account example: only the internal tenant attaches Direct Connect', () => {
    const addresses = plans['provider-account'].resources.map((r) => r.address);
    expect(addresses).toContain('module.service["internal"].aws_vpn_gateway.direct_connect_vgw[0]');
    expect(addresses).toContain('module.service["internal"].aws_dx_private_virtual_interface.direct_connect_private_vif[0]');
    expect(addresses).toContain(
      'module.service["internal"].aws_vpn_gateway_route_propagation.direct_connect_route_propagation["eu-west-2a"]',
    );
    expect(addresses.filter((a) => a.startsWith('module.service["clients"]') && a.includes('direct_connect'))).toEqual([]);
  });

  test('provider-account example: acceptance and principals per tenant; NAT rules rendered from the module template', () => {
    const services = Object.fromEntries(
      resourcesOfType(plans['provider-account'], 'aws_vpc_endpoint_service').map((r) => [r.address, r.values]),
    );
    expect(services['module.service["internal"].aws_vpc_endpoint_service.service']).toMatchObject({
      acceptance_required: false,
      allowed_principals: ['arn:aws:iam::222222222222:root'],
    });
    expect(services['module.service["clients"].aws_vpc_endpoint_service.service'].acceptance_required).toBe(true);
    const [rules] = resourcesOfType(plans['provider-account'], 'aws_s3_object').filter((r) => r.address.includes('"clients"'));
    expect(rules.values).toMatchObject({ key: 'nat/fix-gw-clients-nat.nft', content_type: 'text/plain' });
    expect(rules.values.content).toContain('fib daddr type local tcp dport 9002 dnat to 198.51.100.20:4500 comment "broker-b-fix"');
    expect(rules.values.content).not.toContain('192.0.2.10');
  });

  test('consumer-account example: an endpoint, port-only ingress from the listed CIDRs, one DNS name per forward', () => {
    const plan = plans['consumer-account'];
    expect(resourcesOfType(plan, 'aws_vpc_endpoint').map((r) => r.address)).toEqual([
      'module.consumer.aws_vpc_endpoint.endpoint["clients-0"]',
    ]);
    const rules = resourcesOfType(plan, 'aws_vpc_security_group_ingress_rule').map((r) => [
      r.index,
      r.values.from_port,
      r.values.cidr_ipv4,
    ]);
    expect(rules.sort()).toEqual([
      ['clients-0 10.0.0.0/24 9002-9002', 9002, '10.0.0.0/24'],
      ['clients-0 10.0.8.0/24 9002-9002', 9002, '10.0.8.0/24'],
    ]);
    expect(resourcesOfType(plan, 'aws_route53_record').map((r) => r.values.name)).toEqual(['broker-b-fix.brokers.internal']);
  });

  test('hosted VIF through a Direct Connect gateway, static routes, an x86_64 fleet', () => {
    const plan = plans['hosted-static'];
    expect(resourcesOfType(plan, 'aws_dx_hosted_private_virtual_interface_accepter').map((r) => r.values)).toEqual([
      expect.objectContaining({ virtual_interface_id: 'dxvif-ffhhk74f', dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000' }),
    ]);
    expect(resourcesOfType(plan, 'aws_dx_gateway_association')).toHaveLength(1);
    expect(
      resourcesOfType(plan, 'aws_route')
        .map((r) => r.values.destination_cidr_block)
        .sort(),
    ).toEqual(['172.20.5.15/32', '192.0.2.10/32', '198.51.100.20/32']);
    expect(resourcesOfType(plan, 'aws_launch_template')[0].values.image_id).toMatch(/x86_64$/);
  });

  test('an existing VGW attached by the module, a /31 jumbo-frame VIF, propagated routes', () => {
    const plan = plans['existing-vgw'];
    expect(resourcesOfType(plan, 'aws_vpn_gateway')).toHaveLength(0);
    expect(resourcesOfType(plan, 'aws_vpn_gateway_attachment').map((r) => r.values)).toEqual([
      expect.objectContaining({ vpc_id: 'vpc-0123456789abcdef0', vpn_gateway_id: 'vgw-0123456789abcdef0' }),
    ]);
    expect(resourcesOfType(plan, 'aws_dx_private_virtual_interface')[0].values).toMatchObject({
      mtu: 9001,
      vpn_gateway_id: 'vgw-0123456789abcdef0',
    });
    expect(resourcesOfType(plan, 'aws_vpn_gateway_route_propagation')).toHaveLength(1);
  });

  test('module and cdktf stack agree: same resource types and per-forward keys for the same forwards', () => {
    // GIVEN the example config's "internal" tenant forwards, through the module
    const forwards = FORWARDS_OF_INTERNAL;
    const viaModule = plans.agreement;
    const cdktf = examplePlan('provider');
    // WHEN per-forward resources are listed as "type[forward]"
    const names = new Set(Object.keys(forwards));
    const perForward = (plan: Plan, skip: (address: string) => boolean) =>
      plan.resources
        .filter((r) => typeof r.index === 'string' && names.has(r.index) && !skip(r.address))
        .map((r) => `${r.type}[${r.index}]`)
        .sort();
    // THEN they are the same (the cdktf stack's other tenant left out)
    // (the cdktf stack's other tenant left out: its NLB and its rules into the shared NAT fleet)
    expect(perForward(viaModule, () => false)).toEqual(perForward(cdktf, (a) => a.includes('tenant_clients') || a.includes('_clients_0[')));
    // and the resource types differ only by what the cdktf stack adds
    const types = (plan: Plan) => new Set(plan.resources.map((r) => r.type));
    const onlyCdktf = [...types(cdktf)].filter((t) => !types(viaModule).has(t)).sort();
    const onlyModule = [...types(viaModule)].filter((t) => !types(cdktf).has(t)).sort();
    expect({ onlyCdktf, onlyModule }).toEqual({
      // the VPC the cdktf stack creates (both publish NAT rules to S3; the stack also a consumer handoff)
      onlyCdktf: ['aws_route_table', 'aws_route_table_association', 'aws_subnet', 'aws_vpc', 'aws_vpc_endpoint'],
      onlyModule: [],
    });
  });

  test.each(BAD_INPUTS.map((b) => [b.what, b]))('variable validation fires on %s, naming the variable', (_what, bad) => {
    const r = badPlans[bad.root];
    expect(r.status).toBe(1);
    const stderr = r.stderr.replace(/\s*\n\s*/g, ' ');
    expect(stderr).toContain('Error: Invalid value for variable');
    expect(stderr).toContain(bad.variable);
    expect(stderr).toContain(bad.message);
  });
});
