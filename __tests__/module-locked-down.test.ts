/**
 * The modules in a locked-down account: a root calls the VPC, service and
 * consumer modules with every locked-down input set (a permissions boundary
 * and path, a customer managed key, the account's own security groups, an
 * existing hosted zone), planned with the real provider and applied offline
 * (applied-state.ts) for the values only an apply knows. The same options
 * through the config file (variant v-locked) are planned beside it: module
 * and cdktf stack must set the same values. Each bad input fails the plan
 * with one message naming the field, the value and the fix.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { Deployed, PlanJson, applyFromPlan } from './support/applied-state';
import { moduleDocument } from '../modules/generate';
import { ROOT, runMain } from './support/cli';
import { FakeAws, fakeSubnetOf, startFakeAws } from './support/fake-aws';
import { consumerModule, forwardsOfTenant, hclForwards, moduleRoot, networkModule, serviceModule } from './support/module-roots';
import { fakeHandoffObjects } from './support/state';
import { Plan, PlanResource, TfResult, planInParallel, readPlan, terraformAsync } from './support/terraform';
import {
  BOUNDARY,
  IAM_PATH,
  KEY,
  LOCKED_CONFIG,
  NAT_SGS,
  NLB_SGS,
  ZONE_ID,
  hcl,
  lockedConsumerModule,
  lockedNetworkModule,
  lockedServiceModule,
  relabel,
  withArgs,
} from './support/module-locked-down';

const LOCKED_ROOT = [
  lockedNetworkModule(),
  lockedServiceModule('service'),
  // Nothing set: as before the options.
  serviceModule('plain', hclForwards(forwardsOfTenant('clients'))),
  lockedConsumerModule('consumer'),
  relabel(consumerModule('consumer', '["10.1.0.0/16"]', '"fix.internal"'), 'plain_consumer'),
  `output "consumer_zone" {\n  value = module.consumer.hosted_zone_id\n}`,
].join('\n\n');

/**
 * A bad value of each input, with the one message that must refuse it, in
 * root `cross` when its validation reads another variable (Terraform checks
 * those only once every other variable is valid).
 */
const BAD: { what: string; variable: string; message: string; cross?: true }[] = [
  {
    what: 'a boundary that is a name, not an ARN',
    variable: 'var.iam',
    message:
      'iam.permissions_boundary: is not the ARN of an IAM managed policy (got "dx-boundary"); use the ARN of the boundary policy, such as arn:aws:iam::111111111111:policy/dx-boundary',
  },
  {
    what: 'a key alias',
    variable: 'var.kms_key_arn',
    message: `kms_key_arn: is not the ARN of a KMS key (got "arn:aws:kms:eu-west-2:111111111111:alias/dx"); use the key ARN of a symmetric customer managed key`,
  },
  {
    what: 'a path without slashes',
    variable: 'var.iam',
    message:
      'iam.path: is not an IAM path (got "network"); use / or a path that starts and ends with /, such as /network/ (at most 512 characters, no spaces)',
  },
  {
    what: 'a key id',
    variable: 'var.kms_key_arn',
    message: 'kms_key_arn: is not the ARN of a KMS key (got "1234abcd-12ab-34cd-56ef-1234567890ab")',
  },
  {
    what: 'a NAT security group that is a name',
    variable: 'var.nat_fleet',
    message:
      'nat_fleet.security_group_ids[1]: is not a security group id (got "default"); use a security group id such as sg-0123456789abcdef0',
  },
  {
    what: 'an NLB security group listed twice',
    variable: 'var.nlb_security_group_ids',
    message: `nlb_security_group_ids: lists a security group more than once (got ["${NLB_SGS[0]}","${NLB_SGS[0]}"]); list each group once`,
  },
  {
    what: 'more NAT security groups than a network interface takes beside the fleet’s',
    variable: 'var.nat_fleet',
    cross: true,
    message:
      "nat_fleet.security_group_ids: has 5 security groups, and with the fleet's own group the instances would need 6, above the 5 security groups per network interface (got 5); list at most 4, or raise the quota (Service Quotas L-2AFB9258) and set quotas.security_groups_per_network_interface",
  },
  {
    what: 'a hosted zone id with its /hostedzone/ prefix',
    variable: 'var.dns_zone_id',
    message: `dns_zone_id: is not a Route 53 hosted zone id (got "/hostedzone/${ZONE_ID}"); use the id of the private hosted zone, such as Z0123456789ABCDEFGHIJ (without /hostedzone/)`,
  },
  {
    what: 'a hosted zone id without dns_zone',
    variable: 'var.dns_zone_id',
    cross: true,
    message: `dns_zone_id: is given without dns_zone (got "${ZONE_ID}"); set dns_zone to the name of that zone (the records are <forward>.<dns_zone>), or remove dns_zone_id`,
  },
];

const FIVE_SGS = ['1', '2', '3', '4', '5'].map((d) => `sg-0${d.repeat(16)}`);
const FORWARDS = hclForwards(forwardsOfTenant('internal'));
// One root for the validations that read their own variable only, one for those that read others.
const BAD_ROOTS: Record<'plain' | 'cross', string> = {
  plain: [
    networkModule(),
    relabel(
      networkModule(
        undefined,
        `  iam         = { permissions_boundary = "dx-boundary" }\n  kms_key_arn = "arn:aws:kms:eu-west-2:111111111111:alias/dx"`,
      ),
      'bad_network',
    ),
    serviceModule(
      'bad_service',
      FORWARDS,
      `{ security_group_ids = ["${NAT_SGS[0]}", "default"] }`,
      `  iam                    = { path = "network" }\n  kms_key_arn            = "1234abcd-12ab-34cd-56ef-1234567890ab"\n  nlb_security_group_ids = ${hcl([NLB_SGS[0], NLB_SGS[0]])}`,
    ),
    withArgs(consumerModule('bad_zone_id', '["10.1.0.0/16"]', '"fix.internal"'), `  dns_zone_id = "/hostedzone/${ZONE_ID}"`),
  ].join('\n\n'),
  cross: [
    networkModule(),
    serviceModule('bad_quota', FORWARDS, `{ security_group_ids = ${hcl(FIVE_SGS)} }`),
    // The same groups once the quota is raised: no error.
    serviceModule(
      'raised_quota',
      FORWARDS,
      `{ security_group_ids = ${hcl(FIVE_SGS)} }`,
      '  quotas = { security_groups_per_network_interface = 6 }',
    ),
    withArgs(consumerModule('zone_id_alone', '["10.1.0.0/16"]', 'null'), `  dns_zone_id = "${ZONE_ID}"`),
  ].join('\n\n'),
};

let tmp: string;
let aws: FakeAws;
let modulePlan: Plan;
let applied: Deployed;
const stackPlans: Record<string, Plan> = {};
let providerJson: Record<string, any>;
const bad = {} as Record<'plain' | 'cross', TfResult>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-locked-'));
  aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
  process.env.DXPL_FAKE_AWS_URL = aws.url;
  const env = { DXPL_FAKE_AWS_URL: aws.url };
  moduleRoot(path.join(tmp, 'locked'), LOCKED_ROOT);
  for (const [name, root] of Object.entries(BAD_ROOTS)) moduleRoot(path.join(tmp, `bad-${name}`), root);
  // The same options through the config file and the cdktf stacks.
  const file = path.join(tmp, 'v-locked.yaml');
  writeFileSync(file, stringify(LOCKED_CONFIG));
  const r = runMain([file, '--out', path.join(tmp, 'cdktf.out'), '--quiet'], tmp);
  if (r.status !== 0) throw new Error(`v-locked: synth failed: ${r.stderr}`);
  const stackDir = (stack: string) => path.join(tmp, 'cdktf.out', 'stacks', stack);
  providerJson = JSON.parse(readFileSync(path.join(stackDir('provider'), 'cdk.tf.json'), 'utf8'));
  for (const [key, body] of fakeHandoffObjects(providerJson)) aws.objects.set(key, body);

  const badPlans = (['plain', 'cross'] as const).map(async (name) => {
    const dir = path.join(tmp, `bad-${name}`);
    await terraformAsync(dir, ['init', '-input=false', '-no-color'], env);
    bad[name] = await terraformAsync(dir, ['plan', '-input=false', '-no-color', '-refresh=false'], env);
  });
  const jobs = [
    { dir: path.join(tmp, 'locked'), base: path.join(tmp, 'locked-plan') },
    ...['provider', 'consumer-desk-eu'].map((stack) => ({ dir: stackDir(stack), base: path.join(tmp, `${stack}-plan`) })),
  ];
  await planInParallel(jobs, aws, { validate: false });
  modulePlan = readPlan(jobs[0].base);
  for (const stack of ['provider', 'consumer-desk-eu']) stackPlans[stack] = readPlan(path.join(tmp, `${stack}-plan`));
  await Promise.all(badPlans);
  applied = await applyFromPlan(path.join(tmp, 'locked'), modulePlan.json as unknown as PlanJson, env);
}, 600000);
afterAll(async () => {
  delete process.env.DXPL_FAKE_AWS_URL;
  await aws?.close();
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
});

/** Planned resources of `type` in the module calls `calls`. */
const planned = (type: string, ...calls: string[]): PlanResource[] =>
  modulePlan.resources.filter((r) => r.type === type && calls.some((c) => r.address.startsWith(`module.${c}.`)));
/** Applied values of `address`. */
const after = (address: string): Record<string, any> => {
  const found = applied.resources.get(address);
  if (!found) throw new Error(`${address} is not in the applied state`);
  return found.values;
};
const LOCKED_CALLS = ['network', 'service'];

describe('the modules with every locked-down input', () => {
  test('every IAM role takes the boundary and path, the NAT instance profile the path', () => {
    const roles = planned('aws_iam_role', ...LOCKED_CALLS);
    expect(roles.map((r) => r.address).sort()).toEqual([
      'module.network.aws_iam_role.flow_logs_role[0]',
      'module.service.aws_iam_role.nat_role',
    ]);
    for (const r of roles) expect(r.values).toMatchObject({ permissions_boundary: BOUNDARY, path: IAM_PATH });
    expect(planned('aws_iam_instance_profile', 'service').map((r) => r.values.path)).toEqual([IAM_PATH]);
  });

  test('the key encrypts the flow-log group, both alarm topics, the rules bucket (SSE-KMS, Bucket Key) and the NAT root volumes', () => {
    expect(planned('aws_cloudwatch_log_group', ...LOCKED_CALLS).map((r) => r.values.kms_key_id)).toEqual([KEY]);
    expect(planned('aws_sns_topic', ...LOCKED_CALLS).map((r) => [r.address, r.values.kms_master_key_id])).toEqual([
      ['module.network.aws_sns_topic.monitoring_topic_topic[0]', KEY],
      ['module.service.aws_sns_topic.monitoring_topic_topic[0]', KEY],
    ]);
    expect(planned('aws_s3_bucket_server_side_encryption_configuration', 'service').map((r) => r.values.rule)).toEqual([
      [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: KEY, sse_algorithm: 'aws:kms' }], bucket_key_enabled: true }],
    ]);
    const [template] = planned('aws_launch_template', 'service');
    expect((template.values.block_device_mappings as any[])[0].ebs[0]).toMatchObject({ encrypted: 'true', kms_key_id: KEY });
  });

  test('the NAT role may decrypt its rules objects with the key', () => {
    const policy = JSON.parse(after('module.service.aws_iam_role_policy.nat_rules_access').policy);
    const bucket = after('module.service.aws_s3_bucket.nat_rules_bucket').arn;
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'DecryptOwnRules')).toEqual({
      Sid: 'DecryptOwnRules',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY,
      Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/*`] } },
    });
  });

  test("the NAT launch template and the NLB carry the account's groups beside their own", () => {
    const own = (address: string) => after(address).id as string;
    expect([...after('module.service.aws_launch_template.nat_launch_template').vpc_security_group_ids].sort()).toEqual(
      [own('module.service.aws_security_group.nat_sg'), ...NAT_SGS].sort(),
    );
    expect([...after('module.service.aws_lb.nlb').security_groups].sort()).toEqual(
      [own('module.service.aws_security_group.nlb_sg'), ...NLB_SGS].sort(),
    );
  });

  test('the consumer creates no zone: its records go into the given zone, which is its hosted_zone_id output', () => {
    expect(planned('aws_route53_zone', 'consumer')).toEqual([]);
    const records = planned('aws_route53_record', 'consumer');
    expect(records.map((r) => [r.values.name, r.values.zone_id])).toEqual([['a.fix.internal', ZONE_ID]]);
    expect(modulePlan.json.planned_values.outputs?.consumer_zone?.value).toBe(ZONE_ID);
  });

  test('without them, nothing changes: no boundary, path /, S3-managed keys, only their own groups, a zone created', () => {
    for (const r of planned('aws_iam_role', 'plain')) expect(r.values).toMatchObject({ permissions_boundary: null, path: '/' });
    expect(planned('aws_sns_topic', 'plain').map((r) => r.values.kms_master_key_id)).toEqual([null]);
    const [sse] = planned('aws_s3_bucket_server_side_encryption_configuration', 'plain').map((r) => (r.values.rule as any[])[0]);
    expect(sse).toMatchObject({ apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }], bucket_key_enabled: null });
    // (The provider plans an unset key as "".)
    expect(sse.apply_server_side_encryption_by_default[0].kms_master_key_id || null).toBeNull();
    expect((planned('aws_launch_template', 'plain')[0].values.block_device_mappings as any[])[0].ebs[0].kms_key_id).toBeNull();
    expect(after('module.plain.aws_launch_template.nat_launch_template').vpc_security_group_ids).toEqual([
      after('module.plain.aws_security_group.nat_sg').id,
    ]);
    expect(after('module.plain.aws_lb.nlb').security_groups).toEqual([after('module.plain.aws_security_group.nlb_sg').id]);
    expect(planned('aws_route53_zone', 'plain_consumer')).toHaveLength(1);
    const policy = JSON.parse(after('module.plain.aws_iam_role_policy.nat_rules_access').policy);
    const decrypt = policy.Statement.find((s: { Sid: string }) => s.Sid === 'DecryptOwnRules');
    // A statement for a key that cannot exist (the policy's shape does not depend on the input).
    expect(decrypt?.Resource).toMatch(/^arn:aws:kms:eu-west-2:\d{12}:key\/none$/);
  });
});

describe('module and cdktf stack agree on the locked-down values', () => {
  /** Distinct values of `pick` over the resources of `type`. */
  const distinct = (resources: PlanResource[], pick: (v: Record<string, any>) => unknown) =>
    [...new Set(resources.map((r) => JSON.stringify(pick(r.values))))].sort();
  const inStack = (type: string) => stackPlans.provider.resources.filter((r) => r.type === type);

  test.each([
    ['aws_iam_role', (v: Record<string, any>) => [v.permissions_boundary, v.path]],
    ['aws_iam_instance_profile', (v: Record<string, any>) => v.path],
    ['aws_cloudwatch_log_group', (v: Record<string, any>) => v.kms_key_id],
    ['aws_sns_topic', (v: Record<string, any>) => v.kms_master_key_id],
    ['aws_s3_bucket_server_side_encryption_configuration', (v: Record<string, any>) => v.rule],
    ['aws_launch_template', (v: Record<string, any>) => v.block_device_mappings],
  ] as const)('%s', (type, pick) => {
    const viaModule = distinct(planned(type, ...LOCKED_CALLS), pick);
    expect(viaModule).toHaveLength(1);
    expect(viaModule).toEqual(distinct(inStack(type), pick));
  });

  test("the account's groups follow the resource's own, as in the stack", () => {
    const tail = (ids: string[]) => ids.slice(1);
    const stackTemplate = Object.values<Record<string, any>>(providerJson.resource.aws_launch_template)[0];
    expect(tail(stackTemplate.vpc_security_group_ids)).toEqual(NAT_SGS);
    expect(tail(providerJson.resource.aws_lb.tenant_clients_s0_nlb.security_groups)).toEqual(NLB_SGS);
    const moduleGroups = (address: string, own: string) =>
      (after(address)[address.endsWith('nlb') ? 'security_groups' : 'vpc_security_group_ids'] as string[]).filter(
        (id) => id !== after(own).id,
      );
    expect(
      moduleGroups('module.service.aws_launch_template.nat_launch_template', 'module.service.aws_security_group.nat_sg').sort(),
    ).toEqual([...NAT_SGS].sort());
    expect(moduleGroups('module.service.aws_lb.nlb', 'module.service.aws_security_group.nlb_sg').sort()).toEqual([...NLB_SGS].sort());
  });

  test('the records go into the same existing zone, and neither creates one', () => {
    const desk = stackPlans['consumer-desk-eu'].resources;
    expect(desk.filter((r) => r.type === 'aws_route53_zone')).toEqual([]);
    expect(
      distinct(
        desk.filter((r) => r.type === 'aws_route53_record'),
        (v) => v.zone_id,
      ),
    ).toEqual(distinct(planned('aws_route53_record', 'consumer'), (v) => v.zone_id));
  });
});

describe('bad locked-down inputs', () => {
  test.each(BAD.map((b) => [b.what, b]))('fail the plan on %s, naming the field, the value and the fix', (_what, b) => {
    const r = bad[b.cross ? 'cross' : 'plain'];
    expect(r.status).toBe(1);
    const stderr = r.stderr.replace(/\s*\n\s*/g, ' ');
    expect(stderr).toContain('Error: Invalid value for variable');
    expect(stderr).toContain(b.variable);
    expect(stderr).toContain(b.message);
  });

  test('each once, and nothing else: the raised quota takes five groups', () => {
    for (const name of ['plain', 'cross'] as const) {
      const errors = bad[name].stderr.match(/Error: .*/g) ?? [];
      expect({ name, errors }).toEqual({
        name,
        errors: BAD.filter((b) => (b.cross ? 'cross' : 'plain') === name).map(() => 'Error: Invalid value for variable'),
      });
    }
    expect(bad.cross.stderr).not.toContain('"raised_quota"');
  });
});

describe('the README', () => {
  test('"Locked-down accounts" shows every locked-down input of the modules, each an input of its module', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Locked-down accounts'), readme.indexOf('## Deploy'));
    const block = /```hcl\n([\s\S]*?)```/.exec(section)![1];
    const calls = [...block.matchAll(/^module "[^"]+" \{\n([\s\S]*?)^\}/gm)].map(([, body]) => ({
      module: /source\s*=\s*"\.\.\/\.\.\/modules\/([^"]+)"/.exec(body)![1],
      args: [...body.matchAll(/^ {2}([a-z_]+)\s*=/gm)].map(([, arg]) => arg).filter((a) => a !== 'source' && a !== 'for_each'),
    }));
    for (const { module, args } of calls) {
      const inputs = Object.keys(moduleDocument(module).variable as Record<string, unknown>);
      expect({ module, unknown: args.filter((a) => !inputs.includes(a)) }).toEqual({ module, unknown: [] });
    }
    expect(Object.fromEntries(calls.map((c) => [c.module, c.args]))).toEqual({
      'dx-privatelink-vpc': ['iam', 'kms_key_arn'],
      'dx-privatelink-service': ['iam', 'kms_key_arn', 'nat_fleet', 'nlb_security_group_ids'],
      'dx-privatelink-consumer': ['dns_zone', 'dns_zone_id'],
    });
    expect(block).toContain('security_group_ids =');
  });
});
