import { TerraformVariable, Testing } from 'cdktf';
import { DirectConnectAttachment } from '../constructs/direct-connect';
import { ConsumerEndpoint } from '../constructs/consumer-endpoint';
import { ProviderStack } from '../constructs/provider-stack';
import { ValidationError, formatValue, keyField } from '../constructs/private/rules';
import { parseConfig } from '../config/load';
import { FIXTURES, Fixture, IDS } from './support/construct-fixtures';
import { exampleWith } from './support/mutate';
import { testStack } from './support/stack';
import { isPlainObject } from '../constructs/private/checks';

// Issue 10: every string is data on the construct path too. Code that uses
// the constructs directly passes props that may come from anywhere; a plain
// string (not a token) holding "${" or "%{" would be evaluated by Terraform,
// so each public construct refuses it, naming the prop, as the config loader
// names the config field. Ids with an AWS shape and the enum props are
// checked like the config's.

/** A string of the props: a value, or (with `map`) a key of the free-form map `map`. */
type Place = { readonly field: string; readonly path: readonly (string | number)[]; readonly map?: string };

/** Every plain string below the props, and every key of the free-form maps. */
function places(value: unknown, maps: readonly string[], field = '', path: (string | number)[] = []): Place[] {
  if (typeof value === 'string') return [{ field, path }];
  if (Array.isArray(value)) return value.flatMap((item, i) => places(item, maps, `${field}[${i}]`, [...path, i]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const f = field ? keyField(field, key) : key;
    const own: Place[] = maps.includes(field) ? [{ field: `${f} (key)`, path: [...path, key], map: field }] : [];
    return [...own, ...places(item, maps, f, [...path, key])];
  });
}

/** The fixture's props with the string at `place` (or the map key) replaced by `text`. */
function propsWith(fixture: Fixture, place: Place, text: string): Record<string, any> {
  const props = fixture.props();
  const parent = place.path.slice(0, -1).reduce<any>((v, k) => v[k], props);
  const last = place.path[place.path.length - 1];
  if (place.map !== undefined) {
    parent[text] = parent[last];
    delete parent[last];
  } else parent[last] = text;
  return props;
}

function thrown(build: () => void): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  return undefined;
}

const INJECTIONS = ['${file("/etc/hostname")}', '%{ for x in ["a"] }${x}%{ endfor }'];

describe.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
  const all = places(fixture.props(), fixture.maps ?? []).filter((p) => p.field !== 'stack');

  test('accepts its valid plain props', () => {
    expect(thrown(() => fixture.build(fixture.props()))).toBeUndefined();
  });

  test.each(all.flatMap((place) => INJECTIONS.map((text) => [place.field, place, text] as const)))(
    'fails when %s holds a template sequence (%#)',
    (_field, place, text) => {
      const field = (fixture.field ?? ((f: string) => f))(place.map !== undefined ? keyField(place.map, text) : place.field);
      const error = thrown(() => fixture.build(propsWith(fixture, place, text)));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toBe(
        `${field}: contains a Terraform template sequence (got ${formatValue(text)}); ` +
          'props are data and Terraform must never evaluate them: write the value without "${" or "%{", ' +
          'or pass a Terraform expression as a token (a TerraformVariable, a resource attribute or an Fn call)',
      );
    },
  );
});

describe('tokens are expressions, not data', () => {
  test('a token passes, whole or as a list; a template beside a token in one string does not', () => {
    const stack = testStack();
    const vpc = new TerraformVariable(stack, 'vpc_id', { type: 'string' });
    const subnets = new TerraformVariable(stack, 'subnet_ids', { type: 'list(string)' });
    const props = {
      name: 'desk-eu',
      allowedCidrs: ['10.1.0.0/16'],
      services: [{ key: 'internal-0', serviceName: 'svc', ports: { a: 9001 } }],
    };
    expect(() => new ConsumerEndpoint(stack, 'ok', { ...props, vpcId: vpc.stringValue, subnetIds: subnets.listValue })).not.toThrow();
    expect(
      () => new ConsumerEndpoint(stack, 'mixed', { ...props, vpcId: `${vpc.stringValue}\${file("x")}`, subnetIds: IDS.subnets }),
    ).toThrow(/^vpcId: contains a Terraform template sequence/);
  });

  test('a literal BGP key is refused without being shown, even when it holds a template sequence', () => {
    const error = thrown(
      () =>
        new ProviderStack(Testing.app(), 'provider', {
          region: 'eu-west-2',
          accountId: '111111111111',
          provider: {
            name: 'fix-gw',
            createVpc: { cidr: '10.42.0.0/24', availabilityZones: ['eu-west-2a', 'eu-west-2b'] },
            directConnect: {
              privateVif: {
                connectionId: IDS.connection,
                vlan: 101,
                bgpAsn: 65010,
                amazonAddress: '169.254.100.1/30',
                customerAddress: '169.254.100.2/30',
              },
            },
            bgpAuthKey: 'secret-${file("/etc/hostname")}',
            forwards: { a: { listenPort: 9001, targetIp: '192.0.2.10', targetPort: 9876 } },
            allowedPrincipals: ['arn:aws:iam::222222222222:root'],
          },
        }),
    );
    expect((error as Error).message).toMatch(/^directConnect\.privateVif\.bgpAuthKey: is a literal string/);
    expect((error as Error).message).not.toContain('secret');
  });
});

/** A fixture's props changed by `change`, built; the error it throws. */
function problemOf(name: string, change: (props: Record<string, any>) => void): string | undefined {
  const fixture = FIXTURES.find((f) => f.name === name)!;
  const props = fixture.props();
  change(props);
  const error = thrown(() => fixture.build(props));
  if (error !== undefined && !(error instanceof ValidationError)) throw error;
  return error?.message;
}

describe('ids of an AWS shape and enum props, as the config loader checks them', () => {
  const cases: [string, string, (p: Record<string, any>) => void, string][] = [
    ['ConsumerEndpoint', 'a VPC id', (p) => (p.vpcId = 'vpc-1'), 'vpcId: is not a VPC id (got "vpc-1")'],
    [
      'ConsumerEndpoint',
      'a subnet id',
      (p) => (p.subnetIds = [IDS.subnets[0], 'subnet-b']),
      'subnetIds[1]: is not a subnet id (got "subnet-b")',
    ],
    ['ConsumerStack', 'a consumer VPC id', (p) => (p.endpoint.vpcId = 'vpc'), 'vpcId: is not a VPC id (got "vpc")'],
    ['ConsumerStack', 'a handoff bucket', (p) => (p.handoff.bucket = 'Bucket'), 'handoff.bucket: is not an S3 bucket name (got "Bucket")'],
    ['ConsumerStack', 'a shard key', (p) => (p.shards[0].key = 'x"] ? 1 : 0'), 'shards[0].key: is not a service key'],
    ['DxStack', 'a state bucket', (p) => (p.state.s3.bucket = 'a..b'), 'state.s3.bucket: is not an S3 bucket name (got "a..b")'],
    [
      'DxStack',
      'a state key prefix',
      (p) => (p.state.s3.keyPrefix = '/abs'),
      'state.s3.keyPrefix: is not a usable S3 key prefix (got "/abs")',
    ],
    [
      'DxStack',
      'a state role in another partition',
      (p) => (p.state.s3.roleArn = 'arn:aws-cn:iam::111111111111:role/state'),
      'state.s3.roleArn: is not in partition aws of region eu-west-2',
    ],
    [
      'DirectConnectAttachment',
      'a connection id',
      (p) => (p.settings.privateVif.connectionId = 'dxcon-1'),
      'directConnect.privateVif.connectionId: is not a Direct Connect connection or LAG id (got "dxcon-1")',
    ],
    [
      'DirectConnectAttachment',
      'a VGW id',
      (p) => (p.settings.existingVgwId = 'vgw-0a'),
      'directConnect.existingVgwId: is not a virtual private gateway id',
    ],
    [
      'DirectConnectAttachment',
      'a gateway id',
      (p) => (p.settings.dxGatewayId = 'dxgw'),
      'directConnect.dxGatewayId: is not a Direct Connect gateway id',
    ],
    [
      'DirectConnectAttachment (hosted VIF)',
      'a hosted VIF id',
      (p) => (p.settings.hostedVifId = 'dxvif-1'),
      'directConnect.hostedVifId: is not a virtual interface id (got "dxvif-1")',
    ],
    [
      'DirectConnectAttachment',
      'the routing',
      (p) => (p.settings.routing = 'dynamic'),
      'directConnect.routing: is not an allowed value (got "dynamic"); use one of: "propagate", "static"',
    ],
    ['DirectConnectAttachment', 'a VPC id', (p) => (p.vpcId = 'vpc-1'), 'vpcId: is not a VPC id'],
    ['DirectConnectAttachment', 'a route table id', (p) => (p.routeTables = { a: 'rtb-a' }), 'routeTables.a: is not a route table id'],
    ['DirectConnectAttachment', 'a target address', (p) => (p.targetIps = ['broker']), 'targetIps[0]: is not an IPv4 address'],
    ['ProviderNetwork', 'an existing VPC id', (p) => (p.existing.vpcId = 'vpc-1'), 'vpc.existing.vpcId: is not a VPC id'],
    [
      'ProviderNetwork',
      'a zone key',
      (p) => (p.existing.subnetIds = { 'eu-west-2a': IDS.subnets[0], 'eu west': IDS.subnets[1] }),
      'vpc.existing.subnetIds["eu west"]: is not an availability zone name',
    ],
    [
      'ProviderNetwork',
      'a route table id',
      (p) => (p.existing.routeTableIds = ['rtb-1']),
      'vpc.existing.routeTableIds[0]: is not a route table id',
    ],
    [
      'ProviderNetwork',
      'a prefix list id',
      (p) => (p.existing.s3PrefixListId = 'pl-1'),
      'vpc.existing.s3PrefixListId: is not a prefix list id',
    ],
    ['ProviderNetwork', 'the region', (p) => (p.region = 'eu-west-.*'), 'region: is not an AWS region name'],
    [
      'FlowLogs',
      'the destination',
      (p) => (p.settings.destination = 'kinesis'),
      'flowLogs.destination: is not an allowed value (got "kinesis"); use one of: "cloudwatch", "s3"',
    ],
    [
      'TenantService',
      'the acceptance',
      (p) => (p.acceptance = 'always'),
      'acceptance: is not an allowed value (got "always"); use one of: "manual", "auto"',
    ],
    ['TenantService', 'a VPC id', (p) => (p.vpcId = 'vpc-1'), 'vpcId: is not a VPC id'],
    [
      'DxPrivateLinkProvider',
      'a tenant acceptance',
      (p) => (p.tenants[0].acceptance = 'yes'),
      'tenants[0].acceptance: is not an allowed value (got "yes"); use one of: "manual", "auto"',
    ],
    ['DxPrivateLinkProvider', 'the partition', (p) => (p.partition = 'aws-evil'), 'partition: is not an allowed value (got "aws-evil")'],
    [
      'DxPrivateLinkProvider',
      'the NAT architecture',
      (p) => (p.natFleet.architecture = 'riscv'),
      'natFleet.architecture: is not an allowed value (got "riscv"); use one of: "arm64", "x86_64"',
    ],
    [
      'DxPrivateLinkProvider',
      'the key region',
      (p) => (p.kmsKeyArn = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      'kmsKeyArn: is a key in eu-west-1, but it is used in eu-west-2',
    ],
    ['DxPrivateLinkProvider', 'the IAM path', (p) => (p.iam.path = 'network'), 'iam.path: is not an IAM path (got "network")'],
    [
      'DxPrivateLinkProvider',
      'a NAT group',
      (p) => (p.natFleet.securityGroupIds = ['sg']),
      'natFleet.securityGroupIds[0]: is not a security group id',
    ],
    [
      'DxPrivateLinkProvider',
      'an NLB group',
      (p) => (p.nlbSecurityGroupIds = ['sg-1']),
      'nlbSecurityGroupIds[0]: is not a security group id',
    ],
    [
      'DxPrivateLinkProvider',
      "a tenant's NLB group",
      (p) => (p.tenants[0].nlbSecurityGroupIds = [...p.nlbSecurityGroupIds]),
      'tenants[0].nlbSecurityGroupIds[0]: is also in nlbSecurityGroupIds (got "sg-0bbbbbbbbbbbbbbbb")',
    ],
    [
      'ProviderStack',
      'the boundary account',
      (p) => (p.provider.iam.permissionsBoundary = 'arn:aws:iam::999999999999:policy/b'),
      'iam.permissionsBoundary: is a policy of account 999999999999, not of the account 111111111111 the roles are in',
    ],
    ['ConsumerEndpoint', 'the zone id', (p) => (p.dnsZoneId = 'z1'), 'dnsZoneId: is not a Route 53 hosted zone id (got "z1")'],
    ['ForwardingNlb', 'an extra group', (p) => (p.securityGroupIds = ['sg-1']), 'securityGroupIds[0]: is not a security group id'],
    ['PrivateBucket', 'the key', (p) => (p.kmsKeyArn = 'alias/x'), 'kmsKeyArn: is not the ARN of a KMS key (got "alias/x")'],
    ['PrivateBucket', 'the partition', (p) => (p.partition = 'aws-evil'), 'partition: is not an allowed value'],
    ['ConsumerHandoff', 'the partition', (p) => (p.partition = 'gov'), 'partition: is not an allowed value'],
  ];

  test.each(cases)('%s fails for %s', (name, _what, change, message) => {
    expect(problemOf(name, change)?.startsWith(message)).toBe(true);
  });

  test('the construct and the config loader word an id problem alike: only the field differs', () => {
    const fromConfig = (() => {
      try {
        parseConfig(
          exampleWith((c) => (c.direct_connect.private_vif.connection_id = 'dxcon-1')),
          'c.yaml',
        );
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    const fromConstruct = problemOf('DirectConnectAttachment', (p) => (p.settings.privateVif.connectionId = 'dxcon-1'));
    expect(fromConfig).toBe(`c.yaml: direct_connect.private_vif.connection_id: ${fromConstruct!.replace(/^[^:]+: /, '')}`);
    expect(
      new DirectConnectAttachment(testStack(), 'dx', {
        name: 'fix',
        vpcId: IDS.vpc,
        settings: { routing: 'propagate' },
        routeTables: {},
        targetIps: [],
      }),
    ).toBeDefined();
  });
});
