/**
 * Reads a YAML config file and returns a validated Config, or throws one
 * ValidationError naming the field, the value received and the fix.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { Document, parseDocument } from 'yaml';
import { z } from 'zod';
import { ValidationError, formatValue, keyField } from '../constructs/private/rules';
import { templateSequenceProblem, yamlProblem } from './yaml-checks';
import { Config, configSchema } from './schema';
import { validateConfig } from './validate';
import { PACKAGE_ROOT } from '../constructs/private/package-root';

/** The bundled example, used when no config path is given. */
export const EXAMPLE_CONFIG = path.join(PACKAGE_ROOT, 'config', 'example.yaml');

/** Larger files are refused before parsing: a real config is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export class ConfigError extends Error {
  /** Every problem found, most important first. */
  readonly problems: readonly (ValidationError | string)[];
  constructor(
    readonly file: string,
    cause: ValidationError | string | readonly (ValidationError | string)[],
  ) {
    const problems = Array.isArray(cause) ? cause : [cause as ValidationError | string];
    const text = (p: ValidationError | string) => `${file}: ${typeof p === 'string' ? p : p.message}`;
    // One line per problem, each naming the file, so each stands on its own.
    super(problems.map(text).join('\n'));
    this.problems = problems;
    this.name = 'ConfigError';
  }

  /** The message's lines: one per problem, `FILE: problem`. */
  lines(): string[] {
    return this.message.split('\n');
  }
}

export function loadConfig(file: string = EXAMPLE_CONFIG): Config {
  return parseConfig(readConfigFile(file), file);
}

/**
 * The config's text. Only a regular file is read (a directory, FIFO or
 * device is refused without blocking on it), and never more than
 * MAX_CONFIG_BYTES whatever its size says (/proc files say 0).
 */
export function readConfigFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new ConfigError(file, `cannot read the config file (${why}); check the path`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ConfigError(file, 'is a directory; give the path of a YAML config file');
    if (!stat.isFile()) {
      throw new ConfigError(file, 'is not a regular file (a device, FIFO or socket); give the path of a YAML config file');
    }
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) {
      throw new ConfigError(file, `is larger than the ${MAX_CONFIG_BYTES}-byte limit; a config is a few kilobytes`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      throw new ConfigError(file, 'is not UTF-8 text; save the config as UTF-8');
    }
  } finally {
    closeSync(fd);
  }
}

export function parseConfig(text: string, file = '<config>'): Config {
  if (text.includes('\0')) throw new ConfigError(file, 'contains NUL bytes; a config is UTF-8 text');
  let doc: ReturnType<typeof parseDocument>;
  try {
    // logLevel 'error': the yaml package would print warnings (a key that is a
    // list, say) to stderr beside our one line; yamlProblem() reports them.
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  } catch (error) {
    // e.g. nesting so deep the parser runs out of stack
    throw new ConfigError(
      file,
      `cannot be parsed as YAML (${error instanceof Error ? error.message : String(error)}); write plain YAML like config/example.yaml`,
    );
  }
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `line ${lineOf(text, e.pos[0])}: invalid YAML: ${e.message.split('\n')[0]}`),
    );
  }
  // Tags, complex keys, undefined or self-referring aliases, numbers that are not plain decimals.
  const notPlain = yamlProblem(doc as Document, text);
  if (notPlain) throw new ConfigError(file, notPlain);
  // Aliases are legitimate YAML but expand without bound ("billion laughs"); cap them.
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new ConfigError(
      file,
      `YAML aliases expand too far (${error instanceof Error ? error.message : String(error)}); write the values out instead of using anchors`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, 'the top level must be a mapping of keys such as name, region, vpc, forwards; see config/example.yaml');
  }
  // Every string is data: Terraform must never read a config value as a template.
  const template = templateSequenceProblem(raw);
  if (template) throw new ConfigError(file, template);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    // A misspelt key also makes the real key "missing": name the misspelling first.
    const issues = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    throw new ConfigError(file, unique(issues.map((issue) => fromZodIssue(issue, raw))));
  }
  const problems = validateConfig(parsed.data);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return parsed.data;
}

/** The problems without repeats (zod reports a union's failure once per branch). */
function unique(problems: readonly ValidationError[]): ValidationError[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message) !== undefined);
}

/** `a.b[2].c`, with keys that need it quoted (`tags["a b"]`) as everywhere else. */
function fieldName(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? keyField(acc, String(part)) : String(part)),
    '',
  );
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  return p.reduce<unknown>(
    (acc, part) => (acc !== null && typeof acc === 'object' ? (acc as Record<PropertyKey, unknown>)[part] : undefined),
    root,
  );
}

/** The keys the schema allows at a path, for "unknown key" messages. */
function allowedKeys(p: readonly PropertyKey[]): string[] {
  let node: z.ZodType = configSchema;
  for (const part of p) {
    node = unwrap(node);
    if (node instanceof z.ZodObject) node = node.shape[part as string];
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    if (!node) return [];
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType): z.ZodType {
  while (node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType;
  return node;
}

/** The concrete fix for a value of the wrong type: what to write instead. */
function typeFix(expected: string, value: unknown): string {
  switch (expected) {
    case 'number':
      return 'write a plain decimal integer such as 9001, without quotes';
    case 'boolean':
      return 'write true or false, without quotes';
    case 'string':
      // A number where text belongs: YAML read 012345678901 as a number (and dropped its leading zero).
      if (typeof value === 'number') return `put it in quotes, such as "${value}" (an account id keeps its leading zeros only when quoted)`;
      if (typeof value === 'boolean') return `put it in quotes, such as "${value}" (YAML reads bare yes, no, true, false as booleans)`;
      return 'write a single value in quotes, such as "text"';
    case 'array':
      return 'write a list: one "- item" per line below the key, or [a, b] on one line';
    case 'object':
      return 'write a mapping: "key: value" lines indented below it';
    default:
      return `write ${article(expected)} here; see config/example.yaml`;
  }
}

function fromZodIssue(issue: z.core.$ZodIssue, raw: unknown): ValidationError {
  const field = fieldName(issue.path) || '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const where = fieldName([...issue.path, key]);
      const allowed = allowedKeys(issue.path);
      const meant = closestKey(key, allowed);
      return new ValidationError(
        where,
        valueAt(raw, [...issue.path, key]),
        'is not a known key',
        `${meant ? `did you mean ${meant}? ` : 'remove it or fix its spelling; '}allowed here: ${allowed.join(', ')}`,
      );
    }
    case 'invalid_type': {
      const value = valueAt(raw, issue.path);
      if (value === undefined)
        return new ValidationError(field, value, 'is required', `add ${field} (${issue.expected}); see config/example.yaml`);
      return new ValidationError(field, value, `must be ${article(issue.expected)}`, typeFix(issue.expected, value));
    }
    case 'invalid_value':
      return new ValidationError(
        field,
        valueAt(raw, issue.path),
        'is not an allowed value',
        `use one of: ${issue.values.map((v) => formatValue(v)).join(', ')}`,
      );
    default:
      return new ValidationError(field, valueAt(raw, issue.path), issue.message, 'see config/example.yaml');
  }
}

/** The allowed key a misspelling most likely meant: same letters up to case and - or _, or one or two edits away. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const norm = (k: string) => k.toLowerCase().replace(/[-_ ]/g, '');
  const same = allowed.find((a) => norm(a) === norm(key));
  if (same) return same;
  const scored = allowed.map((a) => ({ a, d: editDistance(norm(a), norm(key)) })).sort((x, y) => x.d - y.d);
  return scored.length > 0 && scored[0].d <= 2 ? scored[0].a : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

function article(type: string): string {
  const noun = type === 'record' ? 'mapping' : type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
