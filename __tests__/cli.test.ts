import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG } from '../config/load';
import { CliResult, ROOT, runCli } from './support/cli';
import { snapshot } from './support/files';
import { stackDependencies } from './support/manifest';

const example = readFileSync(EXAMPLE_CONFIG, 'utf8');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

// One successful run of the example, shared: its output is the "earlier
// run" the failure cases must leave alone.
let ok: CliResult;
let okOut: string;
beforeAll(() => {
  okOut = path.join(tmp, 'ok.out');
  ok = runCli(['--out', okOut]);
});

describe('main (dx-privatelink command)', () => {
  test('synthesizes the example by default and prints a summary', () => {
    const [r, out] = [ok, okOut];
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('    provider                 account 111111111111, eu-west-2\n');
    expect(r.stdout).toContain('      tenant internal: broker-a-fix, broker-b-fix, clearing-api\n');
    expect(r.stdout).toContain('      tenant clients: broker-b-fix\n');
    expect(r.stdout).toContain('    consumer-desk-eu         account 222222222222, eu-west-2: endpoints internal-0\n');
    expect(r.stdout).toContain('    consumer-client-globex   account 444444444444, eu-west-2: endpoints clients-0\n');
    expect(r.stdout).toContain('broker-a-fix  :9001 -> 192.0.2.10:9876  (via NAT fleet)');
    expect(r.stdout).toContain('clearing-api  :9443 -> 172.20.5.15:8443  (direct IP target)');
    expect(r.stdout).toContain(`output: ${path.join(out, 'stacks')}/<stack>/cdk.tf.json`);
    for (const stack of ['provider', 'consumer-desk-eu', 'consumer-client-acme', 'consumer-client-globex']) {
      expect(existsSync(path.join(out, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
    }
    expect(readdirSync(tmp).filter((f) => f.includes('staging') || f.includes('previous'))).toEqual([]);
  });

  test.each([
    ['duplicate listen port', ['listen_port: 9002', 'listen_port: 9001'], 'forwards[1].listen_port', '9001'],
    ['listen port out of range', ['listen_port: 9002', 'listen_port: 65536'], 'forwards[1].listen_port', '65536'],
    ['target not IPv4', ['target_ip: 192.0.2.10', 'target_ip: fix.broker-a.example'], 'forwards[0].target_ip', '"fix.broker-a.example"'],
    ['single AZ', ['[eu-west-2a, eu-west-2b]', '[eu-west-2a]'], 'vpc.create.availability_zones', '["eu-west-2a"]'],
    ['unknown key', ['nat_fleet:\n', 'nat_fleet:\n  instance_typo: t4g.nano\n'], 'nat_fleet.instance_typo', '"t4g.nano"'],
  ])('fails on %s: exit 2, one line naming field and value, nothing written', (_what, [from, to], field, value) => {
    // GIVEN a config with one bad value and an output directory from an earlier run
    const config = writeConfig(`${field.replace(/\W/g, '_')}.yaml`, example.replace(from, to));
    const out = path.join(tmp, `bad-${field.replace(/\W/g, '_')}.out`);
    cpSync(okOut, out, { recursive: true });
    const before = snapshot(out);
    expect(Object.keys(before).length).toBeGreaterThan(4);
    // WHEN
    const r = runCli([config, '--out', out]);
    // THEN
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${field.replace(/[.[\]]/g, '\\$&')}: .*\\(got ${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\); `,
      ),
    );
    expect(snapshot(out)).toEqual(before);
  });

  test('a bad config writes no output directory at all', () => {
    const out = path.join(tmp, 'never.out');
    const r = runCli([writeConfig('dup.yaml', example.replace('listen_port: 9002', 'listen_port: 9001')), '--out', out]);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  test('unknown options are rejected with exit 2', () => {
    const r = runCli(['--outdir', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: unknown option --outdir; see --help\n');
  });

  test('--help prints usage', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: dx-privatelink \[CONFIG\] \[--out DIR\] \[--quiet\]/);
  });

  test("`npx cdktf synth` runs the same app; its manifest orders `deploy '*'`: the provider stack, then each consumer", () => {
    const out = path.join(tmp, 'cdktf-cli.out');
    const r = spawnSync('npx', ['cdktf', 'synth', '--output', out], {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const stack = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource.aws_lb_listener).sort()).toEqual([
      'tenant_clients_s0_nlb_listener',
      'tenant_internal_s0_nlb_listener',
    ]);
    expect(readdirSync(path.join(out, 'stacks')).sort()).toEqual([
      'consumer-client-acme',
      'consumer-client-globex',
      'consumer-desk-eu',
      'provider',
    ]);
    // the cdktf CLI deploys a stack only after the stacks it depends on
    expect(stackDependencies(out)).toEqual({
      provider: [],
      'consumer-client-acme': ['provider'],
      'consumer-client-globex': ['provider'],
      'consumer-desk-eu': ['provider'],
    });
  });
});
