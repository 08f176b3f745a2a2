/**
 * Checks of a config file below the schema: YAML that has no business in a
 * config (tags, lists or mappings as keys, aliases that refer to themselves or
 * to no anchor, numbers in other notations than plain decimals) and strings Terraform would read as templates. Each
 * returns one problem as text, or undefined.
 */
import { Document, Node, isAlias, isCollection, isPair, isScalar, isSeq, visit } from 'yaml';
import { findTemplateSequence } from '../constructs/private/checks';
import { ValidationError, keyField } from '../constructs/private/rules';

/** `a.b[2].c` from the ancestors of a node (as yaml's visit() gives them) and the node. */
function fieldOf(ancestors: readonly unknown[], node: unknown): string {
  const chain = [...ancestors, node];
  let field = '';
  for (let i = 0; i < chain.length - 1; i++) {
    const [parent, child] = [chain[i], chain[i + 1]];
    if (isPair(parent) && child === parent.value) {
      const key = isScalar(parent.key) ? String(parent.key.value) : '?';
      field = field ? keyField(field, key) : key;
    } else if (isSeq(parent)) field = `${field}[${parent.items.indexOf(child as never)}]`;
  }
  return field || '(top level)';
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** A node as JSON text, or a placeholder when it holds aliases that only the whole document resolves. */
function jsonOf(node: Node): string {
  try {
    return JSON.stringify(node.toJSON()) ?? '(a list or mapping)';
  } catch {
    return '(a list or mapping)';
  }
}

/** Every number in a config is a whole number, written as one: 9001, not 0x2329, 9001.0, 1e3 or 09001. */
const PLAIN_INTEGER = /^-?(0|[1-9][0-9]*)$/;

export function yamlProblem(doc: Document, text: string): string | undefined {
  let problem: string | undefined;
  visit(doc, (_key, node, path) => {
    const line = (n: Node) => (n.range ? lineOf(text, n.range[0]) : undefined);
    if ((isScalar(node) || isCollection(node)) && node.tag !== undefined) {
      const at = line(node);
      problem = `${at ? `line ${at}: ` : ''}YAML tag ${node.tag} is not allowed; write plain values`;
      return visit.BREAK;
    }
    if (isPair(node) && isCollection(node.key)) {
      const at = line(node.key);
      // Short and on one line: a flow key as written, a block one (which spans lines) as JSON.
      const flow = node.key.flow && node.key.range ? text.slice(node.key.range[0], node.key.range[1]) : undefined;
      const source = (flow ?? jsonOf(node.key)).replace(/\s+/g, ' ').trim();
      const written = source.length > 40 ? `${source.slice(0, 37)}...` : source;
      problem = `${at ? `line ${at}: ` : ''}YAML key ${written} is a list or mapping; keys are plain names such as listen_port`;
      return visit.BREAK;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        problem = `line ${line(node)}: YAML alias *${node.source} is not defined (no anchor &${node.source} before it); define the anchor first, or write the value out`;
        return visit.BREAK;
      }
      if (path.includes(target)) {
        problem = `line ${line(node)}: YAML alias *${node.source} refers to itself (it is inside its own anchor &${node.source}); write the value out instead`;
        return visit.BREAK;
      }
    }
    if (isScalar(node) && typeof node.value === 'number' && node.range) {
      const written = text.slice(node.range[0], node.range[1]);
      if (!PLAIN_INTEGER.test(written)) {
        const value = node.value;
        const fix = Number.isSafeInteger(value) ? `write it as ${value}` : 'write a whole number such as 9001';
        problem = new ValidationError(
          fieldOf(path, node),
          written,
          'is not written as a plain decimal integer',
          `${fix} (line ${line(node)}); every number in a config is a whole number in decimal`,
        ).message;
        return visit.BREAK;
      }
    }
    return undefined;
  });
  return problem;
}

/** What to do about a template sequence in a config value; the constructs' message says the same of props. */
export const CONFIG_TEMPLATE_FIX = 'the config is data and Terraform must never evaluate it: write the value without "${" or "%{"';

/** The first string (or map key) that holds `${` or `%{`, as a problem naming its field. */
export function templateSequenceProblem(value: unknown, field = ''): string | undefined {
  return findTemplateSequence(value, field, CONFIG_TEMPLATE_FIX)?.message;
}
