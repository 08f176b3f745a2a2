import { cidrContains, cidrsOverlap, isDirectTarget, isIpv4, isIpv4Cidr, isNetworkAddress } from '../constructs/private/ipv4';
import { DIRECT_TARGET_PATTERN, IPV4_PATTERN } from '../constructs/private/ipv4';
import { targetPath } from '../constructs/private/rules';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { terraformOk } from './support/terraform';

describe('ipv4', () => {
  test.each(['192.0.2.10', '0.0.0.0', '255.255.255.255', '10.0.0.1'])('%s is an IPv4 address', (a) => {
    expect(isIpv4(a)).toBe(true);
  });
  test.each(['192.0.2.999', '192.0.2', '192.0.2.10/32', 'broker.example.com', '01.2.3.4', ' 1.2.3.4', '1.2.3.4 ', '::1', ''])(
    '%j is not an IPv4 address',
    (a) => expect(isIpv4(a)).toBe(false),
  );

  test.each([
    ['10.0.0.1', 'direct'],
    ['10.255.255.255', 'direct'],
    ['172.16.0.1', 'direct'],
    ['172.31.255.1', 'direct'],
    ['192.168.1.1', 'direct'],
    ['100.64.0.1', 'direct'],
    ['100.127.255.254', 'direct'],
    ['172.15.0.1', 'nat'],
    ['172.32.0.1', 'nat'],
    ['100.63.255.255', 'nat'],
    ['100.128.0.0', 'nat'],
    ['192.0.2.10', 'nat'],
    ['198.51.100.20', 'nat'],
    ['11.0.0.1', 'nat'],
    ['192.169.0.1', 'nat'],
  ])('%s goes %s', (address, path) => {
    expect(targetPath(address)).toBe(path);
    expect(isDirectTarget(address)).toBe(path === 'direct');
  });

  test('Terraform classifies addresses exactly as TypeScript does (same patterns)', () => {
    // GIVEN addresses on both sides of every range boundary
    const samples = [
      '10.0.0.1',
      '9.255.255.255',
      '172.16.0.1',
      '172.31.255.1',
      '172.15.0.1',
      '172.32.0.1',
      '192.168.1.1',
      '192.169.0.1',
      '100.64.0.1',
      '100.127.255.254',
      '100.63.255.255',
      '100.128.0.0',
      '192.0.2.10',
      '198.51.100.20',
      '192.0.2.999',
      '01.2.3.4',
    ];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-console-'));
    try {
      // WHEN real Terraform evaluates the patterns the constructs render
      const expr = `jsonencode([for a in ${JSON.stringify(samples)} : [can(regex(${JSON.stringify(DIRECT_TARGET_PATTERN)}, a)), can(regex(${JSON.stringify(IPV4_PATTERN)}, a))]])`;
      const out = terraformOk(dir, ['console'], {}, expr);
      const fromTerraform = JSON.parse(JSON.parse(out.trim())) as [boolean, boolean][];
      // THEN the results match the TypeScript helpers
      expect(fromTerraform).toEqual(samples.map((a) => [new RegExp(DIRECT_TARGET_PATTERN).test(a), isIpv4(a)]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('CIDR helpers', () => {
    expect(isIpv4Cidr('10.42.0.0/24')).toBe(true);
    expect(isIpv4Cidr('10.42.0.0/33')).toBe(false);
    expect(isNetworkAddress('10.42.0.0/24')).toBe(true);
    expect(isNetworkAddress('10.42.0.1/24')).toBe(false);
    expect(cidrContains('10.42.0.0/24', '10.42.0.255')).toBe(true);
    expect(cidrContains('10.42.0.0/24', '10.42.1.0')).toBe(false);
    expect(cidrsOverlap('169.254.100.1/30', '169.254.100.2/30')).toBe(true);
    expect(cidrsOverlap('169.254.100.0/30', '169.254.100.4/30')).toBe(false);
  });
});
