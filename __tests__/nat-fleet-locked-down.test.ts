import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerraformVariable } from 'cdktf';
import { NatFleet, NatFleetProps } from '../constructs/nat-fleet';
import { SETTINGS_DIGEST } from '../constructs/nat-launch';
import { nlbFixture, synthObject } from './support/stack';
import { terraformOk } from './support/terraform';

// Options for accounts whose guardrails require them (issue 23): a
// permissions boundary and path on the instance role, a customer managed key
// for the root volume (and the rules bucket, which the instances read), and
// security groups of the account's own beside the fleet's.

/** NatFleet with the fixture's props, expressions allowed (`key`, `groups`). */
function fleet(extra: Partial<NatFleetProps> = {}, stackOf = nlbFixture()) {
  const { stack, forwards, nlb } = stackOf;
  new NatFleet(stack, 'nat', {
    fleetName: 'fix-nat',
    vpcId: 'vpc-1',
    region: 'eu-west-2',
    accountId: '111111111111',
    partition: 'aws',
    endpointSecurityGroups: { created: 'sg-endpoints' },
    subnetIds: ['subnet-a', 'subnet-b'],
    forwards,
    targetGroups: [{ key: 'a-0', groups: nlb.targetGroupMap(), loadBalancerArnSuffix: nlb.loadBalancerArnSuffix }],
    ingressFrom: [{ key: 'a-0', securityGroupId: nlb.securityGroupId, forwards }],
    rulesBucket: { name: 'fix-rules', arn: 'arn:aws:s3:::fix-rules', region: 'eu-west-2' },
    s3PrefixListIds: ['pl-7ca54015'],
    ...extra,
  });
  return { json: synthObject(stack) };
}
const build = (extra: Partial<NatFleetProps> = {}) => fleet(extra);

const KEY = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BOUNDARY = 'arn:aws:iam::111111111111:policy/dx-boundary';
const LOCKED: Partial<NatFleetProps> = {
  kmsKeyArn: KEY,
  securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'],
  iam: { permissionsBoundary: BOUNDARY, path: '/network/' },
};

/** `local.nat_launch_settings` as Terraform evaluates it, with the options local set to `options` (HCL). */
function settingsDigest(json: Record<string, any>, options: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-digest-'));
  try {
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals: { nat_launch_settings: json.locals.nat_launch_settings } }));
    writeFileSync(path.join(dir, 'options.tf'), `locals {\n  nat_launch_options = ${options}\n}\n`);
    return JSON.parse(terraformOk(dir, ['console'], {}, 'local.nat_launch_settings').trim()) as string;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('NatFleet in a locked-down account', () => {
  test('the role and instance profile take the permissions boundary and path', () => {
    const { json } = build(LOCKED);
    expect(json.resource.aws_iam_role.nat_role).toMatchObject({ permissions_boundary: BOUNDARY, path: '/network/' });
    expect(json.resource.aws_iam_instance_profile.nat_instance_profile).toMatchObject({ path: '/network/' });
    expect(json.resource.aws_iam_instance_profile.nat_instance_profile.permissions_boundary).toBeUndefined();
  });

  test('the root volume is encrypted with the key, and the instances may decrypt their own SSE-KMS rules with it', () => {
    const { json } = build(LOCKED);
    expect(json.resource.aws_launch_template.nat_launch_template.block_device_mappings).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: { encrypted: 'true', kms_key_id: KEY, volume_type: 'gp3', volume_size: 8, delete_on_termination: 'true' },
      },
    ]);
    const policy = JSON.parse(json.resource.aws_iam_role_policy.nat_rules_access.policy);
    expect(policy.Statement).toContainEqual({
      Sid: 'DecryptOwnRules',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY,
      Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::fix-rules', 'arn:aws:s3:::fix-rules/*'] } },
    });
  });

  test("extra security groups come after the fleet's own group on the instances", () => {
    const { json } = build(LOCKED);
    expect(json.resource.aws_launch_template.nat_launch_template.vpc_security_group_ids).toEqual([
      '${aws_security_group.nat_sg.id}',
      'sg-0aaaaaaaaaaaaaaaa',
      'sg-0bbbbbbbbbbbbbbbb',
    ]);
  });

  test('without the options nothing changes: no key, no boundary, the launch settings digest as before', () => {
    const { json } = build();
    expect(json.resource.aws_iam_role.nat_role.permissions_boundary).toBeUndefined();
    expect(json.resource.aws_iam_role.nat_role.path).toBeUndefined();
    expect(json.resource.aws_launch_template.nat_launch_template.block_device_mappings[0].ebs.kms_key_id).toBeUndefined();
    expect(json.locals.nat_launch_parts.settings).toBe(SETTINGS_DIGEST);
    expect(json.locals.nat_launch_options).toBeUndefined();
    expect(
      JSON.parse(json.resource.aws_iam_role_policy.nat_rules_access.policy).Statement.map((s: { Sid: string }) => s.Sid),
    ).not.toContain('DecryptOwnRules');
  });

  test('the key, the extra groups and the path are part of the launch digest (a change rolls the fleet); null or empty options leave it as before', () => {
    const { json } = build(LOCKED);
    expect(json.locals.nat_launch_parts.settings).toBe('${local.nat_launch_settings}');
    expect(json.locals.nat_launch_options).toEqual({
      kms_key_id: KEY,
      security_group_ids: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'],
      iam_path: '/network/',
    });
    const all = settingsDigest(json, `{ kms_key_id = "${KEY}", security_group_ids = ["sg-0b", "sg-0a"], iam_path = "/network/" }`);
    expect(all).toMatch(/^[0-9a-f]{40}$/);
    // order of the groups does not matter; each option on its own counts
    expect(settingsDigest(json, `{ kms_key_id = "${KEY}", security_group_ids = ["sg-0a", "sg-0b"], iam_path = "/network/" }`)).toBe(all);
    expect(settingsDigest(json, `{ kms_key_id = "${KEY}", security_group_ids = [], iam_path = "/network/" }`)).not.toBe(all);
    // a module caller's unset options: the digest of a fleet without them
    expect(settingsDigest(json, '{ kms_key_id = null, security_group_ids = [], iam_path = null }')).toBe(SETTINGS_DIGEST);
    expect(settingsDigest(json, '{ kms_key_id = null, security_group_ids = null, iam_path = "/" }')).toBe(SETTINGS_DIGEST);
    expect(settingsDigest(json, '{}')).toBe(SETTINGS_DIGEST);
  });

  test('Terraform expressions pass unchecked: a key variable, a list variable of groups', () => {
    const fixture = nlbFixture();
    const key = new TerraformVariable(fixture.stack, 'kms_key_arn', { type: 'string' });
    const groups = new TerraformVariable(fixture.stack, 'groups', { type: 'list(string)' });
    const { json } = fleet({ kmsKeyArn: key.stringValue, securityGroupIds: groups.listValue }, fixture);
    const lt = json.resource.aws_launch_template.nat_launch_template;
    expect(lt.vpc_security_group_ids).toBe('${concat([aws_security_group.nat_sg.id], var.groups)}');
    expect(lt.block_device_mappings[0].ebs.kms_key_id).toBe('${var.kms_key_arn}');
  });

  test.each<[string, Partial<NatFleetProps>, string]>([
    [
      'the key is an alias',
      { kmsKeyArn: 'arn:aws:kms:eu-west-2:111111111111:alias/netops' },
      'kmsKeyArn: is not the ARN of a KMS key (got "arn:aws:kms:eu-west-2:111111111111:alias/netops"); use the key ARN of a symmetric customer managed key, such as arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias or a key id: CloudWatch Logs takes only a key ARN)',
    ],
    [
      'the key is in another region',
      { kmsKeyArn: KEY.replace('eu-west-2', 'eu-west-1') },
      `kmsKeyArn: is a key in eu-west-1, but it is used in eu-west-2 (got "${KEY.replace('eu-west-2', 'eu-west-1')}"); use a key of eu-west-2 (a replica of a multi-Region key will do): CloudWatch Logs, SNS, S3 and EBS use keys of their own region only`,
    ],
    [
      'a group is not a security group id',
      { securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'default'] },
      'natFleet.securityGroupIds[1]: is not a security group id (got "default"); use a security group id such as sg-0123456789abcdef0',
    ],
    [
      'a group is listed twice',
      { securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0aaaaaaaaaaaaaaaa'] },
      'natFleet.securityGroupIds[1]: duplicates security group of entry 0 (got "sg-0aaaaaaaaaaaaaaaa"); give every entry its own security group',
    ],
    [
      'the groups exceed the quota',
      { securityGroupIds: ['sg-01111111', 'sg-02222222', 'sg-03333333', 'sg-04444444', 'sg-05555555'] },
      "natFleet.securityGroupIds: has 5 security groups, and with the fleet's own group the instances would need 6, above the 5 security groups per network interface (got 5); list at most 4, or raise the quota (Service Quotas L-2AFB9258) and set quotas.security_groups_per_network_interface",
    ],
    [
      'the path does not end with a slash',
      { iam: { path: '/network' } },
      'iam.path: is not an IAM path (got "/network"); use / or a path that starts and ends with /, such as /network/ (at most 512 characters, no spaces)',
    ],
    [
      'the boundary is a role',
      { iam: { permissionsBoundary: 'arn:aws:iam::111111111111:role/boundary' } },
      'iam.permissionsBoundary: is not the ARN of an IAM managed policy (got "arn:aws:iam::111111111111:role/boundary"); use the ARN of the boundary policy, such as arn:aws:iam::111111111111:policy/dx-boundary',
    ],
    [
      'the boundary is a policy of another account',
      { iam: { permissionsBoundary: 'arn:aws:iam::999999999999:policy/boundary' } },
      'iam.permissionsBoundary: is a policy of account 999999999999, not of the account 111111111111 the roles are in (got "arn:aws:iam::999999999999:policy/boundary"); use a managed policy of account 111111111111, or an AWS managed policy (arn:aws:iam::aws:policy/...)',
    ],
  ])('fails when %s', (_what, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('the quota of groups per interface may be raised', () => {
    const five = ['sg-01111111', 'sg-02222222', 'sg-03333333', 'sg-04444444', 'sg-05555555'];
    expect(() => build({ securityGroupIds: five, securityGroupsPerInterfaceQuota: 6 })).not.toThrow();
  });
});
