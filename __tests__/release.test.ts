import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './support/cli';

// Issue 14: the docs' version references match package.json, and the
// check that says so fails when one does not.

const SCRIPT = path.join(ROOT, 'scripts', 'check-versions.mjs');
const check = (root: string, ...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args, root], { encoding: 'utf8' });

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-release-'));
  for (const p of [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'docs',
    'examples',
    'modules/dx-privatelink-vpc/README.md',
    'modules/dx-privatelink-service/README.md',
    'modules/dx-privatelink-consumer/README.md',
  ])
    cpSync(path.join(ROOT, p), path.join(tmp, p), { recursive: true });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('version references', () => {
  test('every ?ref= in the docs, the modules and the examples, and the changelog, match package.json', () => {
    const r = check(ROOT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`?ref=v${version}`);
  });

  test('a stale ref, a release missing from the changelog and a missing tag are each named', () => {
    const example = path.join(tmp, 'examples', 'dx-privatelink-vpc', 'main.tf');
    const text = readFileSync(example, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('?ref=')) + 1;
    expect(line).toBeGreaterThan(0);
    writeFileSync(example, text.replace(/\?ref=v[0-9.]+/, '?ref=v0.0.9'));
    const pkg = JSON.parse(readFileSync(path.join(tmp, 'package.json'), 'utf8'));
    const r = check(tmp, '--tag');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `examples/dx-privatelink-vpc/main.tf:${line}: ?ref=v0.0.9, but package.json is ${pkg.version}: use v${pkg.version}`,
    );
    expect(r.stderr).toContain(`git: no tag v${pkg.version}`);
    writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ ...pkg, version: '9.9.9' }));
    expect(check(tmp).stderr).toContain('CHANGELOG.md: no section "## [9.9.9] - YYYY-MM-DD"');
  });
});
