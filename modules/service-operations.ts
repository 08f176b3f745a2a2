/**
 * The dx-privatelink-service module's operations inputs: alarms and their
 * topic, the dashboard, flow logs and deletion protection, with the same
 * rules and defaults as the config file's `monitoring`, `flow_logs` and
 * `deletion_protection`.
 */
import { TerraformStack, TerraformVariable } from 'cdktf';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from '../constructs/flow-logs';
import { RULES } from '../constructs/private/rules';
import { custom, formatText, scalar, variable } from './validation';

export interface OperationsVariables {
  readonly monitoring: TerraformVariable;
  readonly flowLogs: TerraformVariable;
  readonly deletionProtection: TerraformVariable;
}

const MONITORING_TYPE = `object({
    alarms    = optional(bool, true)
    topic_arn = optional(string)
    emails    = optional(list(string), [])
    dashboard = optional(bool, true)
  })`;

const FLOW_LOGS_TYPE = `object({
    enabled        = optional(bool, true)
    destination    = optional(string, "cloudwatch")
    s3_bucket_arn  = optional(string)
    retention_days = optional(number, ${DEFAULT_FLOW_LOG_RETENTION_DAYS})
  })`;

export function operationsVariables(stack: TerraformStack): OperationsVariables {
  const monitoring = variable(stack, 'monitoring', {
    type: MONITORING_TYPE,
    description:
      'Alarms and notifications (alarms, default true) to one SNS topic: created as "<name>-alarms" unless topic_arn names an existing standard topic of this region (its policy must let cloudwatch.amazonaws.com and vpce.amazonaws.com publish); emails are subscribed to it and confirm by mail. dashboard (default true): a CloudWatch dashboard of every forward, the NAT fleet and the Direct Connect link.',
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
    ],
  });
  const flowLogs = variable(stack, 'flow_logs', {
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
  const deletionProtection = variable(stack, 'deletion_protection', {
    type: 'bool',
    description:
      'Deletion protection on the NLB, and a guard (terraform_data with prevent_destroy) that fails any plan destroying or replacing the endpoint service: a new service has a new name and every consumer endpoint to the old one stops. To tear down: set false and apply, then terraform state rm the guard (module.<name>.terraform_data.service_guard[0]), then destroy.',
    default: true,
  });
  return { monitoring, flowLogs, deletionProtection };
}
