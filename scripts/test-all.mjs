#!/usr/bin/env node
// The whole test suite, every layer, as CI runs it (README's test command):
//
//   npm run test:all [-- JEST ARGS]
//
//   1. installs what the cdktn check needs (once; the tests never download)
//   2. the fast layer (npm test: jest.config.js)
//   3. the slow layer (npm run test:slow: jest.slow.config.js)
//
// Each step runs even when an earlier one failed; the exit status is the
// first failure's. Prints each step's wall and CPU seconds (user + system of
// its whole process tree) at the end.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jestArgs = process.argv.slice(2);
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const steps = [
  ['cdktn packages (check:cdktn -- --install)', [path.join(root, 'scripts', 'cdktn-compat.mjs'), '--install']],
  ['fast layer (npm test)', [jest, ...jestArgs]],
  ['slow layer (npm run test:slow)', [jest, '--config', path.join(root, 'jest.slow.config.js'), ...jestArgs]],
];

/** User + system seconds of the children this process has reaped, and theirs (/proc/self/stat, cutime + cstime). */
function childrenCpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

let status = 0;
const report = [];
for (const [name, args] of steps) {
  const wall = Date.now();
  const cpu = childrenCpu();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const code = r.status ?? 1;
  report.push(`${name}: exit ${code}, ${((Date.now() - wall) / 1000).toFixed(0)} s wall, ${(childrenCpu() - cpu).toFixed(0)} s CPU`);
  if (code !== 0 && status === 0) status = code;
}
console.error(`test:all:\n  ${report.join('\n  ')}`);
process.exit(status);
