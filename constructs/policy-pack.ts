import { IConstruct } from 'constructs';
import { IAspect, TerraformStack } from 'cdktf';
import { POLICY_RULES, PolicyContext, PolicyResource, PolicyRule } from './private/policy';
import { checkSuppression } from './private/policy/suppressions';

/** Accepting one rule's finding on purpose, with the reason on record. */
export interface PolicySuppression {
  /** Rule id, e.g. `DXPL-SG1`. */
  readonly ruleId: string;
  /** Why the finding is acceptable (at least 10 characters). */
  readonly reason: string;
  /**
   * Construct path prefix the suppression applies to, as printed in findings, e.g. `provider/nat/sg-egress-s3`.
   * @default - every resource
   */
  readonly path?: string;
}

export interface PolicyFinding {
  readonly ruleId: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** Terraform address, e.g. `aws_lb.tenant_internal_s0_nlb`. */
  readonly address: string;
  readonly problem: string;
  readonly fix: string;
  /** Set when a suppression accepted the finding. */
  readonly suppressed?: PolicySuppression;
}

export class PolicyViolationError extends Error {
  constructor(readonly findings: readonly PolicyFinding[]) {
    super(
      `policy: ${findings.length} violation${findings.length === 1 ? '' : 's'}\n` +
        findings.map((f) => `  ${f.ruleId} ${f.path} (${f.address}): ${f.problem}; fix: ${f.fix}`).join('\n'),
    );
    this.name = 'PolicyViolationError';
  }
}

export interface PolicyPackProps {
  /** @default - none */
  readonly suppressions?: readonly PolicySuppression[];
  /** @default POLICY_RULES, the whole pack */
  readonly rules?: readonly PolicyRule[];
}

/**
 * The dx-privatelink security rules as a cdktf Aspect: every stack below the
 * scope it is added to is checked at synth time, on the Terraform JSON as it
 * will be written. A violation fails synth with the rule id, the resource
 * path and the fix; a suppression needs a rule id and a reason, and every
 * suppressed finding stays listed in `findings`.
 */
export class PolicyPack implements IAspect {
  /** Every finding so far, suppressed ones included. */
  public readonly findings: PolicyFinding[] = [];
  private readonly rules: readonly PolicyRule[];
  private readonly suppressions: readonly PolicySuppression[];

  constructor(props: PolicyPackProps = {}) {
    this.rules = props.rules ?? POLICY_RULES;
    this.suppressions = props.suppressions ?? [];
    this.suppressions.forEach((s, i) => {
      const problem = checkSuppression(s.ruleId, s.reason, i);
      if (problem) throw problem;
    });
  }

  /** Suppressions that matched no finding (worth removing). */
  public unusedSuppressions(): PolicySuppression[] {
    return this.suppressions.filter((s) => !this.findings.some((f) => f.suppressed === s));
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const json = node.toTerraform() as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
      variable?: Record<string, { sensitive?: boolean }>;
    };
    const resources: PolicyResource[] = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, values]) => ({
        type,
        name,
        path: displayPath((values['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? `${node.node.id}/${name}`),
        values,
      })),
    );
    const context: PolicyContext = { resources, variables: json.variable ?? {} };
    const violations: PolicyFinding[] = [];
    resources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const resource of resources) {
      for (const rule of this.rules) {
        const verdict = rule.check(resource, context);
        if (!('problem' in verdict)) continue;
        const suppressed = this.suppressions.find(
          (s) => s.ruleId === rule.id && (s.path === undefined || resource.path.startsWith(s.path)),
        );
        const finding: PolicyFinding = {
          ruleId: rule.id,
          path: resource.path,
          address: `${resource.type}.${resource.name}`,
          problem: verdict.problem,
          fix: rule.fix,
          suppressed,
        };
        this.findings.push(finding);
        if (!suppressed) violations.push(finding);
      }
    }
    if (violations.length > 0) throw new PolicyViolationError(violations);
  }
}

/** The construct path without `Default` ids, as in resource addresses: `provider/tenant-a/s0/nlb`. */
function displayPath(path: string): string {
  return path
    .split('/')
    .filter((part) => part !== 'Default')
    .join('/');
}
