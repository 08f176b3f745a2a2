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
  ok = runCli([EXAMPLE_CONFIG, '--out', okOut]);
});

describe('main (dx-privatelink command)', () => {
  test('synthesizes a config and prints a summary', () => {
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

  test('every problem of a config is listed, one line each, most important first: exit 2, nothing written', () => {
    // GIVEN a config with a misspelt key, a wrong type and a value out of range
    const text = example
      .replace('listen_port: 9002', 'listen_port: 0')
      .replace('nat_fleet:\n', 'nat_fleet:\n  instance_typo: t4g.nano\n')
      .replace(/deletion_protection: \w+/, 'deletion_protection: "yes"');
    expect(text).toContain('deletion_protection: "yes"');
    const config = writeConfig('three.yaml', text);
    const out = path.join(tmp, 'three.out');
    // WHEN
    const r = runCli([config, '--out', out]);
    // THEN one line per problem, the misspelling first
    expect({ status: r.status, stdout: r.stdout, written: existsSync(out) }).toEqual({ status: 2, stdout: '', written: false });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: .*three\.yaml: nat_fleet\.instance_typo: is not a known key/);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/: deletion_protection: must be a boolean \(got "yes"\); write true or false, without quotes$/),
    ]);
    // the range check runs once the types are right: fix the first two, and it is what is left
    const fixed = writeConfig('one-left.yaml', example.replace('listen_port: 9002', 'listen_port: 0'));
    const again = runCli([fixed, '--out', out]);
    expect(again.stderr).toMatch(/^error: .*one-left\.yaml: forwards\[1\]\.listen_port: is out of range \(got 0\)/);
    expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('the installed command needs a config: no made-up example deployed by accident', () => {
    // GIVEN no CONFIG argument and no DXPL_CONFIG, in an empty directory
    const dir = mkdtempSync(path.join(tmp, 'installed-'));
    // WHEN the bin (main.ts / dist/main.js) runs
    const r = runCli(['--out', 'fresh'], { DXPL_CONFIG: '' }, dir);
    // THEN exit 2, one line saying what to give, and nothing written
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: give the config file: dx-privatelink CONFIG \(or set DXPL_CONFIG\); copy the example in the package \(.*config\/example\.yaml\) and edit it\n$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a checkout (npm run synth, cdktf synth) synthesizes the bundled example when no config is given', () => {
    const out = path.join(tmp, 'checkout.out');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'synth.mjs'), '--out', out], {
      cwd: ROOT,
      env: { ...process.env, DXPL_CONFIG: '' },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`dx-privatelink: synthesized ${EXAMPLE_CONFIG}`);
    expect(existsSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'))).toBe(true);
  });

  test('--version prints the package version', () => {
    const r = runCli(['--version']);
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(r).toEqual({ status: 0, stdout: `dx-privatelink ${version}\n`, stderr: '' });
  });

  test('unknown options are rejected with exit 2', () => {
    const r = runCli(['--outdir', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: unknown option --outdir; see --help\n');
  });

  test('--help prints usage', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: dx-privatelink CONFIG \[--out DIR\] \[--quiet\]/);
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
