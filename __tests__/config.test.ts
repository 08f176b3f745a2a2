import { readFileSync } from 'node:fs';
import { ConfigError, EXAMPLE_CONFIG, loadConfig, parseConfig } from '../config/load';
import { providerStackProps } from '../config/props';

const example = readFileSync(EXAMPLE_CONFIG, 'utf8');

/** The example with one line replaced: `from` must occur exactly once. */
function edit(from: string, to: string): string {
  expect(example.split(from)).toHaveLength(2);
  return example.replace(from, to);
}

describe('config loader', () => {
  test('loads the bundled example', () => {
    const config = loadConfig();
    expect(config.name).toBe('fix-gw');
    expect(config.forwards.map((f) => f.name)).toEqual(['broker-a-fix', 'broker-b-fix', 'clearing-api']);
    expect(config.consumers).toHaveLength(3);
    expect(config.tenants).toHaveLength(2);
  });

  test('maps tenants to allowed principals and forwards to a map keyed by name', () => {
    const props = providerStackProps(loadConfig());
    expect(props.provider.tenants).toEqual([
      {
        name: 'internal',
        forwards: ['broker-a-fix', 'broker-b-fix', 'clearing-api'],
        allowedPrincipals: ['arn:aws:iam::222222222222:root'],
        acceptance: 'auto',
      },
      {
        name: 'clients',
        forwards: ['broker-b-fix'],
        allowedPrincipals: ['arn:aws:iam::333333333333:root', 'arn:aws:iam::444444444444:root'],
        acceptance: 'manual',
      },
    ]);
    expect(Object.keys(props.provider.forwards)).toEqual(['broker-a-fix', 'broker-b-fix', 'clearing-api']);
  });

  test.each([
    [
      'duplicate listen port',
      edit('listen_port: 9002', 'listen_port: 9001'),
      'forwards[1].listen_port: duplicates listen_port of entry 0 (got 9001); give every entry its own listen_port',
    ],
    [
      'listen port out of range',
      edit('listen_port: 9002', 'listen_port: 70000'),
      'forwards[1].listen_port: is out of range (got 70000); use a TCP port from 1 to 65535',
    ],
    [
      'target that is not IPv4',
      edit('target_ip: 198.51.100.20', 'target_ip: 198.51.100.300'),
      'forwards[1].target_ip: is not an IPv4 address (got "198.51.100.300")',
    ],
    [
      'single availability zone',
      edit('availability_zones: [eu-west-2a, eu-west-2b]', 'availability_zones: [eu-west-2a]'),
      'vpc.create.availability_zones: has fewer than 2 availability zones (got ["eu-west-2a"]); list at least two availability zones',
    ],
    [
      'unknown key',
      edit('    target_port: 9876', '    target_port: 9876\n    tagret: x'),
      'forwards[0].tagret: is not a known key (got "x"); remove it or fix its spelling; allowed here: name, listen_port, target_ip, target_port, tcp_idle_timeout_seconds',
    ],
    ['missing key', edit('\nregion: eu-west-2\n', '\n'), 'region: is required (got nothing); add region (string)'],
    ['wrong type', edit('listen_port: 9443', 'listen_port: "9443"'), 'forwards[2].listen_port: must be a number (got "9443")'],
    [
      'bad enum',
      edit('routing: propagate', 'routing: bgp'),
      'direct_connect.routing: is not an allowed value (got "bgp"); use one of: "propagate", "static"',
    ],
    [
      'target inside the VPC',
      edit('target_ip: 172.20.5.15', 'target_ip: 10.42.0.9'),
      'forwards[2].target_ip: is inside the VPC CIDR 10.42.0.0/24 (got "10.42.0.9")',
    ],
    [
      'loopback target',
      edit('target_ip: 172.20.5.15', 'target_ip: 127.0.0.1'),
      'forwards[2].target_ip: is a loopback, link-local, multicast or reserved address (got "127.0.0.1")',
    ],
    [
      'duplicate consumer account',
      edit(
        'account_id: "333333333333"\n    role_arn: arn:aws:iam::333333333333',
        'account_id: "222222222222"\n    role_arn: arn:aws:iam::222222222222',
      ),
      'consumers[1].account_id: duplicates account_id of entry 0 (got "222222222222")',
    ],
    [
      'account id as a number',
      edit('account_id: "333333333333"', 'account_id: 333333333333'),
      'consumers[1].account_id: must be a string (got 333333333333)',
    ],
    [
      'both VIF kinds',
      edit('  routing: propagate', '  hosted_vif: { virtual_interface_id: dxvif-ffhhk74f }\n  routing: propagate'),
      'direct_connect: has both private_vif and hosted_vif',
    ],
    [
      'duplicate YAML key',
      edit('\nregion: eu-west-2\n', '\nregion: eu-west-2\nregion: eu-west-1\n'),
      'line 13: invalid YAML: Map keys must be unique',
    ],
    [
      'consumer in no tenant',
      edit('    consumers: [desk-eu]', '    consumers: [client-acme]'),
      'consumers[0].name: is in no tenant (got "desk-eu"); add the consumer to a tenant\'s consumers, or remove it',
    ],
    [
      'tenant naming an unknown forward',
      edit('    forwards: [broker-b-fix]', '    forwards: [broker-b-fix, broker-z]'),
      'tenants[1].forwards[1]: is not the name of a forward (got "broker-z"); use one of: broker-a-fix, broker-b-fix, clearing-api',
    ],
    [
      'tenant naming an unknown consumer',
      edit('[client-acme, client-globex]', '[client-acme, client-globex, client-initech]'),
      'tenants[1].consumers[2]: is not the name of a consumer (got "client-initech")',
    ],
    [
      'forward in no tenant',
      edit('    forwards: [broker-a-fix, broker-b-fix, clearing-api]', '    forwards: [broker-a-fix, broker-b-fix]'),
      'forwards[2].name: is in no tenant (got "clearing-api")',
    ],
    [
      'consumer CIDR that is not a CIDR',
      edit('allowed_cidrs: [10.1.0.0/16]', 'allowed_cidrs: [10.1.0.0]'),
      'consumers[0].allowed_cidrs[0]: is not an IPv4 CIDR block (got "10.1.0.0"); write a network address with its prefix length',
    ],
    [
      'consumer CIDR admitting everyone',
      edit('allowed_cidrs: [10.1.0.0/16]', 'allowed_cidrs: [0.0.0.0/0]'),
      'consumers[0].allowed_cidrs[0]: admits every IPv4 address (got ["0.0.0.0/0"])',
    ],
    [
      'role in another account',
      edit('role_arn: arn:aws:iam::444444444444:role', 'role_arn: arn:aws:iam::111111111111:role'),
      "consumers[2].role_arn: is in account 111111111111, not the consumer's account 444444444444",
    ],
    [
      'consumer in another region without supported_regions',
      edit('    account_id: "444444444444"', '    account_id: "444444444444"\n    region: us-east-1'),
      'consumers[2].region: differs from the service region eu-west-2 (got "us-east-1"); add us-east-1 to endpoint_service.supported_regions',
    ],
    [
      'tenant name too long for the NLB name',
      edit('  - name: clients\n', '  - name: clients-and-partners\n'),
      'tenants: with tenant names up to 20 characters makes load balancer names longer than 32 characters (got "fix-gw")',
    ],
    [
      'a jumbo MTU the private VIF does not take (8500)',
      edit('    customer_address: 169.254.100.2/30\n', '    customer_address: 169.254.100.2/30\n    mtu: 8500\n'),
      'direct_connect.private_vif.mtu: is not an MTU a private virtual interface supports (got 8500); use 1500 (default) or 9001 (jumbo frames)',
    ],
    [
      'a misspelt key (listen-port), named even though listen_port is then missing',
      edit('    listen_port: 9002', '    listen-port: 9002'),
      'forwards[1].listen-port: is not a known key (got 9002); did you mean listen_port? allowed here: name, listen_port, target_ip, target_port, tcp_idle_timeout_seconds, shard',
    ],
  ])('fails on %s with one message naming the field and value', (_what, text, message) => {
    expect(() => parseConfig(text, 'bad.yaml')).toThrow(`bad.yaml: ${message}`);
  });

  test('lists every problem, one line each, each naming the file', () => {
    const text = edit('listen_port: 9002', 'listen_port: 0').replace('listen_port: 9443', 'listen_port: 99999');
    let error: unknown;
    try {
      parseConfig(text, 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).lines()).toEqual([
      expect.stringMatching(/^bad\.yaml: forwards\[1\]\.listen_port: is out of range \(got 0\); /),
      expect.stringMatching(/^bad\.yaml: forwards\[2\]\.listen_port: is out of range \(got 99999\); /),
    ]);
  });

  test.each([
    [
      'a quoted boolean',
      [/deletion_protection: \w+/, 'deletion_protection: "no"'],
      'deletion_protection: must be a boolean (got "no"); write true or false, without quotes',
    ],
    [
      'an unquoted account id (YAML reads a number)',
      [/provider_account_id: "?\d+"?/, 'provider_account_id: 111111111111'],
      'provider_account_id: must be a string (got 111111111111); put it in quotes, such as "111111111111" (an account id keeps its leading zeros only when quoted)',
    ],
    [
      'a list written as one value',
      [/allowed_cidrs: \[[^\]]*\]/, 'allowed_cidrs: 10.0.0.0/16'],
      'allowed_cidrs: must be a list (got "10.0.0.0/16"); write a list: one "- item" per line below the key, or [a, b] on one line',
    ],
  ])('a wrong type (%s) says what to write instead', (_what, [from, to], message) => {
    const text = example.replace(from as RegExp, to as string);
    expect(text).not.toBe(example);
    expect(() => parseConfig(text, 'bad.yaml')).toThrow(message);
  });

  test('refuses alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(() => parseConfig(bomb, 'bomb.yaml')).toThrow(/^bomb\.yaml: .*(alias|Excessive)/i);
  });

  test('fails when the file does not exist', () => {
    expect(() => loadConfig('/nonexistent/dx.yaml')).toThrow(
      '/nonexistent/dx.yaml: cannot read the config file (no such file); check the path',
    );
  });
});
