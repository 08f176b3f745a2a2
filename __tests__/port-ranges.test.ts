import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { portRanges, rangesWithin, rangesWithinTf } from '../constructs/private/port-ranges';
import { terraformOk } from './support/terraform';

describe('port ranges', () => {
  test('contiguous runs, lowest first, duplicates ignored', () => {
    expect(portRanges([9003, 9001, 9002, 9443, 10000, 9002])).toEqual([
      { from: 9001, to: 9003 },
      { from: 9443, to: 9443 },
      { from: 10000, to: 10000 },
    ]);
  });

  test('one covering range per source when the runs would exceed the rules budget', () => {
    const ports = Array.from({ length: 150 }, (_, i) => 10000 + 2 * i);
    expect(rangesWithin(ports, 3, 60)).toEqual([{ from: 10000, to: 10298 }]);
    expect(rangesWithin([9001, 9002, 9443], 3, 60)).toEqual([
      { from: 9001, to: 9002 },
      { from: 9443, to: 9443 },
    ]);
  });

  test('Terraform computes exactly what TypeScript does', () => {
    const cases: [number[], number, number][] = [
      [[9001, 9002, 9003], 1, 60],
      [[9443, 9001, 9002, 10000], 2, 60],
      [Array.from({ length: 150 }, (_, i) => 10000 + 2 * i), 3, 60],
      [Array.from({ length: 150 }, (_, i) => 10000 + i), 3, 60],
      [[5000], 60, 60],
      [[5000, 5002], 31, 60],
    ];
    const expr = `jsonencode([${cases.map(([p, c, b]) => rangesWithinTf(JSON.stringify(p), String(c), String(b))).join(', ')}])`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-ranges-'));
    try {
      // (rules are keyed by their range: the order of the list does not matter)
      const byFrom = (ranges: { from: number; to: number }[]) => [...ranges].sort((a, b) => a.from - b.from);
      const fromTerraform = JSON.parse(JSON.parse(terraformOk(dir, ['console'], {}, expr).trim())) as { from: number; to: number }[][];
      expect(fromTerraform.map(byFrom)).toEqual(cases.map(([p, c, b]) => rangesWithin(p, c, b)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
