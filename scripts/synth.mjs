#!/usr/bin/env node
// The main job in a checkout: runs the built JavaScript (dist/main.js),
// rebuilding first when any source is newer than the last build, so an edit
// never runs stale code. Installed packages run dist/main.js directly (bin).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const SOURCES = ['main.ts', 'constructs', 'config', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `p` (ms). */
function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((t, name) => Math.max(t, newest(path.join(p, name))), s.mtimeMs);
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (SOURCES.some((s) => existsSync(path.join(root, s)) && newest(path.join(root, s)) > built)) {
  console.error(built ? 'dx-privatelink: sources changed since the last build; building' : 'dx-privatelink: no build yet; building');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { main } = createRequire(import.meta.url)(path.join(root, 'dist', 'main.js'));
process.exitCode = main(process.argv.slice(2));
