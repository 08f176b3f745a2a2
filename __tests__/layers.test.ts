import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

// __tests__/layers.js names the slow test files; a name that is not a test
// file (a rename, a typo) would quietly move that file into `npm test`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SLOW } = require('./layers') as { SLOW: Record<string, string> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fast = require('../jest.config') as { testPathIgnorePatterns: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const slow = require('../jest.slow.config') as { testMatch: string[] };

const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts'));

describe('test layers', () => {
  test('every slow file exists and says what it costs and why', () => {
    for (const [file, why] of Object.entries(SLOW)) {
      expect({ file, exists: files.includes(file) }).toEqual({ file, exists: true });
      expect(why).toMatch(/^~\d+ s/);
    }
  });

  test('each test file is in exactly one layer', () => {
    const inFast = (f: string) => !fast.testPathIgnorePatterns.some((p) => new RegExp(p).test(path.join(__dirname, f)));
    const inSlow = (f: string) => slow.testMatch.some((m) => m.endsWith(`/${f}`));
    expect(files.filter((f) => inFast(f) === inSlow(f))).toEqual([]);
    expect(files.filter(inSlow).sort()).toEqual(Object.keys(SLOW).sort());
  });
});

describe('the two commands README.md starts with, under its title (# dx-privatelink)', () => {
  const root = path.join(__dirname, '..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)!;
  const [install, tests] = block[1]
    .trim()
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim());

  test('come first, and the test command runs every layer', () => {
    expect(readme.indexOf(block[0])).toBeLessThan(readme.indexOf('\n## '));
    expect(install).toBe('npm ci && npm run synth');
    expect(tests).toBe('npm run test:setup && npm run test:all');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(readFileSync(path.join(root, pkg.scripts['test:all'].split(' ')[1]), 'utf8')).toMatch(/jest\.slow\.config\.js/);
  });

  test('.ci/run calls the README test command as written', () => {
    const ci = readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    expect(ci.split('\n').map((l) => l.trim())).toContain(tests);
  });
});
