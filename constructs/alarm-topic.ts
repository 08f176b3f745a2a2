import { Construct } from 'constructs';
import { Fn, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { isPlain, refuseTemplates } from './props-check';
import { checkKmsKeyArn } from './private/locked-down';

export interface AlarmTopicProps {
  /** Name of the topic created when no existing one is given. */
  readonly topicName: string;
  /**
   * The settings object (a Terraform expression, `local.…` or `var.…`) with
   * `alarms` (bool), `topic_arn` (string or null), `create_topic` (bool, or
   * null to decide by `topic_arn`: set it when the ARN is only known after
   * apply) and `emails` (list).
   */
  readonly settings: string;
  /**
   * A customer managed key for the topic created here; its key policy must
   * let the publishers (CloudWatch alarms, Auto Scaling, VPC endpoint
   * services) use it (README).
   * @default - not encrypted with a key of yours
   */
  readonly kmsKeyArn?: string;
}

/**
 * Where every alarm and notification of a deployment goes: an SNS topic
 * created here (standard, with a policy that lets CloudWatch alarms, Auto
 * Scaling and VPC endpoint services of this account publish), or an
 * existing topic by ARN, plus e-mail subscriptions. Created only while
 * `settings.alarms` is true.
 */
export class AlarmTopic extends Construct {
  /** The topic's ARN (null while alarms are off). */
  public readonly topicArn: string;
  /** The created topic's policy: publishers wait for it. */
  public readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    refuseTemplates(props);
    const keyProblem = checkKmsKeyArn(props.kmsKeyArn, 'kmsKeyArn', {}, isPlain);
    if (keyProblem) throw keyProblem;
    const s = props.settings;
    const on = `${s}.alarms`;
    const create = `try(${s}.create_topic, null) != null ? ${s}.create_topic : try(${s}.topic_arn, null) == null`;
    const topic = new SnsTopic(this, 'topic', {
      count: Token.asNumber(`\${${on} && (${create}) ? 1 : 0}`),
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
      tags: { Name: props.topicName },
    });
    const created = new TerraformLocal(this, 'created-arn', `\${one(${topic.fqn}[*].arn)}`).asString;
    // The account and region come from the topic's own ARN: no data source,
    // so the module plans without AWS calls.
    const arnPart = (i: number) => Fn.element(Fn.split(':', created), i);
    const account = arnPart(4);
    this.policy = new SnsTopicPolicy(this, 'policy', {
      count: topic.count,
      arn: created,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountPublishAndManage',
            Effect: 'Allow',
            Principal: { AWS: `arn:${arnPart(1)}:iam::${account}:root` },
            Action: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
            Resource: created,
          },
          {
            Sid: 'CloudWatchAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: created,
            Condition: {
              ArnLike: { 'aws:SourceArn': `arn:${arnPart(1)}:cloudwatch:${arnPart(3)}:${account}:alarm:*` },
              StringEquals: { 'aws:SourceAccount': account },
            },
          },
          {
            Sid: 'EndpointServiceNotifications',
            Effect: 'Allow',
            Principal: { Service: 'vpce.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: created,
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
        ],
      }),
    });
    this.topicArn = new TerraformLocal(
      this,
      'arn',
      `\${${on} ? ((${create}) ? one(${topic.fqn}[*].arn) : ${s}.topic_arn) : null}`,
    ).asString;

    const emails = TerraformIterator.fromList(
      new TerraformLocal(this, 'emails', `\${${on} ? toset(try(${s}.emails, [])) : toset([])}`).asList,
    );
    new SnsTopicSubscription(this, 'email', {
      forEach: emails,
      topicArn: this.topicArn,
      protocol: 'email',
      endpoint: emails.value,
    });
  }
}
