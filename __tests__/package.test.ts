import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as semver from 'semver';
import { ROOT } from './support/cli';
import { Plan, planInParallel, readPlan, resourcesOfType } from './support/terraform';
import { CONSTRUCT_EXAMPLE_HEADING, readmeTsBlock } from './support/readme';

// Issue 14: the package as another cdktf app gets it. `npm pack` builds and
// packs this checkout; the tarball is installed into a fresh TypeScript cdktf
// app outside the repository (package.json, cdktf.json and tsconfig.json as
// `cdktf init --template typescript` writes them), whose main.ts is the
// README's "Use the constructs in your own cdktf app" block as written. The
// app type-checks against the published declarations, synthesizes, and its
// stack plans for real, offline. The app's cdktf, constructs and provider
// bindings are this checkout's (linked): one copy of each, shared with the
// package through its peer dependencies.

const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};

function run(cmd: string, args: string[], cwd: string, timeout = 240000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const linked = (name: string) => `file:${path.join(ROOT, 'node_modules', name)}`;

let tmp: string;
let app: string;
let packed: string[];
let plan: Plan;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-package-'));
  // The build is current (global setup); --ignore-scripts: npm pack would rebuild dist/ under other test files.
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  packed = info.files.map((f) => f.path);
  app = path.join(tmp, 'my-app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'my-app',
        version: '1.0.0',
        private: true,
        main: 'main.js',
        scripts: { get: 'cdktf get', build: 'tsc', synth: 'cdktf synth' },
        dependencies: {
          'dx-privatelink': `file:${path.join(tmp, info.filename)}`,
          cdktf: linked('cdktf'),
          constructs: linked('constructs'),
          '@cdktf/provider-aws': linked('@cdktf/provider-aws'),
        },
        devDependencies: { typescript: linked('typescript'), '@types/node': linked('@types/node') },
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(app, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node main.js', terraformProviders: [] }));
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        alwaysStrict: true,
        declaration: true,
        experimentalDecorators: true,
        inlineSourceMap: true,
        inlineSources: true,
        lib: ['es2018'],
        module: 'CommonJS',
        noEmitOnError: true,
        noImplicitAny: true,
        noImplicitReturns: true,
        noImplicitThis: true,
        strict: true,
        strictNullChecks: true,
        target: 'ES2018',
        incremental: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['**/*.ts'],
      exclude: ['node_modules', 'cdktf.out'],
    }),
  );
  writeFileSync(path.join(app, 'main.ts'), readmeTsBlock(CONSTRUCT_EXAMPLE_HEADING));
  // --legacy-peer-deps: npm's resolver fails (TypeError in Link.matches) when
  // peers are file: links, as here to spare a 392 MB download; the peers'
  // versions are checked against the declared ranges below instead.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps'], app);
  run(process.execPath, [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc')], app);
  run(process.execPath, ['main.js'], app);
  const base = path.join(tmp, 'plan');
  await planInParallel([{ dir: path.join(app, 'cdktf.out', 'stacks', 'provider'), base }]);
  plan = readPlan(base);
}, 600000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the package, installed into a fresh cdktf app', () => {
  test("the README's construct example type-checks, synthesizes and plans for real", () => {
    expect(readmeTsBlock(CONSTRUCT_EXAMPLE_HEADING)).toContain("from 'dx-privatelink'");
    const types = (t: string) => resourcesOfType(plan, t).length;
    expect(types('aws_dx_hosted_private_virtual_interface_accepter')).toBe(1);
    expect(types('aws_vpc')).toBe(1);
    expect(types('aws_autoscaling_group')).toBe(1);
    expect(types('aws_vpc_endpoint_service')).toBe(1);
    expect(types('aws_cloudwatch_metric_alarm')).toBeGreaterThan(0);
    expect(new Set(plan.json.resource_changes.map((r) => r.change.actions.join(',')))).toEqual(new Set(['create']));
  });

  test("one copy of cdktf, constructs and the provider bindings: the peers are the app's own", () => {
    const nested = path.join(app, 'node_modules', 'dx-privatelink', 'node_modules');
    for (const peer of Object.keys(PKG.peerDependencies))
      expect({ peer, nested: existsSync(path.join(nested, peer)) }).toEqual({ peer, nested: false });
    const installed = JSON.parse(readFileSync(path.join(app, 'node_modules', 'dx-privatelink', 'package.json'), 'utf8'));
    expect(installed).toMatchObject({ version: PKG.version, peerDependencies: PKG.peerDependencies });
    expect(installed.dependencies).not.toHaveProperty('cdktf');
    // the app's copies (the versions the suite runs on) satisfy the declared ranges
    for (const [peer, range] of Object.entries(PKG.peerDependencies)) {
      const version = JSON.parse(readFileSync(path.join(app, 'node_modules', peer, 'package.json'), 'utf8')).version as string;
      expect({ peer, version, ok: semver.satisfies(version, range) }).toEqual({ peer, version, ok: true });
    }
  });

  test('the tarball holds the build, its declarations, the templates and modules, and no sources or tests', () => {
    for (const file of [
      'package.json',
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'dist/main.js',
      'dist/constructs/index.js',
      'dist/constructs/index.d.ts',
      'dist/config/index.d.ts',
      'constructs/templates/nat-boot.sh.tftpl',
      'constructs/templates/nat-rules.nft.tftpl',
      'config/example.yaml',
      'modules/dx-privatelink-vpc/main.tf',
      'modules/dx-privatelink-vpc/variables.tf',
      'modules/dx-privatelink-vpc/outputs.tf',
      'modules/dx-privatelink-vpc/README.md',
      'modules/dx-privatelink-service/main.tf',
      'modules/dx-privatelink-service/variables.tf',
      'modules/dx-privatelink-consumer/main.tf',
      'modules/dx-privatelink-consumer/versions.tf',
      'modules/dx-privatelink-vpc/main.tf',
      // the examples' sources (../../modules/...) resolve inside the package
      'examples/dx-privatelink-service/main.tf',
      'examples/dx-privatelink-consumer/provider-handover.tfvars',
    ])
      expect(packed).toContain(file);
    const stray = packed.filter((f) => /^(__tests__|bench|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(stray).toEqual([]);
  });

  test('the command needs a config (never the made-up example by default), synthesizes the example it names, and the config loader is exported', () => {
    const out = path.join(app, 'out');
    const bin = path.join(app, 'node_modules', '.bin', 'dx-privatelink');
    const env = { ...process.env, DXPL_CONFIG: '' };
    // Issue 20, finding 4: installed, no config given: exit 2, nothing written.
    const none = spawnSync(bin, ['--out', out], { cwd: app, encoding: 'utf8', env });
    expect({ status: none.status, stderr: none.stderr, written: existsSync(out) }).toEqual({
      status: 2,
      stderr:
        'error: give the config file: dx-privatelink CONFIG (or set DXPL_CONFIG); copy the example in the package (node_modules/dx-privatelink/config/example.yaml) and edit it\n',
      written: false,
    });
    const example = path.join(app, 'node_modules', 'dx-privatelink', 'config', 'example.yaml');
    const r = spawnSync(bin, [example, '--out', out], { cwd: app, encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(path.join(out, 'stacks')).sort()).toEqual([
      'consumer-client-acme',
      'consumer-client-globex',
      'consumer-desk-eu',
      'provider',
    ]);
    expect(readFileSync(path.join(out, 'diagram.md'), 'utf8')).toContain('```mermaid');
    const loaded = spawnSync(
      process.execPath,
      ['-e', "const c = require('dx-privatelink/config'); console.log(c.loadConfig(c.EXAMPLE_CONFIG).name)"],
      { cwd: app, encoding: 'utf8' },
    );
    expect(loaded.stdout.trim()).toBe('fix-gw');
  });
});
