/**
 * Checks of the options for accounts whose guardrails require them: the
 * IAM permissions boundary and path, the customer managed key, the
 * account's own security groups, a consumer's existing private zone. Part
 * of validateConfig; the checks themselves are the constructs'.
 */
import {
  checkIamPath,
  checkKmsKeyArn,
  checkNotRepeated,
  checkPermissionsBoundary,
  checkSecurityGroupIds,
} from '../constructs/private/locked-down';
import { RULES, ValidationError, check } from '../constructs/private/rules';
import { Config } from './schema';
import { Problems } from './validate-network';

export function validateLockedDown(config: Config, problems: Problems): void {
  const at = { region: config.region, accountId: config.provider_account_id };
  problems.push(checkKmsKeyArn(config.kms_key_arn, 'kms_key_arn', at));
  problems.push(checkPermissionsBoundary(config.iam?.permissions_boundary, 'iam.permissions_boundary', at));
  problems.push(checkIamPath(config.iam?.path, 'iam.path'));
  problems.push(
    checkSecurityGroupIds(config.nat_fleet?.security_group_ids, 'nat_fleet.security_group_ids', { own: 1, quotas: config.quotas }),
  );
  const everyTenant = config.endpoint_service?.nlb_security_group_ids;
  problems.push(checkSecurityGroupIds(everyTenant, 'endpoint_service.nlb_security_group_ids'));
  config.tenants?.forEach((t, i) => {
    const field = `tenants[${i}].nlb_security_group_ids`;
    problems.push(
      checkSecurityGroupIds(t.nlb_security_group_ids, field) ??
        checkNotRepeated(t.nlb_security_group_ids, field, everyTenant, 'endpoint_service.nlb_security_group_ids'),
    );
  });
  config.consumers.forEach((c, i) => {
    if (c.dns_zone_id === undefined) return;
    const field = `consumers[${i}].dns_zone_id`;
    problems.push(
      check(RULES.hostedZoneId, field, c.dns_zone_id) ??
        (c.dns_zone === undefined
          ? new ValidationError(
              field,
              c.dns_zone_id,
              'is given without dns_zone',
              'set dns_zone to the name of that zone (the records are <forward>.<dns_zone>), or remove dns_zone_id',
            )
          : undefined),
    );
  });
}
