/**
 * Building blocks of the generated modules' variables: validation blocks
 * whose messages have the config loader's wording
 * (`<field>: <problem> (got <value>); <fix>`), from the shared rule list.
 */
import { Node } from 'constructs';
import { TerraformElement, TerraformStack, TerraformVariable } from 'cdktf';
import { pathLogicalId } from '../constructs/dx-stack';
import { Rule } from '../constructs/private/rules';

export interface Validation {
  readonly condition: string;
  readonly errorMessage: string;
}

export interface VariableSpec {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  /** Set when the default is null (cdktf cannot write a null default). */
  readonly nullDefault?: boolean;
  readonly sensitive?: boolean;
  readonly validations?: Validation[];
}

/** HCL string literal text: escape quotes, backslashes and template markers. */
export function hclText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

/** format() pattern text: hclText plus literal percent signs. */
export function formatText(text: string): string {
  return hclText(text).replace(/%/g, '%%');
}

/**
 * A validation that every entry of a map variable passes `rule` on `attr`;
 * the message has the TypeScript wording: `<field>: <problem> (got <value>); <fix>`.
 */
export function eachEntry(variable: string, attr: string, rule: Rule<never>, optional = false): Validation {
  const x = attr ? `v.${attr}` : 'k';
  const ok = optional ? `(${x} == null ? true : (${rule.tf(x)}))` : `(${rule.tf(x)})`;
  const field = attr ? `${variable}[%q].${attr}` : `${variable}[%q]`;
  return {
    condition: `\${alltrue([for k, v in var.${variable} : ${ok}])}`,
    errorMessage: `\${join("; ", [for k, v in var.${variable} : format("${field}: ${formatText(rule.problem)} (got %s); ${formatText(rule.fix)}", k, jsonencode(${x})) if !${ok}])}`,
  };
}

/** A validation of a scalar (or nullable) variable expression against `rule`. */
export function scalar(field: string, x: string, rule: Rule<never>, nullable = false): Validation {
  const ok = nullable ? `(${x} == null ? true : (${rule.tf(x)}))` : `(${rule.tf(x)})`;
  return {
    condition: `\${${ok}}`,
    errorMessage: `\${format("${field}: ${formatText(rule.problem)} (got %s); ${formatText(rule.fix)}", jsonencode(${x}))}`,
  };
}

/** A validation with a fixed condition and the usual wording. */
export function custom(condition: string, field: string, value: string, problem: string, fix: string): Validation {
  return {
    condition: `\${${condition}}`,
    errorMessage: `\${format("${field}: ${formatText(problem)} (got %s); ${formatText(fix)}", jsonencode(${value}))}`,
  };
}

export function variable(stack: TerraformStack, name: string, spec: VariableSpec): TerraformVariable {
  const v = new TerraformVariable(stack, name, {
    type: spec.type,
    description: spec.description,
    default: spec.default,
    sensitive: spec.sensitive,
    // A wrapper passing null through (try(..., null)) gets the default, or an error naming the input.
    nullable: spec.nullDefault === true,
    validation: spec.validations?.map((x) => ({ condition: x.condition, errorMessage: x.errorMessage })),
  });
  if (spec.nullDefault) v.addOverride('default', null);
  return v;
}

export class ModuleStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    return pathLogicalId(this, element);
  }
}

/**
 * One validation of `x` against several rules in order; the message is the
 * first failing rule's, as the TypeScript checks report it.
 */
export function firstOf(field: string, x: string, rules: readonly Rule<never>[], nullable = false): Validation {
  const ok = rules.map((r) => `(${r.tf(x)})`).join(' && ');
  const message = (r: Rule<never>) => `format("${field}: ${formatText(r.problem)} (got %s); ${formatText(r.fix)}", jsonencode(${x}))`;
  const chain = rules.slice(0, -1).reduceRight((rest, r) => `!(${r.tf(x)}) ? ${message(r)} : ${rest}`, message(rules[rules.length - 1]));
  return {
    condition: `\${${nullable ? `${x} == null ? true : ` : ''}${ok}}`,
    errorMessage: `\${${nullable ? `${x} == null ? "" : ` : ''}${chain}}`,
  };
}
