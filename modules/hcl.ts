/**
 * Writes Terraform's JSON syntax (the shape cdktf synthesizes) as HCL
 * native syntax. JSON cannot tell an argument from a nested block, nor an
 * expression from a literal or a bare reference: a BodySchema
 * (hcl-schema.ts) says, for each body, which keys are blocks (and their
 * labels) and how each argument's value is read. Values keep their
 * meaning: a string in an expression position is the same template, a
 * literal string stays literal, numbers keep their JSON text.
 */
import { heredoc, literalString, quotedTemplate, soleInterpolation } from './hcl-expression';
import { layoutExpression } from './hcl-layout';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * How an argument's JSON value is read by Terraform:
 * - expression: strings are templates (`"${x}"` is the expression x);
 * - literal: strings are taken as they are (variable defaults, descriptions, versions);
 * - raw: a string that is HCL source itself (a type, a reference, a keyword);
 * - references: an array of such strings, or one keyword string (`"all"`);
 * - rawMap: an object whose values are such strings (a module's providers).
 */
export type ValueMode = 'expression' | 'literal' | 'raw' | 'references' | 'rawMap';

export interface BlockSpec {
  /** How many labels the block type takes. */
  readonly labels: number;
  /** The schema of one block's body, given its labels. */
  readonly body: (labels: readonly string[]) => BodySchema;
}

export interface BodySchema {
  /** Nested block types by name. */
  readonly blocks?: Readonly<Record<string, BlockSpec>>;
  /** The arguments the body takes; any argument when absent. */
  readonly attributes?: ReadonlySet<string>;
  /** How arguments are read, by name; `mode` otherwise (default expression). */
  readonly modes?: Readonly<Record<string, ValueMode>>;
  readonly mode?: ValueMode;
  /** Keys written before the others (meta-arguments such as count), and after them (depends_on, lifecycle). */
  readonly first?: readonly string[];
  readonly last?: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Identifiers that would not read as an object key: a for expression, or a literal value. */
const KEYWORDS = new Set(['for', 'in', 'if', 'null', 'true', 'false']);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A block label: a quoted literal string (labels take no template). */
function label(text: string): string {
  if (/[$%]\{/.test(text)) throw new Error(`block label ${JSON.stringify(text)} holds a template sequence`);
  return literalString(text);
}

/** The blocks one JSON value stands for: an object, an array of them, keyed by label first when the type takes labels. */
export function blocksOf(value: Json, labels: number, where: string): { labels: string[]; body: JsonObject }[] {
  if (Array.isArray(value)) return value.flatMap((v) => blocksOf(v, labels, where));
  if (!isObject(value)) throw new Error(`${where}: is ${JSON.stringify(value)}, not a block (an object or an array of objects)`);
  if (labels === 0) return [{ labels: [], body: value }];
  return Object.entries(value).flatMap(([key, inner]) =>
    blocksOf(inner, labels - 1, `${where}.${key}`).map((b) => ({ labels: [key, ...b.labels], body: b.body })),
  );
}

function objectKey(key: string, mode: 'expression' | 'literal'): string {
  if (IDENTIFIER.test(key) && !KEYWORDS.has(key)) return key;
  return mode === 'literal' ? literalString(key) : quotedTemplate(key);
}

/**
 * A JSON value in an expression or literal position, starting at column
 * `col` of a line indented `indent`; `element`: an item of a tuple, where
 * a heredoc would leave its comma on the closing marker's line.
 */
export function value(v: Json, mode: 'expression' | 'literal', col: number, indent: number, element = false): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const expr = mode === 'expression' ? soleInterpolation(v) : undefined;
    if (expr !== undefined) return layoutExpression(expr, col, indent);
    const doc = element ? undefined : heredoc(v, mode);
    return doc ?? (mode === 'literal' ? literalString(v) : quotedTemplate(v));
  }
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inline = v.every((e) => !isObject(e) && !Array.isArray(e))
      ? `[${v.map((e) => value(e, mode, 0, indent, true)).join(', ')}]`
      : undefined;
    if (inline !== undefined && !inline.includes('\n') && col + inline.length <= 100) return inline;
    return `[\n${v.map((e) => `${pad}${value(e, mode, indent + 2, indent + 2, true)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, e]) => {
    const key = objectKey(k, mode);
    return `${pad}${key} = ${value(e, mode, indent + 2 + key.length + 3, indent + 2)}`;
  });
  return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}

/** A string that is HCL source in the JSON syntax (a reference, a keyword, a type): `${...}` around it, if any, dropped. */
function raw(v: Json, where: string): string {
  if (typeof v !== 'string') throw new Error(`${where}: is ${JSON.stringify(v)}, not a string`);
  const parts = /^\$\{([\s\S]*)\}$/.exec(v);
  return parts && !parts[1].includes('${') ? parts[1].trim() : v;
}

function argument(key: string, v: Json, mode: ValueMode, indent: number, where: string): string {
  const col = indent + key.length + 3;
  switch (mode) {
    case 'expression':
    case 'literal':
      return value(v, mode, col, indent);
    case 'raw':
      return raw(v, where);
    case 'references':
      if (typeof v === 'string') return raw(v, where);
      if (!Array.isArray(v)) throw new Error(`${where}: is ${JSON.stringify(v)}, not a list of references`);
      return v.length === 0 ? '[]' : `[\n${v.map((r) => `${' '.repeat(indent + 2)}${raw(r, where)},`).join('\n')}\n${' '.repeat(indent)}]`;
    case 'rawMap':
      if (!isObject(v)) throw new Error(`${where}: is ${JSON.stringify(v)}, not an object`);
      return `{\n${Object.entries(v)
        .map(([k, r]) => `${' '.repeat(indent + 2)}${k} = ${raw(r, `${where}.${k}`)}`)
        .join('\n')}\n${' '.repeat(indent)}}`;
  }
}

/** The lines of a body's contents at `indent`: arguments, then nested blocks, meta-arguments first and last. */
export function body(json: JsonObject, schema: BodySchema, indent: number, where: string): string[] {
  const blocks = schema.blocks ?? {};
  const keys = Object.keys(json).filter((k) => k !== '//');
  for (const k of keys) {
    if (!(k in blocks) && schema.attributes && !schema.attributes.has(k))
      throw new Error(`${where}: ${k} is not an argument or block of it`);
  }
  const first = (schema.first ?? []).filter((k) => keys.includes(k));
  const last = (schema.last ?? []).filter((k) => keys.includes(k));
  const middle = keys.filter((k) => !first.includes(k) && !last.includes(k));
  const ordered = [
    ...first,
    ...middle.filter((k) => !(k in blocks)),
    ...middle.filter((k) => k in blocks),
    ...last.filter((k) => !(k in blocks)),
    ...last.filter((k) => k in blocks),
  ];
  const out: string[] = [];
  const pad = ' '.repeat(indent);
  let previous: 'first' | 'attribute' | 'block' | undefined;
  for (const k of ordered) {
    const at = `${where}.${k}`;
    const spec = blocks[k];
    const group = spec ? 'block' : first.includes(k) ? 'first' : 'attribute';
    if (previous !== undefined && (group === 'block' || group !== previous || last[0] === k)) out.push('');
    previous = group;
    if (!spec) {
      out.push(`${pad}${k} = ${argument(k, json[k], schema.modes?.[k] ?? schema.mode ?? 'expression', indent, at)}`);
      continue;
    }
    blocksOf(json[k], spec.labels, at).forEach((b, n) => {
      if (n > 0) out.push('');
      out.push(...block(k, b.labels, b.body, spec.body(b.labels), indent, at));
    });
  }
  return out;
}

/** One block: its type, labels and body, at `indent`. */
export function block(
  type: string,
  labels: readonly string[],
  json: JsonObject,
  schema: BodySchema,
  indent: number,
  where: string,
): string[] {
  const pad = ' '.repeat(indent);
  const head = [type, ...labels.map(label)].join(' ');
  const lines = body(json, schema, indent + 2, [where, ...labels].join('.'));
  return lines.length === 0 ? [`${pad}${head} {}`] : [`${pad}${head} {`, ...lines, `${pad}}`];
}

/** A whole document (or part of one): its top-level blocks, one blank line apart. */
export function hcl(json: JsonObject, schema: BodySchema): string {
  return `${body(json, schema, 0, '').join('\n')}\n`;
}
