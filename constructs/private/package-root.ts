import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The directory of dx-privatelink's package.json: the checkout, or the
 * installed package. The same whether the code runs from its TypeScript
 * sources or from the build in dist/, so files read at run time (the NAT
 * templates, the example config) have one place.
 */
export const PACKAGE_ROOT = findRoot(__dirname);

/** The version in that package.json. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dx-privatelink') return dir;
    if (path.dirname(dir) === dir) throw new Error(`dx-privatelink: no package.json of dx-privatelink above ${from}`);
  }
}
