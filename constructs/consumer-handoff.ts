import { Construct } from 'constructs';
import { Fn, TerraformIterator, Token } from 'cdktf';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { PrivateBucket } from './private-bucket';
import { handoffKey } from './private/handoff';
import { checkOneOf } from './private/checks';
import { isPlain, refuseTemplates } from './props-check';
import { PARTITIONS, RULES, ValidationError, check, keyField } from './private/rules';

/** What one consumer needs to connect to one endpoint service (a tenant shard). */
export interface HandoffService {
  readonly serviceName: string;
  /** Region of the endpoint service. */
  readonly region: string;
  /** Availability zone ids the service is offered in (ids match across accounts, names do not). */
  readonly zoneIds: string[];
  /** Listen port per forward name. */
  readonly ports: Readonly<Record<string, number>>;
}

export interface HandoffConsumer {
  readonly name: string;
  /** The consumer's account: the only account that may read its object. */
  readonly accountId: string;
  /** Its services, keyed like the consumer stack's endpoints (`<tenant>-<shard>`). */
  readonly services: Readonly<Record<string, HandoffService>>;
}

export interface ConsumerHandoffProps {
  /** The bucket's name (see handoffBucketName). */
  readonly bucketName: string;
  /** @default 'aws' */
  readonly partition?: string;
  readonly consumers: readonly HandoffConsumer[];
  /**
   * A customer managed key for the bucket (SSE-KMS): its key policy must let
   * each consumer account decrypt through S3 (README).
   * @default - S3-managed keys
   */
  readonly kmsKeyArn?: string;
}

/**
 * What the provider stack publishes for the consumer stacks, so that a
 * consumer never needs the provider's Terraform state (which holds the BGP
 * key and every tenant's brokers): one S3 object per consumer account with
 * only its own services' names, regions, zone ids and ports. The bucket
 * policy lets each listed account read `consumers/<its own account id>.json`
 * and nothing else (`${aws:PrincipalAccount}` in the resource), over TLS
 * only; public access is blocked and objects are owned by the bucket owner.
 */
export class ConsumerHandoff extends Construct {
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: ConsumerHandoffProps) {
    super(scope, id);
    refuseTemplates(props);
    for (const [i, c] of props.consumers.entries()) {
      const problem =
        (Token.isUnresolved(c.accountId) ? undefined : check(RULES.accountId, `consumers[${i}].accountId`, c.accountId)) ??
        Object.entries(c.services)
          .map(([key, s]) =>
            isPlain(s.region) ? check(RULES.region, `${keyField(`consumers[${i}].services`, key)}.region`, s.region) : undefined,
          )
          .find(Boolean);
      if (problem) throw problem;
    }
    const partitionProblem = isPlain(props.partition) ? checkOneOf('partition', props.partition!, PARTITIONS) : undefined;
    if (partitionProblem) throw partitionProblem;
    if (props.consumers.length === 0) {
      throw new ValidationError('consumers', [], 'is empty', 'list the consumers the provider stack publishes endpoint services for');
    }
    const partition = props.partition ?? 'aws';
    const bucket = new PrivateBucket(this, 'Default', {
      bucketName: props.bucketName,
      partition,
      kmsKeyArn: props.kmsKeyArn,
      statements: (arn) => [
        {
          Sid: 'EachConsumerReadsItsOwnHandoff',
          Effect: 'Allow',
          Principal: { AWS: props.consumers.map((c) => `arn:${partition}:iam::${c.accountId}:root`) },
          Action: 's3:GetObject',
          // An IAM policy variable, not a Terraform one: "$${" keeps it literal.
          Resource: `${arn}/${handoffKey('$${aws:PrincipalAccount}')}`,
        },
      ],
    });
    const objects = TerraformIterator.fromMap(
      Object.fromEntries(
        props.consumers.map((c) => [
          c.accountId,
          {
            consumer: c.name,
            services: Object.fromEntries(
              Object.entries(c.services).map(([key, s]) => [
                key,
                { service_name: s.serviceName, region: s.region, zone_ids: s.zoneIds, ports: s.ports },
              ]),
            ),
          },
        ]),
      ),
    );
    new S3Object(this, 'object', {
      forEach: objects,
      bucket: bucket.bucketName,
      key: handoffKey('${each.key}'),
      content: Fn.jsonencode(objects.value),
      contentType: 'application/json',
    });
    this.bucketName = bucket.bucketName;
  }
}
