import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../config/load';
import { ROOT } from './support/cli';
import { VARIANTS } from './support/variants';

// Issue 14: a move to CDK Terrain (cdktn, the continuation of the archived
// cdktf) is a rename. scripts/cdktn-compat.mjs runs the build with the
// packages renamed on Node 22 with cdktn 0.24 and @cdktn/provider-aws 25
// and compares the JSON of every stack with cdktf's, for the example and
// every variant. The packages are installed before the tests (`npm run
// test:all` runs `check:cdktn -- --install`); this test never downloads.

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-cdktn-configs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('every stack of the example and the variants synthesizes identical JSON under cdktn', () => {
  const configs = [EXAMPLE_CONFIG];
  for (const v of VARIANTS) {
    const file = path.join(tmp, `${v.name}.yaml`);
    writeFileSync(file, stringify(v.config));
    configs.push(file);
  }
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'cdktn-compat.mjs'), '--offline', ...configs], {
    encoding: 'utf8',
    timeout: 600000,
  });
  expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([]);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^check:cdktn: 1\d stacks of 8 config\(s\) identical under cdktf 0\.21\.0 .* and cdktn 0\.24\.0/);
}, 600000);
