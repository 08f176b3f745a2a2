#!/usr/bin/env node
// Builds the package: TypeScript to dist/ with declarations
// (tsconfig.build.json), and dist/.build-stamp, which scripts/synth.mjs
// compares with the sources so a checkout never runs a stale build. Files
// read at run time (NAT templates, the example config) stay where they are,
// found from the package root.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('build: tsc failed; dist/ removed');
  process.exit(r.status ?? 1);
}
writeFileSync(path.join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
