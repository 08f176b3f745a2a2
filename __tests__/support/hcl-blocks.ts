/**
 * The HCL the docs show, as roots Terraform can plan: code blocks read from
 * Markdown sections, top-level blocks of `terraform fmt`-formatted files
 * found by their header (`module "network"`), and example roots whose
 * blocks are swapped for the docs' blocks of the same type and labels.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The ```lang blocks of the Markdown section under `heading` (up to the
 * next heading of the same or a higher level).
 */
export function sectionCodeBlocks(markdown: string, heading: string, lang: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const blocks: string[] = [];
  let open: string[] | undefined;
  for (const line of lines.slice(start + 1)) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(`${open.join('\n')}\n`);
        open = undefined;
      } else open.push(line);
      continue;
    }
    const h = /^(#+) /.exec(line);
    if (h && h[1].length <= level) break;
    if (line === `\`\`\`${lang}`) open = [];
  }
  if (open) throw new Error(`"${heading}": an unclosed \`\`\`${lang} block`);
  return blocks;
}

export interface HclBlock {
  /** Type and labels, e.g. `module "network"`. */
  readonly header: string;
  readonly text: string;
}

/**
 * The top-level blocks of formatted HCL (a header line ending in `{` and
 * maybe a comment, closed by a `}` at column 0), with the comments just
 * above each. Throws on any other line outside a block.
 */
export function topLevelBlocks(hcl: string): HclBlock[] {
  const lines = hcl.split('\n');
  const blocks: HclBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([a-z_]+(?: "[^"]+")*) \{\s*(#.*)?$/.exec(lines[i]);
    if (!m) {
      if (lines[i].trim() !== '' && !lines[i].startsWith('#')) throw new Error(`not a top-level block: ${lines[i]}`);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && l === '}');
    if (end < 0) throw new Error(`block ${m[1]} is not closed at column 0`);
    let first = i;
    while (first > 0 && lines[first - 1].startsWith('#')) first--;
    blocks.push({ header: m[1], text: lines.slice(first, end + 1).join('\n') });
    i = end;
  }
  return blocks;
}

/** `source` of every dx-privatelink module call as the examples have it: `../../modules/<module>`. */
export function relativeModuleSources(hcl: string): string {
  return hcl.replace(/^(\s*source\s*=\s*)"[^"]*\/modules\/(dx-privatelink-[a-z]+)(\?ref=[^"]*)?"/gm, '$1"../../modules/$2"');
}

/**
 * Replaces, in the root `dir` (.tf files), each top-level block with the
 * header of one of `blocks` by that block. Every `module` block given must
 * replace one (the root is the context it is meant for); other blocks may be
 * new. Returns the headers replaced.
 */
export function swapBlocks(dir: string, blocks: readonly HclBlock[]): string[] {
  const wanted = new Map(blocks.map((b) => [b.header, b]));
  const replaced: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf'));
  for (const file of files) {
    let text = readFileSync(path.join(dir, file), 'utf8');
    for (const old of topLevelBlocks(text)) {
      const block = wanted.get(old.header);
      if (!block) continue;
      text = text.replace(old.text, () => block.text);
      replaced.push(old.header);
      wanted.delete(old.header);
    }
    writeFileSync(path.join(dir, file), text);
  }
  const missing = [...wanted.keys()].filter((h) => h.startsWith('module '));
  if (missing.length > 0) throw new Error(`${dir} has no ${missing.join(', ')} to replace`);
  const added = [...wanted.values()].map((b) => b.text).join('\n\n');
  if (added) writeFileSync(path.join(dir, 'docs.tf'), `${added}\n`);
  return replaced;
}

/** The `terraform ...` command lines of the ```sh blocks of an example's README, as argument lists. */
export function readmeTerraformCommands(readme: string, heading: string): string[][] {
  return sectionCodeBlocks(readme, heading, 'sh')
    .flatMap((b) => b.split('\n'))
    .filter((l) => l.startsWith('terraform '))
    .map((l) => l.trim().split(/\s+/).slice(1));
}
