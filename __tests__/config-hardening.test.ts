import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, parseConfig } from '../config/load';
import { runCli } from './support/cli';
import { exampleWith, manyForwards } from './support/mutate';

// Issue 10, findings 3 to 6: every field with an AWS rule is checked, the
// file is read safely, shard pins are reported by their config field, and
// numbers are written plainly. Each case: one line naming the field.

function problem(text: string): string {
  try {
    parseConfig(text, 'c.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

type Change = (c: Record<string, any>) => void;

describe('values with AWS rules (finding 3)', () => {
  const cases: [string, Change, string, RegExp][] = [
    ['a tag key with the reserved aws: prefix', (c) => (c.tags = { 'aws:team': 'x' }), 'tags["aws:team"]', /reserved/],
    ['a tag key with the reserved AWS: prefix in capitals', (c) => (c.tags = { 'AWS:team': 'x' }), 'tags["AWS:team"]', /reserved/],
    ['a 129-character tag key', (c) => (c.tags = { ['k'.repeat(129)]: 'x' }), `tags.${'k'.repeat(129)}`, /tag key/],
    ['a 300-character tag value', (c) => (c.tags = { team: 'v'.repeat(300) }), 'tags.team', /tag value/],
    ['a tag value with a newline', (c) => (c.tags = { team: 'a\nb' }), 'tags.team', /tag value/],
    ['a tag key with a newline', (c) => (c.tags = { 'te\nam': 'x' }), 'tags["te\\nam"]', /tag key/],
    ['60 tags', (c) => (c.tags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v']))), 'tags', /more than 47 tags/],
    ['a tag dx-privatelink sets itself', (c) => (c.tags = { Name: 'x' }), 'tags.Name', /set by dx-privatelink/],
    ['an empty instance type', (c) => (c.nat_fleet.instance_type = ''), 'nat_fleet.instance_type', /not an EC2 instance type/],
    [
      'an instance type with a trailing newline',
      (c) => (c.nat_fleet.instance_type = 't4g.small\n'),
      'nat_fleet.instance_type',
      /not an EC2 instance type/,
    ],
    [
      'an x86 instance type for arm64',
      (c) => (c.nat_fleet.instance_type = 'c6i.large'),
      'nat_fleet.instance_type',
      /x86_64 instance type.*arm64/,
    ],
    [
      'a Graviton instance type for x86_64',
      (c) => (c.nat_fleet.architecture = 'x86_64'),
      'nat_fleet.instance_type',
      /arm64 instance type.*x86_64/,
    ],
    [
      'x86_64 with no instance type (the default is arm64): the field the file has is named',
      (c) => {
        delete c.nat_fleet.instance_type;
        c.nat_fleet.architecture = 'x86_64';
      },
      'nat_fleet.architecture',
      /does not match the default instance type t4g\.small \(arm64\)/,
    ],
    [
      'allowed_cidrs covering all of IPv4 in two halves',
      (c) => (c.consumers[0].allowed_cidrs = ['0.0.0.0/1', '128.0.0.0/1']),
      'consumers[0].allowed_cidrs',
      /every IPv4 address/,
    ],
    [
      'allowed_cidrs covering all of IPv4 in four overlapping blocks',
      (c) => (c.consumers[1].allowed_cidrs = ['0.0.0.0/2', '64.0.0.0/2', '0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2']),
      'consumers[1].allowed_cidrs',
      /every IPv4 address/,
    ],
    ['an existing VPC CIDR of 0.0.0.0/1', (c) => existingVpc(c, '0.0.0.0/1'), 'vpc.existing.cidr', /\/16 to \/28/],
    ['an existing VPC CIDR of /29', (c) => existingVpc(c, '10.42.0.0/29'), 'vpc.existing.cidr', /\/16 to \/28/],
    [
      'an existing VPC without the S3 prefix list the NAT instances fetch their rules through',
      (c) => {
        existingVpc(c, '10.42.0.0/24');
        delete c.vpc.existing.s3_prefix_list_id;
      },
      'vpc.existing.s3_prefix_list_id',
      /is required when a forward has a public target/,
    ],
    [
      'VIF peers on the same address',
      (c) => (c.direct_connect.private_vif.customer_address = '169.254.100.1/30'),
      'direct_connect.private_vif.customer_address',
      /same address as amazon_address/,
    ],
    [
      'a VIF peer with a /0',
      (c) => (c.direct_connect.private_vif.amazon_address = '169.254.100.1/0'),
      'direct_connect.private_vif.amazon_address',
      /\/30 or \/31/,
    ],
    [
      'VIF peers with different prefix lengths',
      (c) => (c.direct_connect.private_vif.customer_address = '169.254.100.2/29'),
      'direct_connect.private_vif.customer_address',
      /\/30 or \/31/,
    ],
    [
      'a VIF peer on the /30 network address',
      (c) => (c.direct_connect.private_vif.amazon_address = '169.254.100.0/30'),
      'direct_connect.private_vif.amazon_address',
      /network or broadcast/,
    ],
    [
      'a VIF peer on a public address',
      (c) => {
        c.direct_connect.private_vif.amazon_address = '198.51.100.1/30';
        c.direct_connect.private_vif.customer_address = '198.51.100.2/30';
      },
      'direct_connect.private_vif.amazon_address',
      /link-local/,
    ],
    [
      'a zone that only starts with the region (eu-west-21a)',
      (c) => (c.vpc.create.availability_zones = ['eu-west-2a', 'eu-west-21a']),
      'vpc.create.availability_zones[1]',
      /not in region eu-west-2/,
    ],
    [
      'a 300-character dns_zone',
      (c) => (c.consumers[0].dns_zone = `${'a'.repeat(60)}.`.repeat(5) + 'internal'),
      'consumers[0].dns_zone',
      /too long/,
    ],
    ['dns_zone amazonaws.com', (c) => (c.consumers[0].dns_zone = 'amazonaws.com'), 'consumers[0].dns_zone', /AWS/],
    ['dns_zone under amazonaws.com', (c) => (c.consumers[0].dns_zone = 'eu-west-2.amazonaws.com'), 'consumers[0].dns_zone', /AWS/],
    ['dns_zone above amazonaws.com.cn', (c) => (c.consumers[0].dns_zone = 'com.cn'), 'consumers[0].dns_zone', /AWS/],
    [
      'a role ARN in a made-up partition',
      (c) => (c.consumers[0].role_arn = 'arn:aws-evil:iam::222222222222:role/x'),
      'consumers[0].role_arn',
      /partition/,
    ],
    [
      'a role ARN of another partition than the region',
      (c) => (c.consumers[0].role_arn = 'arn:aws-cn:iam::222222222222:role/x'),
      'consumers[0].role_arn',
      /partition aws-cn.*eu-west-2/,
    ],
    [
      'a state role ARN in a made-up partition',
      (c) =>
        (c.state = {
          s3: { bucket: 'tf-state', region: 'eu-west-2', key_prefix: 'dx', role_arn: 'arn:aws-evil:iam::111111111111:role/s' },
        }),
      'state.s3.role_arn',
      /partition/,
    ],
  ];

  test.each(cases)('refuses %s, naming the field', (_what, change, field, message) => {
    const text = problem(exampleWith(change));
    expect(text.split('\n')).toHaveLength(1);
    expect(text.startsWith(`c.yaml: ${field}: `)).toBe(true);
    expect(text).toMatch(message);
  });

  test.each([
    ['tags of every allowed kind', (c: any) => (c.tags = { team: 'trading network', 'cost-centre': 'FX/12+@:=._-', Ümlaut: 'ß' })],
    ['47 tags', (c: any) => (c.tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, 'v'])))],
    ['an x86_64 fleet', (c: any) => Object.assign(c.nat_fleet, { instance_type: 'c6in.large', architecture: 'x86_64' })],
    [
      'a /31 VIF link',
      (c: any) => Object.assign(c.direct_connect.private_vif, { amazon_address: '169.254.7.0/31', customer_address: '169.254.7.1/31' }),
    ],
    [
      'VIF peers in RFC 1918 space',
      (c: any) => Object.assign(c.direct_connect.private_vif, { amazon_address: '10.255.0.1/30', customer_address: '10.255.0.2/30' }),
    ],
    ['allowed_cidrs of three quarters of IPv4', (c: any) => (c.consumers[0].allowed_cidrs = ['0.0.0.0/1', '128.0.0.0/2'])],
    ['an existing /28 VPC', (c: any) => existingVpc(c, '10.42.0.0/28', '10.42.1.0/24')],
  ])('accepts %s', (_what, change) => {
    expect(() => parseConfig(exampleWith(change), 'c.yaml')).not.toThrow();
  });
});

function existingVpc(c: Record<string, any>, cidr: string, clearing?: string): void {
  c.vpc = {
    existing: {
      vpc_id: 'vpc-0123456789abcdef0',
      cidr,
      subnet_ids: { 'eu-west-2a': 'subnet-0aaaaaaaaaaaaaaaa', 'eu-west-2b': 'subnet-0bbbbbbbbbbbbbbbb' },
      route_table_ids: ['rtb-0cccccccccccccccc'],
      s3_prefix_list_id: 'pl-7ca54015',
    },
  };
  if (clearing) c.forwards[2].target_ip = clearing.replace('/24', '.15').replace('.0.15', '.15');
}

describe('reading the config file (finding 4)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-read-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('a YAML alias cycle is one clear error, exit 2', () => {
    expect(problem('name: &n [*n]\n')).toMatch(/^c\.yaml: line 1: YAML alias .*refers to itself/);
  });

  test.each([
    [
      'an alias with no anchor at all',
      'name: fix-gw\nregion: *nope\n',
      'line 2: YAML alias *nope is not defined (no anchor &nope before it)',
    ],
    [
      'an alias used before its anchor',
      'name: *n\nregion: &n eu-west-2\n',
      'line 1: YAML alias *n is not defined (no anchor &n before it)',
    ],
  ])('%s is named as an undefined alias, not as an expansion limit', (_what, text, message) => {
    expect(problem(text)).toBe(`c.yaml: ${message}; define the anchor first, or write the value out`);
  });

  test('a complex key (a list or mapping as a key) is one line on stderr: no Node warning beside it', () => {
    const file = path.join(tmp, 'complex-key.yaml');
    writeFileSync(file, `? [a]\n: 1\n${exampleWith(() => undefined)}`);
    const r = runCli([file, '--out', path.join(tmp, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `error: ${file}: line 1: YAML key [a] is a list or mapping; keys are plain names such as listen_port`,
    ]);
  });

  test.each([
    ['a directory', () => mkdirSync(path.join(tmp, 'dir.yaml'), { recursive: true }) ?? path.join(tmp, 'dir.yaml'), /is a directory/],
    ['/dev/zero', () => '/dev/zero', /not a regular file/],
    ['/dev/urandom', () => '/dev/urandom', /not a regular file/],
    ['a FIFO', () => fifo(path.join(tmp, 'fifo.yaml')), /not a regular file/],
    ['a file that does not exist', () => path.join(tmp, 'missing.yaml'), /cannot read/],
  ])('%s as the config: exit 2 at once, one line, no hang', (_what, make, message) => {
    const file = make();
    const started = Date.now();
    const r = runCli([file, '--out', path.join(tmp, 'out')], {}, undefined, 20000);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  test('the byte cap holds whatever stat says: a /proc file of 0 bytes by stat and megabytes when read', () => {
    // GIVEN a regular file whose stat size (0) says nothing about its length
    const file = '/proc/kallsyms';
    expect(statSync(file)).toMatchObject({ size: 0 });
    // WHEN it is the config  THEN reading stops at the cap and says so
    const r = runCli([file, '--out', path.join(tmp, 'out')], {}, undefined, 20000);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is larger than the 1048576-byte limit/);
  });

  test('bytes that are not UTF-8 are refused', () => {
    const file = path.join(tmp, 'latin1.yaml');
    writeFileSync(file, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const r = runCli([file, '--out', path.join(tmp, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not UTF-8/);
  });
});

function fifo(file: string): string {
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  return file;
}

describe('shard pins (finding 5)', () => {
  test('a pin that leaves a lower shard empty names the pinned forward', () => {
    const text = problem(exampleWith((c) => (c.forwards[0].shard = 2)));
    expect(text).toMatch(/^c\.yaml: forwards\[0\]\.shard: leaves shard 1 of tenant internal empty \(got 2\); /);
  });

  test('51 forwards pinned to shard 0 name the forward that does not fit', () => {
    const text = problem(
      exampleWith((c) => {
        c.forwards = manyForwards(51, () => ({ shard: 0 }));
        delete c.tenants;
      }),
    );
    expect(text).toMatch(/^c\.yaml: forwards\[50\]\.shard: is full: shard 0 of tenant default already has 50 forwards \(got 0\); /);
  });

  test('pins that keep every shard filled are accepted', () => {
    expect(() =>
      parseConfig(
        exampleWith((c) => {
          c.forwards = manyForwards(60, (i) => (i >= 50 ? { shard: 1 } : {}));
          delete c.tenants;
        }),
        'c.yaml',
      ),
    ).not.toThrow();
  });
});

describe('numbers are written as plain decimal integers (finding 6)', () => {
  test.each(['0x2329', '0o21451', '9001.0', '1e3', '09001', '+9001', '.inf', '9_001'])('listen_port: %s is refused', (written) => {
    const text = problem(exampleWith(() => undefined).replace('listen_port: 9001', `listen_port: ${written}`));
    expect(text).toMatch(new RegExp(`^c\\.yaml: forwards\\[0\\]\\.listen_port: .*plain decimal`));
  });

  test('the same rule holds for every number, e.g. the VLAN', () => {
    const text = problem(exampleWith(() => undefined).replace('vlan: 101', 'vlan: 0x65'));
    expect(text).toMatch(/^c\.yaml: direct_connect\.private_vif\.vlan: .*plain decimal/);
  });
});
