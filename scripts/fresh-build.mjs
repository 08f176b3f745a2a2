#!/usr/bin/env node
// Rebuilds dist/ when any source is newer than the last build (dist/.build-stamp).
// Imported by scripts/synth.mjs; run on its own by the test setup and the cdktn check.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const SOURCES = ['main.ts', 'constructs', 'config', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `p` (ms). */
function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((t, name) => Math.max(t, newest(path.join(p, name))), s.mtimeMs);
}

/** Builds when the build is missing or older than a source; exits the process when the build fails. */
export function ensureFreshBuild() {
  const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  if (!SOURCES.some((s) => existsSync(path.join(ROOT, s)) && newest(path.join(ROOT, s)) > built)) return;
  console.error(built ? 'dx-privatelink: sources changed since the last build; building' : 'dx-privatelink: no build yet; building');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureFreshBuild();
