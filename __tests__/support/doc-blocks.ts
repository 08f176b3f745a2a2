/**
 * The code blocks of the docs (README.md, the module and example READMEs,
 * docs/*.md), each with the section it is in and the doc-test marker on the
 * line before it:
 *
 *   <!-- doc-test: checked-by __tests__/X.test.ts -->  a test runs or plans it
 *   <!-- doc-test: config -->                          a config fragment: merged into the example, loaded, synthesized
 *   <!-- doc-test: run -->                             shell commands run as written, in a scratch directory
 *   <!-- doc-test: not-run: REASON -->                 not runnable here, and why
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli';

/** The languages whose blocks must be tested (or say why not). */
export const TESTED_LANGUAGES = ['sh', 'bash', 'yaml', 'ts', 'hcl', 'json'];

export interface DocBlock {
  /** Relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** The title of the nearest heading above it (without the #s). */
  readonly heading: string;
  /** What follows `doc-test:` in the marker, if any. */
  readonly marker?: string;
  /** The block's text, its indentation (a list item's) removed. */
  readonly text: string;
}

/** The documentation files whose blocks are checked. */
export function docFiles(root: string = ROOT): string[] {
  const dirs = (d: string) => readdirSync(path.join(root, d)).map((n) => path.join(d, n));
  return [
    'README.md',
    ...dirs('modules')
      .filter((d) => /dx-privatelink-/.test(d))
      .map((d) => path.join(d, 'README.md')),
    ...dirs('examples').map((d) => path.join(d, 'README.md')),
    ...dirs('docs').filter((f) => f.endsWith('.md')),
  ];
}

/** Every fenced block of `text` (the contents of `file`). */
export function blocksOf(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) {
      const h = /^#{1,6} (.+)$/.exec(lines[i]);
      if (h) heading = h[1].trim();
      continue;
    }
    const [, indent, lang] = open;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++)
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? /^\s*<!-- doc-test: (.+?) -->\s*$/.exec(lines[before])?.[1] : undefined;
    blocks.push({ file, line: start + 1, lang, heading, marker, text: body.join('\n') + '\n' });
  }
  return blocks;
}

export function docBlocks(root: string = ROOT): DocBlock[] {
  return docFiles(root).flatMap((f) => blocksOf(f, readFileSync(path.join(root, f), 'utf8')));
}

/** A block's name in messages: `README.md:53 (sh, "Synthesize your own config")`. */
export function blockName(b: DocBlock): string {
  return `${b.file}:${b.line} (${b.lang || 'plain'}, "${b.heading}")`;
}
