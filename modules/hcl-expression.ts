/**
 * Terraform expression text, as the JSON syntax holds it, written as HCL
 * native syntax: string templates split into literal text and `${...}` /
 * `%{...}` sequences, quoted strings with native escapes, and long
 * expressions laid out over several lines where the grammar ignores
 * newlines (inside parentheses, brackets and between object items).
 *
 * A JSON string in an expression position is a template: `${` opens an
 * interpolation, `%{` a directive, `$${` and `%%{` stand for the literal
 * markers, and a backslash is an ordinary character. Inside a native
 * quoted string a backslash starts an escape, so literal text is escaped
 * and template sequences are copied as they are: the template Terraform
 * parses is the same in both syntaxes.
 */

/** One piece of a template: literal text (as written, escapes and all) or a `${...}` / `%{...}` sequence. */
export interface TemplatePart {
  readonly kind: 'literal' | 'interpolation' | 'directive';
  readonly text: string;
}

/** Index just past the quoted string that opens at `start` (an expression's string literal, with native escapes). */
export function skipQuoted(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (src.startsWith('$${', i) || src.startsWith('%%{', i)) i += 3;
    else if (src.startsWith('${', i) || src.startsWith('%{', i)) i = closingBrace(src, i + 2) + 1;
    else i++;
  }
  throw new Error(`unterminated string in expression: ${src}`);
}

/** Index of the `}` that closes a brace whose body starts at `start`. */
export function closingBrace(src: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      i = skipQuoted(src, i);
      continue;
    }
    if (src.startsWith('<<', i)) throw new Error(`heredoc in expression is not supported: ${src}`);
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
    i++;
  }
  throw new Error(`unclosed \${ or %{ in template: ${src}`);
}

/** Splits a template (the decoded JSON string) into literal text and template sequences. */
export function templateParts(src: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const literal = (text: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'literal') parts[parts.length - 1] = { kind: 'literal', text: last.text + text };
    else parts.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('$${', i) || src.startsWith('%%{', i)) {
      literal(src.slice(i, i + 3));
      i += 3;
    } else if (src.startsWith('${', i) || src.startsWith('%{', i)) {
      const end = closingBrace(src, i + 2);
      parts.push({ kind: src[i] === '$' ? 'interpolation' : 'directive', text: src.slice(i, end + 1) });
      i = end + 1;
    } else {
      literal(src[i]);
      i++;
    }
  }
  return parts;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Characters of literal text inside a native quoted string: backslash, quote and control characters escaped. */
function escapeChars(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c in ESCAPES) out += ESCAPES[c];
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** The expression of a template that is one plain interpolation (`${x}` is x, of any type); undefined for any other template. */
export function soleInterpolation(src: string): string | undefined {
  const parts = templateParts(src);
  if (parts.length !== 1 || parts[0].kind !== 'interpolation') return undefined;
  const inner = parts[0].text.slice(2, -1);
  // `${~ x ~}` strips whitespace around it; only a plain interpolation is its expression.
  return inner.startsWith('~') || inner.endsWith('~') ? undefined : inner.trim();
}

/** A template as a native quoted string: literal text escaped, template sequences as they are. */
export function quotedTemplate(src: string): string {
  return `"${templateParts(src)
    .map((p) => (p.kind === 'literal' ? escapeChars(p.text) : p.text))
    .join('')}"`;
}

/** A string taken literally (descriptions, defaults, versions): a quoted string with no template sequence. */
export function literalString(text: string): string {
  return `"${escapeChars(text)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{')}"`;
}

/** Whether text holds a control character other than newline and tab. */
function hasControl(text: string): boolean {
  for (const c of text) {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && c !== '\n' && c !== '\t') || code === 0x7f) return true;
  }
  return false;
}

/**
 * A string of two or more lines ending in a newline as a heredoc
 * (`<<EOT`, lines as they are), or undefined where a quoted string must
 * do: another control character, or a line break inside a template
 * sequence. A heredoc is a template whose literal text takes no escapes,
 * like the JSON syntax's strings; taken literally, its `${` and `%{`
 * are doubled.
 */
export function heredoc(src: string, mode: 'expression' | 'literal'): string | undefined {
  if (!src.endsWith('\n') || !src.slice(0, -1).includes('\n') || hasControl(src)) return undefined;
  let text = src;
  if (mode === 'literal') text = src.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  else if (templateParts(src).some((p) => p.kind !== 'literal' && p.text.includes('\n'))) return undefined;
  let marker = 'EOT';
  for (let n = 1; text.includes(marker); n++) marker = `EOT${n}`;
  return `<<${marker}\n${text}${marker}`;
}
