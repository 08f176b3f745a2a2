#!/usr/bin/env node
// Checks that the docs' version references match package.json:
//  - every `?ref=vX.Y.Z`, `.git#vX.Y.Z` and `--branch vX.Y.Z` in README.md,
//    docs/, modules/*/README.md and examples/ pins v<version>;
//  - CHANGELOG.md has a section `## [<version>] - YYYY-MM-DD` and a link
//    `[<version>]: ...v<version>`;
//  - with --tag: the git tag v<version> exists (run before publishing).
// Usage: node scripts/check-versions.mjs [--tag] [ROOT]
// Exit 0 when all hold; 1 with one line per problem (file:line, found, expected).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const wantTag = args.includes('--tag');
const root = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const problems = [];

/** Files under `p` (a file or directory) with one of `exts`. */
function files(p, exts) {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return exts.some((e) => p.endsWith(e)) ? [p] : [];
  return readdirSync(p)
    .filter((n) => !n.startsWith('.') && n !== 'node_modules')
    .flatMap((n) => files(path.join(p, n), exts));
}

const docs = [
  ...files(path.join(root, 'README.md'), ['.md']),
  ...files(path.join(root, 'docs'), ['.md']),
  ...readdirSync(path.join(root, 'modules'))
    .map((m) => path.join(root, 'modules', m, 'README.md'))
    .filter((f) => existsSync(f)),
  ...files(path.join(root, 'examples'), ['.tf', '.md']),
];
for (const file of docs) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      // `?ref=vX.Y.Z` (module sources), `.git#vX.Y.Z` (npm git installs), `--branch vX.Y.Z` (clones)
      for (const m of line.matchAll(/([?&]ref=|\.git#|--branch )(v[0-9][^"'\s&)]*)/g)) {
        if (m[2] !== `v${version}`)
          problems.push(`${path.relative(root, file)}:${i + 1}: ${m[1].trim()}${m[2]}, but package.json is ${version}: use v${version}`);
      }
    });
}

const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
const escaped = version.replace(/\./g, '\\.');
if (!new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm').test(changelog))
  problems.push(`CHANGELOG.md: no section "## [${version}] - YYYY-MM-DD" for package.json's version`);
if (!new RegExp(`^\\[${escaped}\\]: \\S*v${escaped}\\b`, 'm').test(changelog))
  problems.push(`CHANGELOG.md: no link "[${version}]: .../v${version}" naming the release tag`);

if (wantTag) {
  const tag = spawnSync('git', ['-C', root, 'rev-parse', '-q', '--verify', `refs/tags/v${version}`], { encoding: 'utf8' });
  if (tag.status !== 0)
    problems.push(`git: no tag v${version}; tag the release commit: git tag -a v${version} -m "dx-privatelink ${version}"`);
}

for (const p of problems) console.error(`check-versions: ${p}`);
if (problems.length === 0) console.log(`check-versions: docs, modules and CHANGELOG match ${version}${wantTag ? ' and its tag' : ''}`);
process.exitCode = problems.length === 0 ? 0 : 1;
