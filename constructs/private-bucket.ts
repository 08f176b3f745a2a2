import { Construct } from 'constructs';
import { TerraformLocal, Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { checkOneOf } from './private/checks';
import { isPlain, refuseTemplates } from './props-check';
import { checkQuota } from './private/quotas';
import { PARTITIONS } from './private/rules';
import { checkKmsKeyArn } from './private/locked-down';

export interface PrivateBucketProps {
  /** The bucket's name (a token or plain); or give `namePrefix`. */
  readonly bucketName?: string;
  /** A prefix for a name AWS completes (the module's choice: it knows no account id). */
  readonly namePrefix?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** Policy statements besides "TLS only" (`Resource` may use `${arn}` for the bucket ARN). */
  readonly statements?: (arn: string) => Record<string, unknown>[];
  /**
   * A customer managed key: SSE-KMS with an S3 Bucket Key. Whoever reads
   * the objects needs kms:Decrypt on it (README). An expression may be null.
   * @default - S3-managed keys (SSE-S3)
   */
  readonly kmsKeyArn?: string;
}

/**
 * An S3 bucket for what dx-privatelink publishes (NAT rules, consumer
 * handoffs): public access blocked, ACLs off (objects owned by the bucket
 * owner), encrypted at rest, and a policy that refuses any request without
 * TLS, plus the given statements.
 */
export class PrivateBucket extends Construct {
  public readonly bucketName: string;
  public readonly arn: string;
  /** The bucket's region (computed). */
  public readonly region: string;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    refuseTemplates(props);
    const partitionProblem = isPlain(props.partition) ? checkOneOf('partition', props.partition!, PARTITIONS) : undefined;
    if (partitionProblem) throw partitionProblem;
    const keyProblem = checkKmsKeyArn(props.kmsKeyArn, 'kmsKeyArn', {}, isPlain);
    if (keyProblem) throw keyProblem;
    const bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      bucketPrefix: props.namePrefix,
      tags: props.bucketName ? { Name: props.bucketName } : undefined,
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [encryptionRule(this, props.kmsKeyArn)],
    });
    const arn = props.bucketName ? `arn:${props.partition ?? 'aws'}:s3:::${props.bucketName}` : bucket.arn;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        ...(props.statements?.(arn) ?? []),
        {
          Sid: 'TlsOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    checkQuota(
      'bucket_policy_bytes',
      Buffer.byteLength(policy),
      `the policy of bucket ${props.bucketName ?? props.namePrefix}`,
      'list fewer consumer accounts per deployment',
    );
    new S3BucketPolicy(this, 'policy', { bucket: bucket.id, policy });
    this.bucketName = bucket.bucket;
    this.arn = arn;
    this.region = bucket.region;
  }
}

/** Default encryption: SSE-S3, or SSE-KMS with a Bucket Key (fewer KMS requests) with a key; null is decided at plan. */
function encryptionRule(scope: Construct, key: string | undefined) {
  if (key === undefined) return { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } };
  if (!Token.isUnresolved(key)) {
    return { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key }, bucketKeyEnabled: true };
  }
  const k = new TerraformLocal(scope, 'kms-key-arn', key).fqn;
  return {
    applyServerSideEncryptionByDefault: { sseAlgorithm: `\${${k} == null ? "AES256" : "aws:kms"}`, kmsMasterKeyId: `\${${k}}` },
    // Null rather than false without a key: the argument stays unset, as it was before the option.
    bucketKeyEnabled: Token.asAny(`\${${k} != null ? true : null}`) as unknown as boolean,
  };
}
