/**
 * The Inputs and Outputs tables of a module's README, terraform-docs
 * style, from its variable and output blocks (Terraform JSON).
 */
import { Json, value } from './hcl';

/** A variable or output block as synthesized. */
export interface TfBlock {
  readonly description?: string;
  readonly type?: string;
  readonly default?: Json;
  readonly sensitive?: boolean;
}

/** Prose in a Markdown table cell: no HTML, no column break, one line. */
function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** Text whose first line starts at column 0, its other lines shifted left as far as they all go. */
function dedent(text: string): string {
  const [first, ...rest] = text.split('\n');
  const indents = rest.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return [first, ...rest.map((l) => l.slice(Math.min(cut, /^ */.exec(l)![0].length)))].join('\n');
}

/** HCL in a Markdown table cell: a code span, or a <pre> block (lines kept) when it has several lines. */
function code(text: string): string {
  if (!text.includes('\n')) return `\`${text.replace(/\|/g, '\\|')}\``;
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;');
  return `<pre>${html.split('\n').join('<br>')}</pre>`;
}

/** The Inputs and Outputs tables (terraform-docs style) of a module's variables and outputs. */
export function interfaceTables(variables: Record<string, TfBlock>, outputs: Record<string, TfBlock>): string {
  const inputs = Object.entries(variables).map(([n, v]) => {
    const required = !('default' in v);
    const type = (v.type ?? 'any').replace(/^\$\{([\s\S]*)\}$/, '$1');
    const dflt = v.default === undefined ? 'n/a' : code(value(v.default, 'literal', 0, 0));
    return `| ${n} | ${cell(v.description ?? '')} | ${code(dedent(type))} | ${dflt} | ${required ? 'yes' : 'no'} |`;
  });
  const outs = Object.entries(outputs).map(([n, o]) => `| ${n} | ${cell(o.description ?? '')}${o.sensitive ? ' (sensitive)' : ''} |`);
  return `## Inputs

| Name | Description | Type | Default | Required |
| --- | --- | --- | --- | --- |
${inputs.join('\n')}

## Outputs

| Name | Description |
| --- | --- |
${outs.join('\n')}
`;
}
