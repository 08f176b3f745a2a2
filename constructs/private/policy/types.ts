/**
 * Policy rules: small pure functions over one synthesized resource (values as
 * they appear in the Terraform JSON, `${...}` expressions included). No cdktf
 * import; the PolicyPack aspect feeds them every stack.
 */

/** One resource of a synthesized stack. */
export interface PolicyResource {
  /** Terraform type, e.g. `aws_lb`. */
  readonly type: string;
  /** Terraform name, e.g. `tenant_internal_s0_nlb`. */
  readonly name: string;
  /** Construct path, e.g. `provider/Default/tenant-internal/s0/nlb`. */
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The rest of the stack a rule may look at. */
export interface PolicyContext {
  readonly resources: readonly PolicyResource[];
  readonly variables: Readonly<Record<string, { readonly sensitive?: boolean }>>;
}

export type Verdict = { readonly compliant: true } | { readonly notApplicable: true } | { readonly problem: string };

export const COMPLIANT: Verdict = { compliant: true };
export const NOT_APPLICABLE: Verdict = { notApplicable: true };
export const violation = (problem: string): Verdict => ({ problem });

export interface PolicyRule {
  /** Stable id, used in messages and suppressions, e.g. `DXPL-LB1`. */
  readonly id: string;
  /** What the rule requires. */
  readonly description: string;
  /** How to comply. */
  readonly fix: string;
  readonly check: (resource: PolicyResource, context: PolicyContext) => Verdict;
}

/** True for a value Terraform computes (an expression), which a rule cannot judge at synth time. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** `${aws_security_group.x.id}` (or `...x[each.key].id`) -> `aws_security_group.x`, else undefined. */
export function referencedResource(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]+\])?\.[a-z_]+\}$/.exec(value);
  return m?.[1];
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export const WORLD = ['0.0.0.0/0', '::/0'];
