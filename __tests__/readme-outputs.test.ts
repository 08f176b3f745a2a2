/**
 * The stack outputs README.md names are the ones the synthesized example
 * stacks have: a pipeline written from the README reads real outputs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/cli';
import { exampleStackJson, exampleStacks } from './support/example';

/** The backticked top-level names after `label` (names in parentheses are fields of the one before). */
function namesAfter(text: string, label: string, end: string): string[] {
  const at = text.indexOf(label);
  if (at < 0) throw new Error(`README.md: no "${label}"`);
  const part = text.slice(at + label.length, text.indexOf(end, at));
  let depth = 0;
  let top = '';
  for (const ch of part) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0) top += ch;
  }
  return [...top.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
}

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const outputs = (stack: string) => Object.keys(exampleStackJson(stack).output ?? {}).sort();

test('README names the provider stack’s outputs, each as the stack has it', () => {
  const [provider] = exampleStacks().filter((s) => !s.startsWith('consumer'));
  expect(namesAfter(readme, 'Provider outputs:', 'Consumer outputs:').sort()).toEqual(outputs(provider));
});

test('README names the consumer stacks’ outputs, each as they have it', () => {
  const consumers = exampleStacks().filter((s) => s.startsWith('consumer'));
  expect(consumers.length).toBeGreaterThan(0);
  for (const stack of consumers) expect(namesAfter(readme, 'Consumer outputs:', '\n\n').sort()).toEqual(outputs(stack));
});
