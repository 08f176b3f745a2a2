import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG, parseConfig } from '../config/load';
import { synthesize } from '../main';
import { ROOT } from './support/cli';
import { DocBlock, TESTED_LANGUAGES, blockName, blocksOf, docBlocks } from './support/doc-blocks';

// Issue 20: the docs are tests. Every shell, YAML, TypeScript, HCL and JSON
// block of the docs carries a doc-test marker (support/doc-blocks.ts), and
// each marker is honoured here: config fragments are loaded and
// synthesized, runnable commands run, "checked-by" names a test that reads
// the block's section, and "not-run" gives its reason.

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-docs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What is wrong with a block's marker, or undefined. */
function markerProblem(b: DocBlock): string | undefined {
  if (!TESTED_LANGUAGES.includes(b.lang)) return undefined;
  const m = b.marker;
  if (m === undefined) return 'has no <!-- doc-test: ... --> marker on the line before it';
  if (m === 'config') return b.lang === 'yaml' ? undefined : 'is marked config but is not yaml';
  if (m === 'run') return b.lang === 'sh' ? undefined : 'is marked run but is not sh';
  const notRun = /^not-run: (.+)$/.exec(m);
  if (notRun) return notRun[1].length >= 20 ? undefined : 'gives no real reason after not-run:';
  const by = /^checked-by (__tests__\/[\w.-]+\.test\.ts)$/.exec(m);
  if (!by) return `has an unknown marker "${m}" (checked-by __tests__/X.test.ts, config, run, not-run: reason)`;
  const file = path.join(ROOT, by[1]);
  if (!existsSync(file)) return `names ${by[1]}, which does not exist`;
  // The test, or a support file it imports, must find the block by its section.
  const text = readFileSync(file, 'utf8');
  const support = [...text.matchAll(/from '\.\/support\/([\w-]+)'/g)].map((s) =>
    readFileSync(path.join(ROOT, '__tests__', 'support', `${s[1]}.ts`), 'utf8'),
  );
  const title = b.heading.replace(/`/g, '');
  if (![text, ...support].some((t) => t.includes(title))) return `names ${by[1]}, which never reads the section "${b.heading}"`;
  return undefined;
}

/** A config fragment, as the docs show it: merged into the example, it loads and synthesizes. */
function checkConfigFragment(b: DocBlock, name: string): void {
  const fragment = parse(b.text) as Record<string, unknown>;
  const config = { ...(parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Record<string, unknown>), ...fragment };
  const loaded = parseConfig(stringify(config), `${blockName(b)}`);
  synthesize(loaded, path.join(tmp, name));
}

/** Runs a shell block as written, in a scratch directory that has the checkout's files. */
function runShellBlock(b: DocBlock, name: string): { status: number | null; output: string } {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  for (const f of ['package.json', 'cdktf.json', 'config', 'scripts', 'node_modules', 'dist', 'constructs']) {
    symlinkSync(path.join(ROOT, f), path.join(dir, f));
  }
  const r = spawnSync('sh', ['-e', '-c', b.text], {
    cwd: dir,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', DXPL_CONFIG: '' },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

const blocks = docBlocks();
const tested = blocks.filter((b) => TESTED_LANGUAGES.includes(b.lang));

describe('the docs are tests', () => {
  test('every shell, YAML, TypeScript, HCL and JSON block has a valid doc-test marker', () => {
    expect(tested.length).toBeGreaterThan(20);
    expect(tested.map((b) => [blockName(b), markerProblem(b)]).filter(([, p]) => p)).toEqual([]);
  });

  test.each(tested.filter((b) => b.marker === 'config').map((b) => [blockName(b), b] as const))(
    'config block %s loads and synthesizes, merged into the example',
    (_name, b) => {
      checkConfigFragment(b, `config-${b.line}`);
    },
  );

  test.each(tested.filter((b) => b.marker === 'run').map((b) => [blockName(b), b] as const))(
    'shell block %s runs as written',
    (_name, b) => {
      const r = runShellBlock(b, `run-${b.line}`);
      expect({ status: r.status, output: r.status === 0 ? '' : r.output }).toEqual({ status: 0, output: '' });
    },
  );

  describe('a broken block fails its check', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const config = blocksOf('README.md', readme).find((b) => b.marker === 'config')!;

    test('a config block with a misspelt key', () => {
      const broken = { ...config, text: config.text.replace('suppressions:', 'supressions:') };
      expect(broken.text).not.toBe(config.text);
      expect(() => checkConfigFragment(broken, 'broken-config')).toThrow(/policy\.supressions: is not a known key/);
    });

    test('a block whose marker is gone, or names a test that never reads its section', () => {
      const unmarked = blocksOf('README.md', readme.replace(/<!-- doc-test: config -->\n/, ''));
      expect(unmarked.filter((b) => TESTED_LANGUAGES.includes(b.lang) && markerProblem(b)).map((b) => b.heading)).toEqual(['Policy']);
      const wrong = { ...config, marker: 'checked-by __tests__/ipv4.test.ts' };
      expect(markerProblem(wrong)).toBe('names __tests__/ipv4.test.ts, which never reads the section "Policy"');
    });

    test('a shell block with a command that fails', () => {
      const run = blocks.find((b) => b.marker === 'run')!;
      const broken = { ...run, text: run.text.replace('npm run synth -- my-dx.yaml', 'npm run synth -- my-dx.yml') };
      expect(broken.text).not.toBe(run.text);
      expect(runShellBlock(broken, 'broken-run').status).not.toBe(0);
    });
  });
});

describe('what the docs name exists', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  /** `modules/dx-privatelink-{vpc,service}/` written out: `modules/dx-privatelink-vpc/ modules/dx-privatelink-service/`. */
  const expandBraces = (text: string) =>
    text.replace(/([\w./-]*)\{([\w.,-]+)\}([\w./-]*)/g, (_m, pre: string, alts: string, post: string) =>
      alts
        .split(',')
        .map((a) => `${pre}${a}${post}`)
        .join(' '),
    );
  const texts = [...docFilesWithHelp()].map((f) => [f, expandBraces(readFileSync(path.join(ROOT, f), 'utf8'))] as const);

  function docFilesWithHelp(): string[] {
    // (Not CHANGELOG.md: its history names files and scripts that are gone.)
    return [...new Set([...blocks.map((b) => b.file), 'README.md', 'help'])];
  }

  test('every `npm run X` in the docs and ./help is a script of package.json', () => {
    const missing = texts.flatMap(([file, text]) =>
      [...text.matchAll(/npm run (?:--silent )?([\w:-]+)/g)]
        .map((m) => m[1])
        .filter((s) => !(s in pkg.scripts))
        .map((s) => `${file}: npm run ${s}`),
    );
    expect([...new Set(missing)]).toEqual([]);
  });

  test('every repository path the docs and ./help name exists', () => {
    const pathLike = /(?<![\w/.-])((?:\.ci|__tests__|bench|config|constructs|docs|examples|modules|scripts)\/[\w.-]+(?:\/[\w.-]+)*)/g;
    const missing = texts.flatMap(([file, text]) =>
      [...text.matchAll(pathLike)]
        .map((m) => m[1].replace(/[.,:;)]+$/, ''))
        // a placeholder (modules/<module>) or a path inside a module's own folder or the output
        .filter((p) => !existsSync(path.join(ROOT, p)) && !existsSync(path.join(ROOT, path.dirname(file), p)))
        .map((p) => `${file}: ${p}`),
    );
    expect([...new Set(missing)]).toEqual([]);
  });
});
