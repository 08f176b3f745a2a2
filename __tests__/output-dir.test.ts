import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG } from '../config/load';
import { OUTPUT_MARKER, markerText } from '../config/output-dir';
import { ROOT, runCli, runMain } from './support/cli';
import { snapshot } from './support/files';

const DIST_MAIN = path.join(ROOT, 'dist', 'main.js');

// Issue 10, finding 1: the output directory is the tool's own. It replaces
// only a directory it created (marked at synth) or an empty one, and refuses
// everything else with exit 2, one line naming --out, and nothing touched.

let tmp: string;
/** A user's working tree: a git repository with a config and other files. */
let repo: string;
let config: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-outdir-'));
  repo = path.join(tmp, 'infra');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(path.join(repo, 'package.json'), '{}\n');
  writeFileSync(path.join(repo, 'notes.txt'), 'do not delete\n');
  mkdirSync(path.join(repo, 'configs'));
  config = path.join(repo, 'configs', 'my.yaml');
  cpSync(EXAMPLE_CONFIG, config);
  mkdirSync(path.join(repo, 'deploy'), { recursive: true });
  writeFileSync(path.join(repo, 'deploy', 'pipeline.yml'), 'steps: []\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--out', () => {
  const cases: [string, () => { cwd: string; args: string[] }, RegExp][] = [
    [
      'the current directory ($PWD)',
      () => ({ cwd: repo, args: [config, '--out', repo] }),
      /is the current directory or one of its parents/,
    ],
    ['"."', () => ({ cwd: repo, args: [config, '--out', '.'] }), /is the current directory or one of its parents/],
    ['"./"', () => ({ cwd: repo, args: [config, '--out', './'] }), /is the current directory or one of its parents/],
    ['".."', () => ({ cwd: path.join(repo, 'deploy'), args: [config, '--out', '..'] }), /is the current directory or one of its parents/],
    ['"/"', () => ({ cwd: repo, args: [config, '--out', '/'] }), /is the current directory or one of its parents/],
    ['another repository (~/some-repo)', () => ({ cwd: tmp, args: [config, '--out', repo] }), /is a repository root|holds the config file/],
    ['a file (notes.txt)', () => ({ cwd: repo, args: [config, '--out', 'notes.txt'] }), /is a file, not a directory/],
    ['the config file itself', () => ({ cwd: repo, args: [config, '--out', config] }), /is the config file/],
    ["the config's own directory", () => ({ cwd: repo, args: [config, '--out', path.join(repo, 'configs')] }), /holds the config file/],
    [
      'an existing directory the tool did not create',
      () => ({ cwd: repo, args: [config, '--out', 'deploy'] }),
      /was not created by dx-privatelink/,
    ],
    [
      'a path below a file (notes.txt/out)',
      () => ({ cwd: repo, args: [config, '--out', 'notes.txt/out'] }),
      /is inside .*notes\.txt, which is not a directory/,
    ],
    ['an empty --out=', () => ({ cwd: repo, args: [config, '--out='] }), /^error: --out needs a directory/],
    [
      'another option as the directory (--out --quiet)',
      () => ({ cwd: repo, args: [config, '--out', '--quiet'] }),
      /^error: --out needs a directory, not the option --quiet; give one/,
    ],
    [
      'a directory starting with - (--out=-x)',
      () => ({ cwd: repo, args: [config, '--out=-x'] }),
      /^error: --out needs a directory, not the option -x; .*\.\/-x/,
    ],
    ['--out with no value', () => ({ cwd: repo, args: [config, '--out'] }), /^error: --out needs a directory/],
    [
      'the dx-privatelink repository root',
      () => ({ cwd: tmp, args: [config, '--out', ROOT] }),
      /is a repository root|is the current directory/,
    ],
  ];

  test.each(cases)('refuses %s: exit 2, one line with the fix, nothing touched', (_what, setup, message) => {
    // GIVEN the user's files
    const before = snapshot(repo);
    const { cwd, args } = setup();
    // WHEN the tool is asked to write there
    const r = runMain(args, cwd);
    // THEN it refuses with a usage error naming --out and the fix
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: --out/);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/; (name|give|remove|use|choose)/);
    // and every file is still there, byte for byte, with nothing added beside them
    expect(snapshot(repo)).toEqual(before);
    expect(readdirSync(tmp).sort()).toEqual(['infra']);
  });

  test('through the real CLI, a refused --out is a usage error, never a stack trace', () => {
    const r = runCli([config, '--out', '.'], {}, repo);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(/^error: --out \.: /);
    expect(existsSync(path.join(repo, 'package.json'))).toBe(true);
  });

  test('writes a new directory with its marker, and replaces it on the next run', () => {
    const out = path.join(repo, 'cdktf.out');
    expect(runMain([config, '--out', out, '--quiet'], repo).status).toBe(0);
    expect(readFileSync(path.join(out, OUTPUT_MARKER), 'utf8')).toMatch(/^dx-privatelink output directory/);
    writeFileSync(path.join(out, 'stale.txt'), 'left by an earlier run\n');
    expect(runMain([config, '--out', out, '--quiet'], repo).status).toBe(0);
    expect(existsSync(path.join(out, 'stale.txt'))).toBe(false);
    expect(existsSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'))).toBe(true);
    rmSync(out, { recursive: true });
  });

  test('takes an empty existing directory (as the cdktf CLI may create one)', () => {
    const out = path.join(tmp, 'empty.out');
    mkdirSync(out);
    try {
      expect(runMain([config, '--out', out, '--quiet'], repo).status).toBe(0);
      expect(existsSync(path.join(out, OUTPUT_MARKER))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('follows symbolic links before deciding: a link to the current directory is refused', () => {
    const link = path.join(tmp, 'link-to-repo');
    symlinkSync(repo, link);
    try {
      const before = snapshot(repo);
      const r = runMain([config, '--out', link], repo);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/is the current directory or one of its parents/);
      expect(snapshot(repo)).toEqual(before);
    } finally {
      rmSync(link);
    }
  });

  test("inside a cdktf app whose cdktf.out is the CLI's, the fix names a directory that is free, not cdktf.out again", () => {
    // GIVEN a cdktf app that already wrote cdktf.out/ (no marker of ours) and has a dxpl.out of ours
    const app = path.join(tmp, 'cdktf-app');
    mkdirSync(path.join(app, 'cdktf.out', 'stacks', 'app'), { recursive: true });
    writeFileSync(path.join(app, 'cdktf.out', 'manifest.json'), '{}\n');
    try {
      // WHEN dx-privatelink is pointed at it
      const r = runMain([config, '--out', 'cdktf.out'], app);
      // THEN the refusal offers dxpl.out, which is free
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `error: --out cdktf.out: is an existing directory that was not created by dx-privatelink (it has no ${OUTPUT_MARKER} file); name a new directory such as --out dxpl.out, or empty or remove this one yourself\n`,
      );
      // and once dxpl.out is taken by something else, the next free name
      mkdirSync(path.join(app, 'dxpl.out'));
      writeFileSync(path.join(app, 'dxpl.out', 'keep.txt'), 'x\n');
      expect(runMain([config, '--out', 'cdktf.out'], app).stderr).toContain('name a new directory such as --out dx-privatelink.out,');
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  test('a repository root is refused even when it carries a marker (forged, or copied in)', () => {
    // GIVEN another repository whose root holds a valid-looking marker file
    const other = path.join(tmp, 'other-repo');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    writeFileSync(path.join(other, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(other, OUTPUT_MARKER), markerText('forged.yaml'));
    writeFileSync(path.join(other, 'main.tf'), 'terraform {}\n');
    try {
      const before = snapshot(other);
      // WHEN it is named as the output directory
      const r = runMain([config, '--out', other], repo);
      // THEN the .git check refuses it, whatever the marker says, and nothing is touched
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `error: --out ${other}: is a repository root (it holds .git); name a new directory such as --out cdktf.out`,
      ]);
      expect(snapshot(other)).toEqual(before);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('a deleted current directory is one clear line, exit 2, not a stack trace', () => {
    // GIVEN a shell whose current directory was removed under it
    const gone = path.join(tmp, 'gone');
    mkdirSync(gone);
    const out = path.join(tmp, 'gone.out');
    // The built CLI (dist/main.js, as npm run synth and npx run it): tsx itself cannot start without a current directory.
    const r = spawnSync(
      'sh',
      ['-c', 'cd "$1" && rmdir "$1" && exec "$2" "$3" "$4" --out "$5"', 'sh', gone, process.execPath, DIST_MAIN, config, out],
      {
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    // WHEN the tool runs there  THEN it says so in one line, with the fix, and writes nothing
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'error: the current directory no longer exists (it was deleted or moved); cd into an existing directory and run again',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  test('a marker that is not ours (a directory, or other text) does not count', () => {
    const out = path.join(tmp, 'fake-marker.out');
    mkdirSync(path.join(out, OUTPUT_MARKER), { recursive: true });
    writeFileSync(path.join(out, 'keep.txt'), 'x');
    try {
      const r = runMain([config, '--out', out], repo);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/was not created by dx-privatelink/);
      expect(existsSync(path.join(out, 'keep.txt'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
