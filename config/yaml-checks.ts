/**
 * Checks of a config file below the schema: YAML that has no business in a
 * config (tags, aliases that refer to themselves, numbers in other notations
 * than plain decimals) and strings Terraform would read as templates. Each
 * returns one problem as text, or undefined.
 */
import { Document, Node, isAlias, isCollection, isPair, isScalar, isSeq, visit } from 'yaml';
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
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target !== undefined && path.includes(target)) {
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

/** Terraform template sequences: in a config value they would be evaluated at plan time. */
const TEMPLATE_SEQUENCE = /[$%]\{/;

/** The first string (or map key) that holds `${` or `%{`, as a problem naming its field. */
export function templateSequenceProblem(value: unknown, field = ''): string | undefined {
  const found = (at: string, text: string) =>
    new ValidationError(
      at || '(top level)',
      text,
      'contains a Terraform template sequence',
      'the config is data and Terraform must never evaluate it: write the value without "${" or "%{"',
    ).message;
  if (typeof value === 'string') return TEMPLATE_SEQUENCE.test(value) ? found(field, value) : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = templateSequenceProblem(item, `${field}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = field ? keyField(field, key) : key;
      if (TEMPLATE_SEQUENCE.test(key)) return found(at, key);
      const problem = templateSequenceProblem(item, at);
      if (problem) return problem;
    }
  }
  return undefined;
}
