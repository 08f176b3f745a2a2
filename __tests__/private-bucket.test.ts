import { TerraformVariable } from 'cdktf';
import { ConsumerHandoff } from '../constructs/consumer-handoff';
import { PrivateBucket, PrivateBucketProps } from '../constructs/private-bucket';
import { synthObject, testStack } from './support/stack';

const KEY = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function build(props: Partial<PrivateBucketProps> = {}, stack = testStack()) {
  new PrivateBucket(stack, 'bucket', { bucketName: 'fix-gw-nat-rules', ...props });
  return { json: synthObject(stack) };
}

const encryption = (json: Record<string, any>, name = 'bucket_encryption') =>
  json.resource.aws_s3_bucket_server_side_encryption_configuration[name].rule;

describe('PrivateBucket', () => {
  test('encrypted with S3-managed keys by default', () => {
    expect(encryption(build().json)).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
  });

  test('with a customer managed key: SSE-KMS with an S3 Bucket Key (fewer KMS requests)', () => {
    expect(encryption(build({ kmsKeyArn: KEY }).json)).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true },
    ]);
  });

  test('a key expression that may be null falls back to S3-managed keys at plan', () => {
    const stack = testStack();
    const key = new TerraformVariable(stack, 'key', { type: 'string', nullable: true });
    const { json } = build({ kmsKeyArn: key.stringValue }, stack);
    expect(json.locals.bucket_kms_key_arn).toBe('${var.key}');
    expect(encryption(json)).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: '${local.bucket_kms_key_arn == null ? "AES256" : "aws:kms"}',
          kms_master_key_id: '${local.bucket_kms_key_arn}',
        },
        bucket_key_enabled: '${local.bucket_kms_key_arn != null ? true : null}',
      },
    ]);
  });

  test('fails when the key is not a key ARN', () => {
    expect(() => build({ kmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' })).toThrow(
      'kmsKeyArn: is not the ARN of a KMS key (got "1234abcd-12ab-34cd-56ef-1234567890ab")',
    );
  });
});

describe('ConsumerHandoff', () => {
  test('its bucket takes the key', () => {
    const stack = testStack();
    new ConsumerHandoff(stack, 'handoff', {
      bucketName: 'fix-gw-handoff-111111111111-eu-west-2',
      kmsKeyArn: KEY,
      consumers: [{ name: 'desk-eu', accountId: '222222222222', services: {} }],
    });
    expect(encryption(synthObject(stack), 'handoff_encryption')).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true },
    ]);
  });
});
