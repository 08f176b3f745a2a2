import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../config/load';
import { formatValue } from '../constructs/private/rules';
import { ROOT, runCli, runMain } from './support/cli';
import { exampleObject, exampleWith } from './support/mutate';
import { LOCKED_BOUNDARY, LOCKED_KEY, LOCKED_ZONE_ID, lockedDown } from './support/variants';

// Issue 23, point 6: options for accounts whose guardrails require them.
// Each config key reaches every resource it is for (the real plan of the
// same config is in variants.test.ts, v-locked), and each bad value is
// refused naming the field, the value and the fix.

let tmp: string;
const stacks: Record<string, Record<string, any>> = {};
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-locked-'));
  const config = exampleObject();
  lockedDown(config);
  const file = path.join(tmp, 'locked.yaml');
  writeFileSync(file, stringify(config));
  const r = runMain([file, '--out', path.join(tmp, 'out'), '--quiet'], tmp);
  if (r.status !== 0) throw new Error(r.stderr);
  for (const stack of ['provider', 'consumer-desk-eu', 'consumer-client-globex'])
    stacks[stack] = JSON.parse(readFileSync(path.join(tmp, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const all = (stack: string, type: string) => Object.values<Record<string, any>>(stacks[stack].resource[type] ?? {});

describe('a locked-down account, from the config', () => {
  test('every IAM role and instance profile takes the permissions boundary and path', () => {
    expect(all('provider', 'aws_iam_role')).toHaveLength(2);
    for (const role of all('provider', 'aws_iam_role'))
      expect(role).toMatchObject({ permissions_boundary: LOCKED_BOUNDARY, path: '/network/' });
    for (const profile of all('provider', 'aws_iam_instance_profile')) expect(profile.path).toBe('/network/');
  });

  test('the key encrypts the log group, the alarm topic, both buckets (SSE-KMS, Bucket Key) and the root volumes', () => {
    for (const group of all('provider', 'aws_cloudwatch_log_group')) expect(group.kms_key_id).toBe(LOCKED_KEY);
    expect(all('provider', 'aws_sns_topic').map((t) => t.kms_master_key_id)).toEqual([LOCKED_KEY]);
    const sse = all('provider', 'aws_s3_bucket_server_side_encryption_configuration');
    expect(sse).toHaveLength(2);
    for (const s of sse)
      expect(s.rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: LOCKED_KEY }, bucket_key_enabled: true },
      ]);
    for (const lt of all('provider', 'aws_launch_template'))
      expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', kms_key_id: LOCKED_KEY });
  });

  test("the account's security groups: on the NAT instances, and on every tenant's NLBs (the clients' with one more)", () => {
    for (const lt of all('provider', 'aws_launch_template')) expect(lt.vpc_security_group_ids.slice(1)).toEqual(['sg-0aaaaaaaaaaaaaaaa']);
    const lbs = stacks.provider.resource.aws_lb;
    expect(lbs.tenant_internal_s0_nlb.security_groups.slice(1)).toEqual(['sg-0bbbbbbbbbbbbbbbb']);
    expect(lbs.tenant_clients_s0_nlb.security_groups.slice(1)).toEqual(['sg-0bbbbbbbbbbbbbbbb', 'sg-0cccccccccccccccc']);
  });

  test("desk-eu's records go into its existing zone; client-globex's zone is created as before", () => {
    expect(Object.values(stacks['consumer-desk-eu'].locals)).toContain(LOCKED_ZONE_ID);
    expect(Object.values(stacks['consumer-client-globex'].locals)).not.toContain(LOCKED_ZONE_ID);
  });

  test('the README documents every key', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### The config file'), readme.indexOf('## Deploy'));
    for (const key of [
      '`iam`',
      '`permissions_boundary`',
      '`kms_key_arn`',
      '`security_group_ids`',
      '`nlb_security_group_ids`',
      '`dns_zone_id`',
    ])
      expect({ key, documented: table.includes(key) }).toEqual({ key, documented: true });
    expect(readme).toContain('logs.<region>.amazonaws.com');
    expect(readme).toContain('AWSServiceRoleForAutoScaling');
  });

  test("the README's key policy (### Locked-down accounts) names what the stacks make: the log group, the handoff bucket, the consumers", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Locked-down accounts'), readme.indexOf('## Deploy'));
    const statements = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]) as Record<string, any>[];
    const sid = (s: string) => statements.find((x) => x.Sid === s)!;
    const provider = stacks.provider;
    const [group] = all('provider', 'aws_cloudwatch_log_group');
    const [handoff] = Object.values<Record<string, any>>(provider.resource.aws_s3_bucket).filter((b) => /handoff/.test(b.bucket));
    const config = exampleObject();
    expect(sid('FlowLogGroup').Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toBe(
      `arn:aws:logs:${config.region}:${config.provider_account_id}:log-group:${group.name}`,
    );
    expect(sid('FlowLogGroup').Principal.Service).toBe(`logs.${config.region}.amazonaws.com`);
    expect(sid('ConsumersReadTheirHandoff').Condition.StringLike['kms:EncryptionContext:aws:s3:arn']).toBe(
      `arn:aws:s3:::${handoff.bucket}*`,
    );
    expect(sid('ConsumersReadTheirHandoff').Principal.AWS).toEqual(config.consumers.map((c: any) => `arn:aws:iam::${c.account_id}:root`));
    expect(sid('AlarmsPublishToTheTopic').Condition.StringEquals['aws:SourceAccount']).toBe(config.provider_account_id);
  });
});

describe('bad values of the locked-down options', () => {
  const refused = (change: (c: Record<string, any>) => void): string => {
    try {
      parseConfig(exampleWith(change), 'c.yaml');
    } catch (error) {
      return (error as Error).message;
    }
    return '(accepted)';
  };
  const KEY_FIX =
    'use the key ARN of a symmetric customer managed key, such as arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias or a key id: CloudWatch Logs takes only a key ARN)';

  test.each<[string, (c: Record<string, any>) => void, string]>([
    ['a key alias', (c) => (c.kms_key_arn = 'alias/netops'), `kms_key_arn: is not the ARN of a KMS key (got "alias/netops"); ${KEY_FIX}`],
    [
      'a key of another region',
      (c) => (c.kms_key_arn = LOCKED_KEY.replace('eu-west-2', 'us-east-1')),
      `kms_key_arn: is a key in us-east-1, but it is used in eu-west-2 (got "${LOCKED_KEY.replace('eu-west-2', 'us-east-1')}"); use a key of eu-west-2 (a replica of a multi-Region key will do): CloudWatch Logs, SNS, S3 and EBS use keys of their own region only`,
    ],
    [
      'a key of another partition',
      (c) => (c.kms_key_arn = LOCKED_KEY.replace('arn:aws:', 'arn:aws-us-gov:')),
      `kms_key_arn: is in partition aws-us-gov, but region eu-west-2 is in partition aws (got ${formatValue(LOCKED_KEY.replace('arn:aws:', 'arn:aws-us-gov:'))}); use a key ARN that starts with arn:aws:kms:`,
    ],
    [
      'a path without its slashes',
      (c) => (c.iam = { path: 'network' }),
      'iam.path: is not an IAM path (got "network"); use / or a path that starts and ends with /, such as /network/ (at most 512 characters, no spaces)',
    ],
    [
      'a boundary that is a role',
      (c) => (c.iam = { permissions_boundary: 'arn:aws:iam::111111111111:role/boundary' }),
      'iam.permissions_boundary: is not the ARN of an IAM managed policy (got "arn:aws:iam::111111111111:role/boundary"); use the ARN of the boundary policy, such as arn:aws:iam::111111111111:policy/dx-boundary',
    ],
    [
      'a boundary of another account',
      (c) => (c.iam = { permissions_boundary: 'arn:aws:iam::999999999999:policy/boundary' }),
      'iam.permissions_boundary: is a policy of account 999999999999, not of the account 111111111111 the roles are in (got "arn:aws:iam::999999999999:policy/boundary"); use a managed policy of account 111111111111, or an AWS managed policy (arn:aws:iam::aws:policy/...)',
    ],
    [
      'a boundary of another partition',
      (c) => (c.iam = { permissions_boundary: 'arn:aws-cn:iam::111111111111:policy/boundary' }),
      'iam.permissions_boundary: is in partition aws-cn, but region eu-west-2 is in partition aws (got "arn:aws-cn:iam::111111111111:policy/boundary"); use a policy ARN that starts with arn:aws:iam::',
    ],
    ['an unknown iam key', (c) => (c.iam = { boundary: LOCKED_BOUNDARY }), 'iam.boundary: is not a known key'],
    [
      'a NAT group that is not a group id',
      (c) => (c.nat_fleet.security_group_ids = ['default']),
      'nat_fleet.security_group_ids[0]: is not a security group id (got "default"); use a security group id such as sg-0123456789abcdef0',
    ],
    [
      'a NAT group listed twice',
      (c) => (c.nat_fleet.security_group_ids = ['sg-0aaaaaaaaaaaaaaaa', 'sg-0aaaaaaaaaaaaaaaa']),
      'nat_fleet.security_group_ids[1]: duplicates security group of entry 0 (got "sg-0aaaaaaaaaaaaaaaa"); give every entry its own security group',
    ],
    [
      'more NAT groups than an interface takes',
      (c) => (c.nat_fleet.security_group_ids = ['sg-01111111', 'sg-02222222', 'sg-03333333', 'sg-04444444', 'sg-05555555']),
      "nat_fleet.security_group_ids: has 5 security groups, and with the fleet's own group the instances would need 6, above the 5 security groups per network interface (got 5); list at most 4, or raise the quota (Service Quotas L-2AFB9258) and set quotas.security_groups_per_network_interface",
    ],
    [
      'an NLB group that is not a group id',
      (c) => (c.endpoint_service.nlb_security_group_ids = ['sg-XYZ']),
      'endpoint_service.nlb_security_group_ids[0]: is not a security group id (got "sg-XYZ")',
    ],
    [
      "a tenant's NLB group that is not a group id",
      (c) => (c.tenants[1].nlb_security_group_ids = ['sg-0aaaaaaaaaaaaaaaa', 'nlb']),
      'tenants[1].nlb_security_group_ids[1]: is not a security group id (got "nlb")',
    ],
    [
      "a tenant's NLB group that every tenant has already",
      (c) => {
        c.endpoint_service.nlb_security_group_ids = ['sg-0aaaaaaaaaaaaaaaa'];
        c.tenants[1].nlb_security_group_ids = ['sg-0aaaaaaaaaaaaaaaa'];
      },
      'tenants[1].nlb_security_group_ids[0]: is also in endpoint_service.nlb_security_group_ids (got "sg-0aaaaaaaaaaaaaaaa"); list it once: those groups are on every tenant\'s NLBs already',
    ],
    [
      'a zone id with its /hostedzone/ prefix',
      (c) => (c.consumers[0].dns_zone_id = '/hostedzone/Z0123456789ABCDEFGHIJ'),
      'consumers[0].dns_zone_id: is not a Route 53 hosted zone id (got "/hostedzone/Z0123456789ABCDEFGHIJ"); use the id of the private hosted zone, such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
    ],
    [
      'a zone id without the zone name',
      (c) => (c.consumers[1].dns_zone_id = LOCKED_ZONE_ID),
      `consumers[1].dns_zone_id: is given without dns_zone (got "${LOCKED_ZONE_ID}"); set dns_zone to the name of that zone (the records are <forward>.<dns_zone>), or remove dns_zone_id`,
    ],
  ])('refuses %s', (_what, change, message) => {
    expect(refused(change)).toContain(`c.yaml: ${message}`);
  });

  test('a bad value exits 2 with one line naming field, value and fix', () => {
    const file = path.join(tmp, 'bad-key.yaml');
    writeFileSync(
      file,
      exampleWith((c) => (c.kms_key_arn = 'alias/netops')),
    );
    const r = runCli([file, '--out', path.join(tmp, 'never.out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${file}: kms_key_arn: is not the ARN of a KMS key (got "alias/netops"); ${KEY_FIX}\n`);
  });
});
