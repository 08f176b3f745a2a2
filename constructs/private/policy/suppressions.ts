import { ValidationError } from '../rules';
import { POLICY_RULES } from './index';

/** Checks one suppression: a known rule id and a written reason. Shared by the config loader and PolicyPack. */
export function checkSuppression(ruleId: string, reason: string, index: number): ValidationError | undefined {
  const known = POLICY_RULES.map((r) => r.id);
  if (!known.includes(ruleId)) {
    return new ValidationError(`policy.suppressions[${index}].rule`, ruleId, 'is not a policy rule id', `use one of: ${known.join(', ')}`);
  }
  if (reason.trim().length < 10) {
    return new ValidationError(
      `policy.suppressions[${index}].reason`,
      reason,
      'is too short',
      'write why the finding is acceptable, in at least 10 characters',
    );
  }
  return undefined;
}
