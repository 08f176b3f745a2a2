/** Per-file CPU accounting for the test suite (DXPL_CPU_LOG, see setup.ts). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** User + system seconds of this process and of the children it has reaped (/proc/self/stat). */
export function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of stat(5); fields[0] is field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

export function writeCpuRecord(dir: string, testPath: string, start: { cpu: number; wall: number }): void {
  mkdirSync(dir, { recursive: true });
  const file = path.basename(testPath);
  const record = { file, cpu_s: +(cpuSeconds() - start.cpu).toFixed(2), wall_s: +((Date.now() - start.wall) / 1000).toFixed(2) };
  writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(record) + '\n');
}
