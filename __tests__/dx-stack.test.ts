import { Testing } from 'cdktf';
import { ConsumerStack } from '../constructs/consumer-stack';
import { DxStack } from '../constructs/dx-stack';
import { synthObject } from './support/stack';

const S3 = {
  bucket: 'acme-terraform-state',
  region: 'eu-west-2',
  keyPrefix: 'dx-privatelink/fix-gw/',
  roleArn: 'arn:aws:iam::111111111111:role/state',
};

describe('DxStack', () => {
  test('local state beside the output directory by default, provider pinned to the account', () => {
    const json = synthObject(
      new DxStack(Testing.app(), 'provider', { region: 'eu-west-2', accountId: '111111111111', tags: { team: 'net' } }),
    );
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.provider.tfstate' } });
    expect(json.terraform.required_version).toBe('>= 1.5.0');
    expect(json.provider.aws[0]).toMatchObject({
      region: 'eu-west-2',
      allowed_account_ids: ['111111111111'],
      default_tags: [{ tags: { team: 'net', 'managed-by': 'dx-privatelink' } }],
    });
  });

  test('S3 state: one encrypted object per stack, S3 lock files, optional role', () => {
    const json = synthObject(new DxStack(Testing.app(), 'provider', { region: 'eu-west-2', accountId: '111111111111', state: { s3: S3 } }));
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'acme-terraform-state',
      region: 'eu-west-2',
      key: 'dx-privatelink/fix-gw/provider.tfstate',
      encrypt: true,
      assume_role: { role_arn: 'arn:aws:iam::111111111111:role/state' },
      use_lockfile: true,
    });
  });

  test('consumer stacks read only their own handoff object, never a provider state, and assume their role', () => {
    const stack = new ConsumerStack(Testing.app(), 'consumer-desk', {
      region: 'eu-west-2',
      accountId: '222222222222',
      assumeRoleArn: 'arn:aws:iam::222222222222:role/deploy',
      state: { s3: S3 },
      providerStackId: 'provider',
      providerRegion: 'eu-west-2',
      handoff: { bucket: 'fix-gw-handoff-111111111111-eu-west-2', region: 'eu-west-2' },
      endpoint: { name: 'desk', vpcId: 'vpc-02222222222222222', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], allowedCidrs: ['10.1.0.0/16'] },
      shards: [{ key: 'internal-1', ports: { 'broker-a': 9001 } }],
    });
    const json = synthObject(stack);
    expect(json.data.terraform_remote_state).toBeUndefined();
    expect(json.data.aws_s3_object.handoff).toMatchObject({
      bucket: 'fix-gw-handoff-111111111111-eu-west-2',
      key: 'consumers/222222222222.json',
    });
    expect(json.terraform.backend.s3.key).toBe('dx-privatelink/fix-gw/consumer-desk.tfstate');
    expect(json.terraform.required_version).toBe('>= 1.10.0');
    expect(json.provider.aws[0].assume_role).toEqual([
      { role_arn: 'arn:aws:iam::222222222222:role/deploy', session_name: 'dx-privatelink' },
    ]);
    expect(json.locals.services['internal-1']).toEqual({
      service_name: '${local.handoff_services["internal-1"].service_name}',
      zone_ids: '${local.handoff_services["internal-1"].zone_ids}',
      ports: { 'broker-a': 9001 },
    });
  });

  test('a consumer in another region reads the handoff through a provider of the handoff region', () => {
    const json = synthObject(
      new ConsumerStack(Testing.app(), 'consumer-us', {
        region: 'us-east-1',
        accountId: '222222222222',
        providerRegion: 'eu-west-2',
        handoff: { bucket: 'fix-gw-handoff-111111111111-eu-west-2', region: 'eu-west-2' },
        endpoint: { name: 'us', vpcId: 'vpc-02222222222222222', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], allowedCidrs: ['10.1.0.0/16'] },
        shards: [{ key: 'internal-0', ports: { 'broker-a': 9001 } }],
      }),
    );
    expect(json.provider.aws.map((p: any) => [p.alias ?? 'default', p.region])).toEqual([
      ['default', 'us-east-1'],
      ['handoff-region', 'eu-west-2'],
    ]);
    expect(json.data.aws_s3_object.handoff.provider).toBe('aws.handoff-region');
    // no zone check across regions
    expect(json.locals.services['internal-0']).toEqual({
      service_name: expect.any(String),
      service_region: 'eu-west-2',
      ports: { 'broker-a': 9001 },
    });
  });

  test('fails when a tag uses the reserved aws: prefix', () => {
    expect(
      () => new DxStack(Testing.app(), 'provider', { region: 'eu-west-2', accountId: '111111111111', tags: { 'aws:x': 'y' } }),
    ).toThrow('tags["aws:x"]: starts with the reserved prefix aws: (got "aws:x")');
  });

  test('fails when the role is in another partition than the region', () => {
    expect(
      () =>
        new DxStack(Testing.app(), 'consumer', {
          region: 'eu-west-2',
          accountId: '222222222222',
          assumeRoleArn: 'arn:aws-cn:iam::222222222222:role/deploy',
        }),
    ).toThrow('assumeRoleArn: is not in partition aws of region eu-west-2');
  });
});
