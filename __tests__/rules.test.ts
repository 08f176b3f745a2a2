import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES, Rule } from '../constructs/private/rules';
import { terraformOk } from './support/terraform';

// Each rule is written once and checked twice: in TypeScript (config loader,
// constructs) and as a Terraform expression (the generated modules'
// validation blocks). Real Terraform evaluates every rule on values on both
// sides of its boundaries and must agree with TypeScript on each.
const SAMPLES: Record<keyof typeof RULES, unknown[]> = {
  name: ['fix-gw', 'a', 'ab', 'Fix', 'fix-', '1fix', 'a'.repeat(20), 'a'.repeat(21)],
  forwardName: ['a', 'broker-a-fix', 'broker_a', '-a', 'a-', 'a'.repeat(32), 'a'.repeat(33)],
  port: [0, 1, 80, 65535, 65536, 9001.5, -1],
  targetIp: ['192.0.2.10', '192.0.2.999', '01.2.3.4', '192.0.2.10/32', 'broker', '255.255.255.255'],
  routableTarget: [
    '192.0.2.10',
    '127.0.0.1',
    '0.1.2.3',
    '169.254.1.1',
    '169.253.1.1',
    '224.0.0.1',
    '239.1.1.1',
    '240.0.0.1',
    '223.1.1.1',
    '10.0.0.1',
  ],
  tcpIdleTimeout: [59, 60, 350, 6000, 6001, 60.5],
  cidr: ['10.42.0.0/24', '10.42.0.1/24', '10.42.0.0', '10.42.0.0/33', '0.0.0.0/0', '192.0.2.10/32'],
  vpcCidr: ['10.42.0.0/24', '10.0.0.0/16', '10.0.0.0/15', '10.42.0.0/26', '10.42.0.0/27', '10.42.0.1/24'],
  existingVpcCidr: ['10.42.0.0/24', '10.0.0.0/16', '10.0.0.0/15', '10.42.0.0/28', '10.42.0.0/29', '0.0.0.0/1', '10.42.0.1/24'],
  linkAddress: ['169.254.100.1/30', '169.254.100.1', '169.254.100.1/31', '169.254.100.1/29', '169.254.100.1/0', '10.0.0.1/30'],
  linkAddressRange: ['169.254.100.1/30', '10.0.0.1/30', '172.16.0.1/30', '192.168.1.1/31', '198.51.100.1/30', '169.253.0.1/30'],
  linkAddressHost: ['169.254.100.1/30', '169.254.100.2/30', '169.254.100.0/30', '169.254.100.3/30', '169.254.100.0/31', '169.254.100.1/31'],
  accountId: ['111111111111', '11111111111', '1111111111111', 'abcdefghijkl'],
  region: ['eu-west-2', 'us-gov-west-1', 'eu-west', 'EU-WEST-2', 'eu-west-2a'],
  availabilityZone: ['eu-west-2a', 'eu-west-2', 'us-east-1f'],
  vlan: [0, 1, 4094, 4095],
  bgpAsn: [0, 1, 65010, 4294967294, 4294967295],
  amazonSideAsn: [64511, 64512, 65534, 65535, 4199999999, 4200000000, 4294967294, 4294967295, 7224],
  fleetMinSize: [1, 2, 100, 101, 2.5],
  mtu: [1500, 8500, 9001, 9000],
  principal: ['arn:aws:iam::222222222222:root', '*', 'arn:aws:iam::*:root', 'arn:aws:iam::222222222222:role/app', '222222222222'],
  dnsZone: ['fix.internal', 'a.b.c', 'fix.internal.', 'Fix.internal', 'internal', '-a.internal'],
  dnsZoneLength: ['fix.internal', 'a'.repeat(220), 'a'.repeat(221)],
  dnsZoneNotAws: ['fix.internal', 'amazonaws.com', 'eu-west-2.amazonaws.com', 'com.cn', 'myamazonaws.com', 'aws', 'x.aws', 'aws.internal'],
  roleArn: [
    'arn:aws:iam::111111111111:role/deploy',
    'arn:aws-cn:iam::111111111111:role/a/b',
    'arn:aws-us-gov:iam::111111111111:role/x',
    'arn:aws-evil:iam::111111111111:role/x',
    'arn:aws:iam::11111111111:role/x',
    'arn:aws:iam::111111111111:user/x',
  ],
  tagKey: ['team', 'cost-centre:a/b=c+d@e.f_g', 'Ümlaut ß', 'k'.repeat(128), 'k'.repeat(129), '', 'a\nb', '${x}', 'a%b', 'a,b'],
  tagKeyNotReserved: ['team', 'aws:x', 'AWS:x', 'Aws:', 'awsx', 'xaws:'],
  tagValue: ['', 'trading network', 'v'.repeat(256), 'v'.repeat(257), 'a\nb', '${file("/etc/hostname")}', '%{ for x in y }'],
  cidrsNotEveryone: [
    ['10.0.0.0/8'],
    ['0.0.0.0/0'],
    ['0.0.0.0/1', '128.0.0.0/1'],
    ['128.0.0.0/1', '0.0.0.0/1'],
    ['0.0.0.0/1', '128.0.0.0/2'],
    ['0.0.0.0/2', '64.0.0.0/2', '0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'],
    ['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3', '224.0.0.0/3'],
    ['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3', '224.0.0.0/4', '240.0.0.0/4'],
    [],
  ],
  instanceType: ['t4g.small', 'c7gn.medium', 'u-6tb1.112xlarge', '', 't4g.small\n', 'T4G.small', 't4g', 't4g.${x}'],
  snsTopicArn: [
    'arn:aws:sns:eu-west-2:111111111111:netops-alerts',
    'arn:aws-cn:sns:cn-north-1:111111111111:a_b-c',
    'arn:aws:sns:eu-west-2:111111111111:alerts.fifo',
    'arn:aws:sns:eu-west-2:11111111111:alerts',
    'arn:aws:sqs:eu-west-2:111111111111:alerts',
    'arn:aws:sns:eu-west-2:111111111111:',
    'netops-alerts',
  ],
  email: ['netops@example.com', 'a.b+c@mail.example.co.uk', 'netops', 'a@b', '@example.com', 'a b@example.com', 'a@example.com\n'],
  s3BucketArn: [
    'arn:aws:s3:::acme-flow-logs',
    'arn:aws:s3:::acme-flow-logs/dx-privatelink/',
    'arn:aws:s3:::Acme',
    'arn:aws:s3:::ab',
    'arn:aws:s3:::abc',
    'arn:aws:s3:eu-west-2::acme',
    'acme-flow-logs',
  ],
  logRetentionDays: [0, 1, 2, 30, 365, 3653, 3654, 30.5],
  amiId: ['ami-0123456789abcdef0', 'ami-12345678', 'ami-0123456789ABCDEF0', 'ami-123', 'ami-0123456789abcdef01', 'latest'],
  maxInstanceLifetimeDays: [0, 1, 7, 365, 366, 1.5],
  vpcId: ['vpc-0123456789abcdef0', 'vpc-12345678', 'vpc-1', 'vpc-0123456789ABCDEF0', 'subnet-12345678', 'vpc-${x}'],
  subnetId: ['subnet-0123456789abcdef0', 'subnet-12345678', 'subnet-a', 'vpc-12345678', 'subnet-0123456789abcdef0\n'],
  routeTableId: ['rtb-0123456789abcdef0', 'rtb-12345678', 'rtb-1', 'rtb-0123456789abcdef01'],
  securityGroupId: ['sg-0123456789abcdef0', 'sg-12345678', 'sg-1', 'sg-0123456789ABCDEF0', 'vpc-12345678'],
  vpcEndpointId: ['vpce-0123456789abcdef0', 'vpce-12345678', 'vpce-1', 'vpce-0123456789ABCDEF0', 'vpce-svc-0123456789abcdef0'],
  prefixListId: ['pl-7ca54015', 'pl-0123456789abcdef0', 'pl-1', 'pl-7CA54015'],
  vgwId: ['vgw-0123456789abcdef0', 'vgw-12345678', 'vgw-0a', 'vgw-'],
  dxGatewayId: ['5f1c4e1e-0000-4000-8000-000000000000', '5F1C4E1E-0000-4000-8000-000000000000', '5f1c4e1e', 'dxgw'],
  dxConnectionId: ['dxcon-fgexampl', 'dxlag-ffrz71kw', 'dxcon-fgexamp', 'dxvif-ffhhk74f', 'dxcon-${file("x")}', 'dxcon-fgexampl\n'],
  hostedVifId: ['dxvif-ffhhk74f', 'dxvif-ffhhk74', 'dxcon-fgexampl', 'dxvif-FFHHK74F'],
  s3BucketName: ['acme-terraform-state', 'a.b.c', 'ab', 'a'.repeat(63), 'a'.repeat(64), 'a..b', 'Acme', '-acme', 'acme-'],
  s3KeyPrefix: ['dx-privatelink/fix-gw', 'a', '/leading', "a!b.c*d'e(f)g_h", 'a b', 'k'.repeat(900), 'k'.repeat(901), ''],
  serviceKey: ['internal-0', 'clients-12', 'internal', 'internal-', 'Internal-0', 'a-0', 'internal-1000', 'x"]-0'],
  kmsKeyArn: [
    'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:eu-west-2:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:eu-west-2:111111111111:alias/netops',
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:eu-west-2:11111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:eu-west-2:111111111111:key/1234ABCD-12AB-34CD-56EF-1234567890AB',
    'arn:aws-evil:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  ],
  iamPath: [
    '/',
    '/network/',
    '/a/b-c_d/',
    'network',
    '/network',
    'network/',
    '//',
    '/a b/',
    `/${'p'.repeat(510)}/`,
    `/${'p'.repeat(511)}/`,
  ],
  permissionsBoundaryArn: [
    'arn:aws:iam::111111111111:policy/dx-boundary',
    'arn:aws:iam::111111111111:policy/boundaries/network-boundary',
    'arn:aws:iam::aws:policy/PowerUserAccess',
    'arn:aws:iam::111111111111:role/dx-boundary',
    'arn:aws:iam::111111111111:policy/',
    'arn:aws-evil:iam::111111111111:policy/x',
    'arn:aws:iam::111111111111:policy/a b',
    'dx-boundary',
  ],
  hostedZoneId: [
    'Z0123456789ABCDEFGHIJ',
    'Z1',
    'Z',
    'z0123',
    'Z0123456789abc',
    '/hostedzone/Z0123',
    `Z${'A'.repeat(31)}`,
    `Z${'A'.repeat(32)}`,
  ],
};

/** A value as an HCL literal: JSON, with template sequences escaped so Terraform reads them as text. */
function hcl(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

describe('RULES', () => {
  test('Terraform evaluates every rule exactly as TypeScript does', () => {
    const names = Object.keys(SAMPLES) as (keyof typeof RULES)[];
    const expr = `jsonencode([${names
      .map((n) => `[${SAMPLES[n].map((v) => `try(${(RULES[n] as Rule<unknown>).tf(hcl(v))}, "error")`).join(', ')}]`)
      .join(', ')}])`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-rules-'));
    try {
      const fromTerraform = JSON.parse(JSON.parse(terraformOk(dir, ['console'], {}, expr).trim())) as boolean[][];
      const fromTypeScript = names.map((n) => SAMPLES[n].map((v) => (RULES[n] as Rule<unknown>).test(v)));
      expect(Object.fromEntries(names.map((n, i) => [n, fromTerraform[i]]))).toEqual(
        Object.fromEntries(names.map((n, i) => [n, fromTypeScript[i]])),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every rule has samples on both sides', () => {
    for (const [name, samples] of Object.entries(SAMPLES)) {
      const results = samples.map((v) => (RULES[name as keyof typeof RULES] as Rule<unknown>).test(v));
      expect({ name, passes: results.includes(true), fails: results.includes(false) }).toEqual({ name, passes: true, fails: true });
    }
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(RULES).sort());
  });
});
