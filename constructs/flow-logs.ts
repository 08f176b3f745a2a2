import { Construct } from 'constructs';
import { Fn, IResolvable, TerraformLocal, Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkOneOf } from './private/checks';
import { isPlain, refuseTemplates } from './props-check';
import { IamOptions, checkIamOptions, checkKmsKeyArn } from './private/locked-down';
import { RULES, ValidationError, check } from './private/rules';

/** Where flow logs go, and for how long. */
export interface FlowLogsSpec {
  /** @default true */
  readonly enabled?: boolean;
  /** @default 'cloudwatch' */
  readonly destination?: 'cloudwatch' | 's3';
  /**
   * The bucket (and optional folder) for `destination: 's3'`; its policy must
   * let delivery.logs.amazonaws.com write (AWS adds that when it can).
   */
  readonly s3BucketArn?: string;
  /** Days CloudWatch Logs keeps them (`destination: 'cloudwatch'`). @default 30 */
  readonly retentionDays?: number;
}

/** Default retention of flow logs in CloudWatch Logs, in days. */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 30;

/**
 * The flow log record: the standard fields, then the packet's own addresses
 * (`pkt-*`, which differ from the interface's only for traffic an AWS
 * service translated), the direction and the instance. `$${` keeps Terraform
 * from reading the fields as its own interpolations.
 */
export const FLOW_LOG_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'flow-direction',
] as const;

export interface FlowLogsProps {
  /** Prefix of resource names. */
  readonly name: string;
  /** The subnets of the NLB and the NAT instances: every interface in them is logged. */
  readonly subnetIds: string[];
  /** Plain settings (checked here) or a Terraform object of the module's `flow_logs` type. */
  readonly settings: FlowLogsSpec | IResolvable;
  /**
   * A customer managed key for the log group; its key policy must let
   * logs.<region>.amazonaws.com use it (README).
   * @default - CloudWatch Logs' own encryption
   */
  readonly kmsKeyArn?: string;
  /** Permissions boundary and path of the delivery role. @default - none, path / */
  readonly iam?: IamOptions;
}

/**
 * VPC flow logs of the subnets that hold the NLB's and the NAT instances'
 * network interfaces (their interfaces come and go with instances, the
 * subnets stay), aggregated per minute, to a CloudWatch Logs group created
 * here or to an S3 bucket.
 */
export class FlowLogs extends Construct {
  /** Name of the CloudWatch log group the logs go to (null when they go to S3 or are off). */
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    refuseTemplates({ ...props, settings: undefined });
    refuseTemplates(props.settings, 'flowLogs');
    const lockedProblem = checkKmsKeyArn(props.kmsKeyArn, 'kmsKeyArn', {}, isPlain) ?? checkIamOptions(props.iam, 'iam', {}, isPlain);
    if (lockedProblem) throw lockedProblem;
    const settings = Token.isUnresolved(props.settings) ? props.settings : renderSettings(props.settings as FlowLogsSpec);
    const s = new TerraformLocal(this, 'settings', settings).fqn;
    const toLogs = `${s}.enabled && ${s}.destination == "cloudwatch"`;

    const group = new CloudwatchLogGroup(this, 'log-group', {
      count: Token.asNumber(`\${${toLogs} ? 1 : 0}`),
      name: `/dx-privatelink/${props.name}/flow-logs`,
      retentionInDays: Token.asNumber(`\${${s}.retention_days}`),
      kmsKeyId: props.kmsKeyArn,
    });
    const groupArn = new TerraformLocal(this, 'log-group-arn', `\${one(${group.fqn}[*].arn)}`).asString;
    this.logGroupName = Token.asString(`\${one(${group.fqn}[*].name)}`);
    const role = new IamRole(this, 'role', {
      count: group.count,
      namePrefix: `${props.name}-flow-logs-`,
      description: 'dx-privatelink: VPC flow logs delivery to CloudWatch Logs',
      permissionsBoundary: props.iam?.permissionsBoundary,
      path: props.iam?.path,
      assumeRolePolicy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // The account from the group's ARN: no data source, so the module plans offline.
            Condition: { StringEquals: { 'aws:SourceAccount': Fn.element(Fn.split(':', groupArn), 4) } },
          },
        ],
      }),
    });
    const rolePolicy = new IamRolePolicy(this, 'role-policy', {
      count: group.count,
      role: `\${one(${role.fqn}[*].id)}`,
      name: 'dx-privatelink-flow-logs',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
            Resource: [groupArn, `${groupArn}:*`],
          },
        ],
      }),
    });
    const subnets = new TerraformLocal(this, 'subnet-ids', props.subnetIds).fqn;
    new FlowLog(this, 'subnet', {
      // Delivery starts with a role that may already write.
      dependsOn: [rolePolicy],
      count: Token.asNumber(`\${${s}.enabled ? length(${subnets}) : 0}`),
      subnetId: `\${${subnets}[count.index]}`,
      trafficType: 'ALL',
      maxAggregationInterval: 60,
      logFormat: FLOW_LOG_FIELDS.map((f) => `$\${${f}}`).join(' '),
      logDestinationType: `\${${toLogs} ? "cloud-watch-logs" : "s3"}`,
      logDestination: `\${${toLogs} ? ${groupArn} : try(${s}.s3_bucket_arn, null)}`,
      iamRoleArn: `\${${toLogs} ? one(${role.fqn}[*].arn) : null}`,
      tags: { Name: `${props.name}-flow-logs` },
    });
  }
}

/** Checks plain settings and renders them in the module's snake_case shape. */
function renderSettings(spec: FlowLogsSpec): Record<string, unknown> {
  const destination = spec.destination ?? 'cloudwatch';
  const plain = (v: unknown) => v !== undefined && !Token.isUnresolved(v);
  const destinationProblem = plain(destination) ? checkOneOf('flowLogs.destination', destination, ['cloudwatch', 's3']) : undefined;
  if (destinationProblem) throw destinationProblem;
  if (destination === 's3' && spec.s3BucketArn === undefined) {
    throw new ValidationError(
      'flowLogs.s3BucketArn',
      undefined,
      'is required with destination "s3"',
      'give the ARN of the bucket the flow logs go to',
    );
  }
  if (destination === 'cloudwatch' && spec.s3BucketArn !== undefined) {
    throw new ValidationError(
      'flowLogs.s3BucketArn',
      spec.s3BucketArn,
      'is only used with destination "s3"',
      'remove it, or set destination to "s3"',
    );
  }
  if (destination === 's3' && spec.retentionDays !== undefined) {
    throw new ValidationError(
      'flowLogs.retentionDays',
      spec.retentionDays,
      'is only used with destination "cloudwatch"',
      "remove it and keep the logs as long as the bucket's lifecycle rules say",
    );
  }
  const problem =
    (plain(spec.s3BucketArn) ? check(RULES.s3BucketArn, 'flowLogs.s3BucketArn', spec.s3BucketArn!) : undefined) ??
    (plain(spec.retentionDays) ? check(RULES.logRetentionDays, 'flowLogs.retentionDays', spec.retentionDays!) : undefined);
  if (problem) throw problem;
  const rendered: Record<string, unknown> = {
    enabled: spec.enabled ?? true,
    destination,
    s3_bucket_arn: spec.s3BucketArn,
    retention_days: spec.retentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
  };
  return Object.fromEntries(Object.entries(rendered).filter(([, v]) => v !== undefined));
}
