import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, MAX_CONFIG_BYTES, loadConfig, parseConfig } from '../config/load';

// A corpus of invalid configs, one file each. The first line of every file
// says what the error must name: `# expect: <field or phrase>`.
const DIR = path.join(__dirname, 'invalid-configs');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('invalid config corpus', () => {
  test('has at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  test.each(files)('%s is rejected with one line naming the expected field', (file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const expected = /^# expect: (.+)$/m.exec(text)?.[1];
    expect(expected).toBeDefined();
    let error: unknown;
    try {
      parseConfig(text, file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.split('\n')).toHaveLength(1);
    // The field comes first: "<file>: <field>: ..." (or the YAML problem).
    expect(message.startsWith(`${file}: ${expected}`) || message.startsWith(`${file}: line `)).toBe(true);
    expect(message).toContain(expected);
  });

  test('a file over the size limit is refused before parsing', () => {
    const big = path.join(os.tmpdir(), `dxpl-big-${process.pid}.yaml`);
    writeFileSync(big, `name: x\n#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    try {
      expect(() => loadConfig(big)).toThrow(`${big}: is larger than the ${MAX_CONFIG_BYTES}-byte limit; a config is a few kilobytes`);
    } finally {
      rmSync(big);
    }
  });

  test('deeply nested YAML is refused with an error, not a crash', () => {
    const deep = `a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    expect(() => parseConfig(deep, 'deep.yaml')).toThrow(ConfigError);
  });
});
