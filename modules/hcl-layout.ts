/**
 * Lays out one long HCL expression over several lines, changing only
 * whitespace (and adding parentheses around a whole value): a line break
 * goes only where the native grammar ignores it (inside parentheses,
 * function arguments and tuple brackets) or where it separates object
 * items. Short expressions, for expressions' own clauses and index
 * brackets stay on one line. `terraform fmt` then sets the indentation.
 */
import { skipQuoted } from './hcl-expression';

/** Columns a line may take before its expression is broken up. */
export const LINE_WIDTH = 100;

/** A group shorter than this stays on one line even when the line is long: breaking it would not help the reader. */
const MIN_BREAK = 60;

type GroupKind = 'call' | 'paren' | 'tuple' | 'index' | 'object' | 'for';

interface Group {
  readonly t: 'group';
  readonly open: string;
  readonly close: string;
  kind: GroupKind;
  /** The contents, split at the group's own commas. */
  readonly items: Node[][];
}

type Node = { readonly t: 'leaf'; readonly text: string } | { readonly t: 'space' } | Group;

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const OPERATORS = new Set(['?', ':', '&&', '||']);

function parse(src: string): Node[] {
  const top: Node[][] = [[]];
  const stack: { open: string; kind: GroupKind; items: Node[][] }[] = [];
  const items = () => (stack.length ? stack[stack.length - 1].items : top);
  const current = () => items()[items().length - 1];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const seq = current();
    const prev = seq[seq.length - 1];
    if (/\s/.test(c)) {
      while (i < src.length && /\s/.test(src[i])) i++;
      if (prev && prev.t !== 'space') seq.push({ t: 'space' });
    } else if (c === '"') {
      const end = skipQuoted(src, i);
      seq.push({ t: 'leaf', text: src.slice(i, end) });
      i = end;
    } else if (c in CLOSE) {
      const adjacent = prev !== undefined && prev.t !== 'space';
      const kind: GroupKind =
        c === '{'
          ? 'object'
          : c === '('
            ? adjacent && prev.t === 'leaf' && /[A-Za-z0-9_]$/.test(prev.text)
              ? 'call'
              : 'paren'
            : adjacent
              ? 'index'
              : 'tuple';
      stack.push({ open: c, kind, items: [[]] });
      i++;
    } else if (c === ')' || c === ']' || c === '}') {
      const frame = stack.pop();
      if (!frame || CLOSE[frame.open] !== c) throw new Error(`unbalanced ${c} in expression: ${src}`);
      const first = frame.items[0].find((n) => n.t !== 'space');
      const isFor = (frame.kind === 'tuple' || frame.kind === 'object') && first?.t === 'leaf' && first.text === 'for';
      current().push({ t: 'group', open: frame.open, close: c, kind: isFor ? 'for' : frame.kind, items: frame.items });
      i++;
    } else if (c === ',' && stack.length > 0) {
      items().push([]);
      i++;
    } else {
      let j = i + 1;
      while (j < src.length && !/[\s"()[\]{},]/.test(src[j])) j++;
      seq.push({ t: 'leaf', text: src.slice(i, j) });
      i = j;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack[stack.length - 1].open} in expression: ${src}`);
  return top[0];
}

function flat(seq: readonly Node[]): string {
  return seq.map((n) => (n.t === 'leaf' ? n.text : n.t === 'space' ? ' ' : flatGroup(n))).join('');
}

function flatGroup(g: Group): string {
  return `${g.open}${g.items.map(flat).join(',')}${g.close}`;
}

function trim(seq: readonly Node[]): Node[] {
  let a = 0;
  let b = seq.length;
  while (a < b && seq[a].t === 'space') a++;
  while (b > a && seq[b - 1].t === 'space') b--;
  return seq.slice(a, b);
}

function columnAfter(col: number, text: string): number {
  const nl = text.lastIndexOf('\n');
  return nl < 0 ? col + text.length : text.length - nl - 1;
}

/** A sequence of nodes starting at column `col`; continuation lines at `indent`. */
function render(seq: readonly Node[], col: number, indent: number, breakOperators: boolean): string {
  if (col + flat(seq).length <= LINE_WIDTH) return flat(seq);
  if (breakOperators && seq.some((n) => n.t === 'leaf' && OPERATORS.has(n.text))) {
    const segments: Node[][] = [[]];
    for (const n of seq) {
      if (n.t === 'leaf' && OPERATORS.has(n.text)) segments.push([]);
      segments[segments.length - 1].push(n);
    }
    return segments.map((s, k) => render(trim(s), k === 0 ? col : indent, indent, false)).join(`\n${' '.repeat(indent)}`);
  }
  let out = '';
  let at = col;
  for (const n of seq) {
    const text = n.t === 'leaf' ? n.text : n.t === 'space' ? ' ' : renderGroup(n, at, indent);
    out += text;
    at = columnAfter(at, text);
  }
  return out;
}

function renderGroup(g: Group, col: number, indent: number): string {
  const text = flatGroup(g);
  if (col + text.length <= LINE_WIDTH || text.length < MIN_BREAK || g.kind === 'index') return text;
  const inner = indent + 2;
  const items = g.items.map(trim).filter((item, k) => item.length > 0 || k < g.items.length - 1);
  if (g.kind === 'for') {
    // Its own clauses stay together; what it builds may still break.
    return `${g.open}${g.items.map((item, k) => render(item, k === 0 ? col + 1 : col, inner, false)).join(',')}${g.close}`;
  }
  // f({ ... }), [{ ... }] and f(g(...)): the one group inside breaks, not the outer one.
  const only = items.length === 1 ? items[0] : [];
  const hugged = only[only.length - 1];
  if (g.kind !== 'object' && hugged?.t === 'group' && only.slice(0, -1).every((n) => n.t === 'leaf')) {
    const head = flat(only.slice(0, -1));
    return `${g.open}${head}${renderGroup(hugged, col + 1 + head.length, indent)}${g.close}`;
  }
  const pad = ' '.repeat(inner);
  const lines = items.map((item, k) => {
    const body = render(item, inner, inner, g.kind !== 'object');
    const last = item[item.length - 1];
    // Objects separate items by line; a final `...` expansion takes no comma after it.
    const comma = g.kind === 'object' || g.kind === 'paren' || (k === items.length - 1 && last?.t === 'leaf' && last.text.endsWith('...'));
    return `${pad}${body}${comma ? '' : ','}`;
  });
  return `${g.open}\n${lines.join('\n')}\n${' '.repeat(indent)}${g.close}`;
}

/**
 * An expression as an attribute's value whose line starts at column
 * `col` (the attribute name at `indent`): on one line when it fits, else
 * broken up; a long value with a conditional or logical operator at its
 * top level goes in parentheses so it can break at them.
 */
export function layoutExpression(expr: string, col: number, indent: number): string {
  if (expr.includes('\n')) return `(${expr})`;
  if (col + expr.length <= LINE_WIDTH) return expr;
  let seq = parse(expr);
  if (seq.some((n) => n.t === 'leaf' && OPERATORS.has(n.text))) seq = parse(`(${expr})`);
  return render(seq, col, indent, false);
}
