import { ConfigError, parseConfig } from '../config/load';
import { keyField } from '../constructs/private/rules';
import { runMain } from './support/cli';
import { exampleObject } from './support/mutate';
import { stringify } from 'yaml';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Issue 10, finding 2: every config string is data. Terraform evaluates
// "${...}" and "%{...}" in any string of the JSON, so a config string that
// holds one is refused, whatever field it is in, with the field named.

/** The example with every optional field set (those that exclude each other in `alternative`). */
function complete(): Record<string, any> {
  const c = exampleObject();
  c.tags = { team: 'trading-network', 'cost-centre': 'fx' };
  c.direct_connect.dx_gateway_id = '5f1c4e1e-0000-4000-8000-000000000000';
  c.forwards[0].shard = 0;
  c.consumers[1].region = 'eu-west-1';
  c.consumers[1].dns_zone = 'fix.acme.internal';
  c.endpoint_service.supported_regions = ['eu-west-1'];
  c.state = { s3: { bucket: 'tf-state', region: 'eu-west-2', key_prefix: 'dx/fix-gw', role_arn: 'arn:aws:iam::111111111111:role/state' } };
  c.policy = { suppressions: [{ rule: 'DXPL-SG2', resource: 'provider/nat', reason: 'vendor needs a /24 during migration, NET-1234' }] };
  return c;
}

/** The other side of every either/or: existing VPC and gateway, hosted VIF. */
function alternative(): Record<string, any> {
  const c = complete();
  c.vpc = {
    existing: {
      vpc_id: 'vpc-0123456789abcdef0',
      cidr: '10.42.0.0/24',
      subnet_ids: { 'eu-west-2a': 'subnet-0aaaaaaaaaaaaaaaa', 'eu-west-2b': 'subnet-0bbbbbbbbbbbbbbbb' },
      route_table_ids: ['rtb-0cccccccccccccccc'],
      s3_prefix_list_id: 'pl-7ca54015',
    },
  };
  c.direct_connect = {
    existing_vgw_id: 'vgw-0123456789abcdef0',
    hosted_vif: { virtual_interface_id: 'dxvif-ffhhk74f' },
    routing: 'static',
  };
  return c;
}

type Place = { field: string; set: (config: Record<string, any>, text: string) => void };

/** Every string value and every map key below `value`, with a setter on a copy. */
function places(value: unknown, field = '', at: (c: any) => any = (c) => c): Place[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      typeof item === 'string'
        ? [{ field: `${field}[${i}]`, set: (c: any, text: string) => (at(c)[i] = text) }]
        : places(item, `${field}[${i}]`, (c) => at(c)[i]),
    );
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const f = field ? keyField(field, key) : key;
    const own: Place[] = [];
    if (typeof item === 'string') own.push({ field: f, set: (c, text) => (at(c)[key] = text) });
    // Keys of free-form maps (tags, subnets by zone) are strings of the config too.
    if (/^(tags|vpc\.existing\.subnet_ids)$/.test(field)) {
      own.push({
        field: keyField(field, '${x}'),
        set: (c, text) => {
          const map = at(c);
          map[text] = map[key];
          delete map[key];
        },
      });
    }
    return [...own, ...places(item, f, (c) => at(c)[key])];
  });
}

const INJECTIONS = ['${file("/etc/hostname")}', '%{ for x in ["a"] }${x}%{ endfor }', 'prefix-${var.x}', 'ok%{if true}x%{endif}'];

describe('config strings are data (finding 2)', () => {
  const bases = { complete, alternative };

  test.each(Object.keys(bases))('the %s config is accepted as it is', (base) => {
    expect(() => parseConfig(stringify(bases[base as keyof typeof bases]()), 'c.yaml')).not.toThrow();
  });

  const cases = Object.entries(bases).flatMap(([base, make]) =>
    places(make()).map((p, i) => ({ base, ...p, text: INJECTIONS[i % INJECTIONS.length] })),
  );

  test('every string field is covered, tags, ids, ARNs, zones and the suppression reason among them', () => {
    const fields = new Set(cases.map((c) => c.field.replace(/\[\d+\]/g, '[]')));
    for (const f of [
      'name',
      'region',
      'tags.team',
      'tags["${x}"]',
      'vpc.create.availability_zones[]',
      'vpc.existing.s3_prefix_list_id',
      'vpc.existing.subnet_ids.eu-west-2a',
      'vpc.existing.subnet_ids["${x}"]',
      'direct_connect.private_vif.amazon_address',
      'direct_connect.hosted_vif.virtual_interface_id',
      'direct_connect.dx_gateway_id',
      'forwards[].target_ip',
      'consumers[].role_arn',
      'consumers[].dns_zone',
      'tenants[].forwards[]',
      'state.s3.role_arn',
      'policy.suppressions[].reason',
      'nat_fleet.instance_type',
      'endpoint_service.supported_regions[]',
    ]) {
      expect(fields).toContain(f);
    }
    expect(cases.length).toBeGreaterThan(80);
  });

  test.each(cases)('$base: $field holding $text is refused, naming the field', ({ base, field, set, text }) => {
    const config = bases[base as keyof typeof bases]();
    set(config, text);
    let error: unknown;
    try {
      parseConfig(stringify(config), 'c.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    const shownField = field.replace('["${x}"]', `[${JSON.stringify(text)}]`);
    expect(message.startsWith(`c.yaml: ${shownField}: contains a Terraform template sequence (got ${JSON.stringify(text)}); `)).toBe(true);
  });

  test('through the command: exit 2, nothing written, and the machine running it is never read', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-inject-'));
    try {
      const config = complete();
      config.tags.team = '${file("/etc/hostname")}';
      const file = path.join(dir, 'c.yaml');
      writeFileSync(file, stringify(config));
      const r = runMain([file, '--out', path.join(dir, 'out')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: .*c\.yaml: tags\.team: contains a Terraform template sequence/);
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
