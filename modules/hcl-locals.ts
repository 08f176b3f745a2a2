/**
 * Shares the long expressions a module document repeats through locals,
 * so a reader meets each once: an argument whose whole value is the same
 * expression as an existing local's becomes a reference to that local,
 * and an expression used whole by two or more arguments becomes a new
 * local. Only what evaluates the same in a local is moved: no `each`,
 * `count` or `self`, nothing inside lifecycle, dynamic, provisioner or
 * connection blocks, no meta-argument Terraform reads statically
 * (depends_on, provider), only an output's value, and no variable block.
 */
import type { Json, JsonObject } from './hcl';
import { soleInterpolation } from './hcl-expression';

/** Expressions shorter than this stay where they are: a name would not be shorter. */
export const MIN_SHARED_LENGTH = 60;

/** Keys under which nothing moves: meta-arguments, and blocks that see each, self or an iterator. */
const SKIPPED = new Set([
  '//',
  'lifecycle',
  'dynamic',
  'provisioner',
  'connection',
  'depends_on',
  'provider',
  'providers',
  'source',
  'version',
]);

/** References evaluated per instance or per object: such an expression cannot move to a local. */
const INSTANCE_REFERENCE = /(?<![\w.-])(each|count|self)\s*[.[]/;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where an expression is used: the path of keys from the document's top. */
type Place = readonly string[];

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The expression a value shares, if it is a long enough one-interpolation template that can move. */
function shareable(v: Json): string | undefined {
  if (typeof v !== 'string') return undefined;
  const expr = soleInterpolation(v);
  return expr !== undefined && expr.length >= MIN_SHARED_LENGTH && !INSTANCE_REFERENCE.test(expr) ? expr : undefined;
}

/** Every expression argument of a body (and its nested blocks and values), with where it is. */
function visit(v: Json, place: Place, found: (expr: string, place: Place) => void): void {
  const expr = shareable(v);
  if (expr !== undefined) return found(expr, place);
  if (Array.isArray(v)) v.forEach((e, n) => visit(e, [...place, String(n)], found));
  else if (isObject(v)) for (const [k, e] of Object.entries(v)) if (!SKIPPED.has(k)) visit(e, [...place, k], found);
}

/** The places a document's expressions may be shared from: resources, data sources, module calls and output values. */
function uses(doc: JsonObject, found: (expr: string, place: Place) => void): void {
  for (const kind of ['resource', 'data']) {
    const types = doc[kind];
    if (!isObject(types)) continue;
    for (const [type, byName] of Object.entries(types)) {
      if (isObject(byName)) for (const [name, body] of Object.entries(byName)) visit(body, [kind, type, name], found);
    }
  }
  for (const kind of ['module', 'output']) {
    const byName = doc[kind];
    if (!isObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isObject(body)) continue;
      if (kind === 'output') {
        if (body.value !== undefined) visit(body.value, [kind, name, 'value'], found);
      } else visit(body, [kind, name], found);
    }
  }
}

/** References to the document's locals (and their object attributes) by the expression each holds. */
function localsByExpression(locals: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: Json, ref: string) => {
    const expr = shareable(v);
    if (expr !== undefined && !out.has(expr)) out.set(expr, ref);
    if (isObject(v)) for (const [k, e] of Object.entries(v)) if (IDENTIFIER.test(k)) walk(e, `${ref}.${k}`);
  };
  for (const [name, v] of Object.entries(locals)) walk(v, `local.${name}`);
  return out;
}

/** A name for a new local from where it is used: the words its users' names share, and the argument. */
function nameFor(places: readonly Place[], taken: ReadonlySet<string>): string {
  // resource/data: [kind, type, name, ...path]; module/output: [kind, name, ...path].
  const owner = (p: Place) => (p[0] === 'resource' || p[0] === 'data' ? p[2] : p[1]);
  const argument = (p: Place) => [...p].reverse().find((k) => IDENTIFIER.test(k) && k !== 'value') ?? 'value';
  const words = places.map((p) => owner(p).split('_'));
  let common = 0;
  while (words.every((w) => common < w.length && w[common] === words[0][common])) common++;
  const prefix = common > 0 ? words[0].slice(0, common).join('_') : owner(places[0]);
  const args = new Set(places.map(argument));
  const base = (args.size === 1 ? `${prefix}_${argument(places[0])}` : `${owner(places[0])}_${argument(places[0])}`).replace(
    /[^A-Za-z0-9_]/g,
    '_',
  );
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

function setAt(doc: JsonObject, place: Place, v: Json): void {
  let at: Json = doc;
  for (const k of place.slice(0, -1)) at = (at as JsonObject)[k];
  (at as JsonObject)[place[place.length - 1]] = v;
}

/** A copy of `doc` with its repeated long expressions shared through locals. */
export function shareExpressions(doc: JsonObject, minUses = 2): JsonObject {
  const out = structuredClone(doc);
  if (out.locals !== undefined && !isObject(out.locals)) return out; // several locals blocks: leave them be
  const locals: JsonObject = { ...((out.locals as JsonObject | undefined) ?? {}) };
  const existing = localsByExpression(locals);
  const places = new Map<string, Place[]>();
  uses(out, (expr, place) => places.set(expr, [...(places.get(expr) ?? []), place]));
  const taken = new Set(Object.keys(locals));
  let added = false;
  for (const [expr, where] of places) {
    let ref = existing.get(expr);
    if (ref === undefined) {
      if (where.length < minUses) continue;
      const name = nameFor(where, taken);
      taken.add(name);
      added = true;
      locals[name] = `\${${expr}}`;
      ref = `local.${name}`;
    }
    for (const place of where) setAt(out, place, `\${${ref}}`);
  }
  if (added) out.locals = Object.fromEntries(Object.entries(locals).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return out;
}
