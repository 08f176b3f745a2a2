import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Every file below dir with its bytes (base64), to prove a directory was left alone. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else files[path.relative(dir, p)] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return files;
}
