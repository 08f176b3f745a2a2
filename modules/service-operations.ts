/**
 * The modules' operations inputs: alarms and their topic, the dashboard,
 * flow logs, deletion protection and tags, with the same
 * rules and defaults as the config file's `monitoring`, `flow_logs` and
 * `deletion_protection`.
 */
import { TerraformStack, TerraformVariable } from 'cdktf';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from '../constructs/flow-logs';
import { RULES } from '../constructs/private/rules';
import { custom, formatText, scalar, variable } from './validation';

export interface OperationsVariables {
  readonly monitoring: TerraformVariable;
  readonly deletionProtection: TerraformVariable;
}

const monitoringType = (dashboard: boolean) => `object({
    alarms       = optional(bool, true)
    create_topic = optional(bool)
    topic_arn    = optional(string)
    emails       = optional(list(string), [])${dashboard ? '\n    dashboard    = optional(bool, true)' : ''}
  })`;

const FLOW_LOGS_TYPE = `object({
    enabled        = optional(bool, true)
    destination    = optional(string, "cloudwatch")
    s3_bucket_arn  = optional(string)
    retention_days = optional(number, ${DEFAULT_FLOW_LOG_RETENTION_DAYS})
  })`;

export function operationsVariables(stack: TerraformStack): OperationsVariables {
  const monitoring = monitoringVariable(stack, 'every forward and the NAT fleet', true);
  const deletionProtection = variable(stack, 'deletion_protection', {
    type: 'bool',
    description:
      'Deletion protection on the NLB, and a guard (terraform_data with prevent_destroy) that fails any plan destroying or replacing the endpoint service: a new service has a new name and every consumer endpoint to the old one stops. Setting false alone is refused while the guard is in state: to tear down, apply false together with a moved block that takes the guard out of the module, then remove the call or the tenant (two applies, no state rm): see "Removing a tenant, tearing down" in this module\'s README.',
    default: true,
  });
  tagsVariable(stack);
  return { monitoring, deletionProtection };
}

/** The `monitoring` input: alarms on `watched` to one topic, `<name>-<topicSuffix>` (and a dashboard when `dashboard`). */
export function monitoringVariable(stack: TerraformStack, watched: string, dashboard: boolean, topicSuffix = 'alarms'): TerraformVariable {
  return variable(stack, 'monitoring', {
    type: monitoringType(dashboard),
    description: `Alarms and notifications (alarms, default true) on ${watched}, to one SNS topic: created as "<name>-${topicSuffix}" unless topic_arn names an existing standard topic of this region (its policy must let cloudwatch.amazonaws.com and vpce.amazonaws.com publish); set create_topic = false with a topic_arn known only after apply (a topic of the same root). emails are subscribed to the topic and confirm by mail.${dashboard ? ' dashboard (default true): a CloudWatch dashboard of every forward and the NAT fleet.' : ''}`,
    default: {},
    validations: [
      scalar('monitoring.topic_arn', 'var.monitoring.topic_arn', RULES.snsTopicArn, true),
      {
        condition: `\${alltrue([for e in var.monitoring.emails : ${RULES.email.tf('e')}])}`,
        errorMessage: `\${join("; ", [for e in var.monitoring.emails : format("monitoring.emails: ${formatText(RULES.email.problem)} (got %s); ${formatText(RULES.email.fix)}", jsonencode(e)) if !(${RULES.email.tf('e')})])}`,
      },
      custom(
        'var.monitoring.alarms || (var.monitoring.topic_arn == null && length(var.monitoring.emails) == 0)',
        'monitoring.alarms',
        'var.monitoring.alarms',
        'is off, but topic_arn or emails are set',
        'remove topic_arn and emails, or turn alarms on: nothing would be sent to them',
      ),
      custom(
        'var.monitoring.create_topic != false || var.monitoring.topic_arn != null',
        'monitoring.create_topic',
        'var.monitoring.create_topic',
        'is false, but no topic_arn is given',
        'give the ARN of the topic to use, or leave create_topic out',
      ),
    ],
  });
}

/** The `tags` input: tags on every resource of the module that takes them, over the provider's default tags. */
export function tagsVariable(stack: TerraformStack): TerraformVariable {
  return variable(stack, 'tags', {
    type: 'map(string)',
    description:
      "Tags on every resource of this module that takes tags (and on the NAT instances, their volumes and interfaces), merged over the provider's default_tags: e.g. per-tenant cost tags.",
    default: {},
    validations: [
      custom(
        'alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])',
        'tags',
        'var.tags',
        'has a key of 0 or more than 128 characters, a value over 256, or a key starting with aws:',
        'use keys of 1 to 128 characters not starting with aws: and values of at most 256',
      ),
    ],
  });
}

export function flowLogsVariable(stack: TerraformStack): TerraformVariable {
  return variable(stack, 'flow_logs', {
    type: FLOW_LOGS_TYPE,
    description: `VPC flow logs of subnet_ids (the NLB's and NAT instances' interfaces), aggregated per minute: enabled (default true), destination "cloudwatch" (a log group "/dx-privatelink/<name>/flow-logs" kept retention_days, default ${DEFAULT_FLOW_LOG_RETENTION_DAYS}) or "s3" (s3_bucket_arn, optionally with a folder; its policy must let delivery.logs.amazonaws.com write).`,
    default: {},
    validations: [
      custom(
        'contains(["cloudwatch", "s3"], var.flow_logs.destination)',
        'flow_logs.destination',
        'var.flow_logs.destination',
        'is not an allowed value',
        'use one of: "cloudwatch", "s3"',
      ),
      custom(
        '!var.flow_logs.enabled || var.flow_logs.destination != "s3" || var.flow_logs.s3_bucket_arn != null',
        'flow_logs.s3_bucket_arn',
        'var.flow_logs.s3_bucket_arn',
        'is required with destination "s3"',
        'give the ARN of the bucket the flow logs go to',
      ),
      custom(
        'var.flow_logs.s3_bucket_arn == null || var.flow_logs.destination == "s3"',
        'flow_logs.s3_bucket_arn',
        'var.flow_logs.s3_bucket_arn',
        'is only used with destination "s3"',
        'remove it, or set destination = "s3"',
      ),
      scalar('flow_logs.s3_bucket_arn', 'var.flow_logs.s3_bucket_arn', RULES.s3BucketArn, true),
      scalar('flow_logs.retention_days', 'var.flow_logs.retention_days', RULES.logRetentionDays),
    ],
  });
}
