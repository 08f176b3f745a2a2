/**
 * What a NAT instance is made of and how it starts: the boot script and
 * rules templates, the launch settings every fleet shares, the image, the
 * instance role, and the timings of a launch. Used by NatFleet, and not a
 * construct of its own: the role and profile are made in the fleet's scope
 * so that their Terraform addresses stay what they were when they lived in
 * nat-fleet.ts (a new address would replace them).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TARGET_HEALTH_CHECK } from './forwarding-nlb';
import { IamOptions, checkIamOptions, checkKmsKeyArn, checkSecurityGroupIds } from './private/locked-down';
import { isPlain } from './props-check';
import { PACKAGE_ROOT } from './private/package-root';

/** The boot script (launch template user data): no forwards in it. */
export const NAT_BOOT_TEMPLATE = path.join(PACKAGE_ROOT, 'constructs', 'templates', 'nat-boot.sh.tftpl');
/** The NAT ruleset of a fleet, written to S3 and reloaded in place by the instances. */
export const NAT_RULES_TEMPLATE = path.join(PACKAGE_ROOT, 'constructs', 'templates', 'nat-rules.nft.tftpl');

/** Name of the launch lifecycle hook an instance completes once its NAT rules are loaded. */
export const NAT_READY_HOOK = 'dx-privatelink-nat-ready';

/** Seconds a new instance gets to load its rules before the Auto Scaling group gives up on it. */
export const READY_TIMEOUT_SECONDS = 600;

/**
 * Seconds every replacement (instance refresh, an unhealthy instance, the
 * maximum lifetime) waits after a new instance is in service before it
 * terminates an old one: the NLBs register the instance in each of its
 * target groups (an allowance of 4 minutes; AWS publishes no figure) and
 * pass it 3 health checks 10 s apart. A wait, not a health gate: the group
 * uses EC2 health checks, because the NLB's checks go through to the brokers
 * and a broker outage must not recycle the fleet.
 */
export const NAT_INSTANCE_WARMUP_SECONDS = 240 + TARGET_HEALTH_CHECK.interval * TARGET_HEALTH_CHECK.healthyThreshold;

/**
 * Key of the Auto Scaling group tag that holds a digest of what an instance
 * is made of (image, instance type, user data, launch settings). The group's
 * instance refresh is triggered by its tags, and this is the only tag that
 * changes: the config's tags reach instances and volumes through the launch
 * template's newest version (the group launches `$Latest`) without replacing
 * a running instance.
 */
export const NAT_LAUNCH_DIGEST_TAG = 'dx-privatelink:launch-digest';

/**
 * Launch settings that are the same for every fleet (a change rolls every
 * fleet); a fresh copy each call. With `kmsKeyId`, the root volume is
 * encrypted with that customer managed key instead of the account's default.
 */
export function launchSettings(kmsKeyId?: string) {
  const ebs = { encrypted: 'true', volumeType: 'gp3', volumeSize: 8, deleteOnTermination: 'true' };
  return {
    instanceInitiatedShutdownBehavior: 'terminate',
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: kmsKeyId === undefined ? ebs : { ...ebs, kmsKeyId } }],
    monitoring: { enabled: true },
  };
}
/** Digest of launchSettings(), part of the launch digest. */
export const SETTINGS_DIGEST = createHash('sha1').update(JSON.stringify(launchSettings())).digest('hex');

/** The options of a locked-down account, as NatFleetProps has them. */
export interface LockedFleetOptions {
  readonly region: string;
  readonly accountId?: string;
  readonly kmsKeyArn?: string;
  readonly iam?: IamOptions;
  readonly securityGroupIds?: string[];
  readonly securityGroupsPerInterfaceQuota?: number;
}

/** Throws the first problem of the plain values among a fleet's locked-down options. */
export function checkLaunchOptions(props: LockedFleetOptions): void {
  const quota = props.securityGroupsPerInterfaceQuota;
  const problem =
    checkKmsKeyArn(props.kmsKeyArn, 'kmsKeyArn', { region: props.region }, isPlain) ??
    checkIamOptions(props.iam, 'iam', { region: props.region, accountId: props.accountId }, isPlain) ??
    checkSecurityGroupIds(
      props.securityGroupIds,
      'natFleet.securityGroupIds',
      { own: 1, quotas: quota === undefined ? {} : { security_groups_per_network_interface: quota } },
      isPlain,
    );
  if (problem) throw problem;
}

/** What an instance is made of beyond launchSettings(): options of a locked-down account. */
export interface LaunchOptions {
  /** Key of the root volume. @default - the account's default */
  readonly kmsKeyId?: string;
  /** The account's own groups on the instances. @default - none */
  readonly securityGroupIds?: string[];
  /** Path of the instance profile (a new path is a new profile). @default '/' */
  readonly iamPath?: string;
}

/**
 * The settings part of the launch digest: SETTINGS_DIGEST as it was when no
 * option is set (or, in the module, each is null, empty or "/"), so a fleet
 * is not rolled by an upgrade; otherwise a digest of it and the options,
 * computed by Terraform (the options may be expressions), known at plan.
 */
export function launchSettingsDigest(scope: Construct, options: LaunchOptions): string {
  if (Object.values(options).every((v) => v === undefined)) return SETTINGS_DIGEST;
  const o = new TerraformLocal(scope, 'launch-options', {
    kms_key_id: options.kmsKeyId,
    security_group_ids: options.securityGroupIds,
    iam_path: options.iamPath,
  }).fqn;
  // Each part is "" when its option is absent (try) or null, the groups in any order.
  const part = (attr: string, empty: string, text: string) => `try(${o}.${attr} == null || ${empty} ? "" : ${text}, "")`;
  const parts = `compact([${[
    part('kms_key_id', 'false', `format("kms=%s", ${o}.kms_key_id)`),
    part('security_group_ids', `length(${o}.security_group_ids) == 0`, `format("sg=%s", join(",", sort(${o}.security_group_ids)))`),
    part('iam_path', `${o}.iam_path == "/"`, `format("path=%s", ${o}.iam_path)`),
  ].join(', ')}])`;
  return new TerraformLocal(
    scope,
    'launch-settings',
    `\${length(${parts}) == 0 ? "${SETTINGS_DIGEST}" : sha1(format("%s %s", "${SETTINGS_DIGEST}", join(";", ${parts})))}`,
  ).asString;
}

/**
 * Bytes of the boot script Terraform renders for a fleet (the launch
 * template's user data before base64): the template with its values in.
 */
export function renderedBootScriptBytes(bucket: string, fleetName: string, region: string): number {
  const values: Record<string, string> = {
    bucket,
    key: `nat/${fleetName}.nft`,
    region,
    asg_name: fleetName,
    hook_name: NAT_READY_HOOK,
    fleet: fleetName,
  };
  const rendered = readFileSync(NAT_BOOT_TEMPLATE, 'utf8')
    .replace(/(?<!\$)\$\{([a-z_]+)\}/g, (_, name: string) => values[name] ?? `\${${name}}`)
    .replace(/\$\$\{/g, '${');
  return Buffer.byteLength(rendered);
}

/** The largest TCP MSS for a path whose smallest link carries `mtu`-byte packets (PrivateLink carries 8500). */
export function clampedMss(mtu: number): number {
  return Math.min(mtu, 8500) - 40;
}

/**
 * The launch template's image: a pinned AMI, or the latest Amazon Linux 2023
 * resolved by EC2 at launch (no data source, so plans need no AWS calls).
 */
export function imageOf(amiId: string | undefined, architecture: string): string {
  const tracked = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-';
  if (amiId === undefined) return `${tracked}${architecture}`;
  return Token.isUnresolved(amiId) ? Fn.coalesce([amiId, Fn.format(`${tracked}%s`, [architecture])]) : amiId;
}

/** What a fleet's instance role is for. */
export interface NatInstanceRoleProps {
  readonly fleetName: string;
  /** ARN of the fleet's rules object: the only object the instances read. */
  readonly rulesObjectArn: string;
  /** @default - the partition of the role's own ARN */
  readonly partition?: string;
  /** Region and account of the fleet: its Auto Scaling group and instances. */
  readonly region: string;
  /** @default - the account of the role's own ARN */
  readonly accountId?: string;
  readonly tags: Record<string, string>;
  /** Permissions boundary and path of the role and profile. @default - none, path / */
  readonly iam?: IamOptions;
  /**
   * The rules bucket's customer managed key: the instances may decrypt with
   * it what S3 encrypted for that bucket.
   * @default - the bucket uses S3-managed keys
   */
  readonly kmsKeyArn?: string;
  /** ARN of the rules bucket (the encryption context of its objects). @default - no kms:Decrypt statement */
  readonly rulesBucketArn?: string;
}

/**
 * What Session Manager needs on the instance, and nothing more: register the
 * instance, and open the control and data channels of a session (AWS's
 * "custom instance profile for Session Manager"), plus the message actions
 * of the SSM Agent's older channel (ec2messages), which agents still use for
 * commands. AmazonSSMManagedInstanceCore would also allow reading every
 * SSM parameter of the account.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html
 */
export const SESSION_MANAGER_ACTIONS = {
  register: ['ssm:UpdateInstanceInformation'],
  channels: [
    'ssmmessages:CreateControlChannel',
    'ssmmessages:CreateDataChannel',
    'ssmmessages:OpenControlChannel',
    'ssmmessages:OpenDataChannel',
  ],
  messages: [
    'ec2messages:AcknowledgeMessage',
    'ec2messages:DeleteMessage',
    'ec2messages:FailMessage',
    'ec2messages:GetEndpoint',
    'ec2messages:GetMessages',
    'ec2messages:SendReply',
  ],
} as const;

/**
 * The NAT instances' role and instance profile, made in the fleet's scope
 * (their Terraform addresses are the fleet's), with one policy: their own
 * rules object, their own group's launch hook, and Session Manager. Nothing
 * else.
 */
export function natInstanceRole(
  scope: Construct,
  props: NatInstanceRoleProps,
): { profile: IamInstanceProfile; policy: IamRolePolicy; roleArn: string } {
  const { fleetName, tags } = props;
  const role = new IamRole(scope, 'role', {
    namePrefix: `${fleetName}-`,
    description: 'dx-privatelink NAT instances: SSM management, their rules object, their launch hook',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
    permissionsBoundary: props.iam?.permissionsBoundary,
    path: props.iam?.path,
    tags,
  });
  // The role's own ARN names the partition and account when the caller does not (the module).
  const account = props.accountId ?? Fn.element(Fn.split(':', role.arn), 4);
  const partition = props.partition ?? Fn.element(Fn.split(':', role.arn), 1);
  const policy = new IamRolePolicy(scope, 'rules-access', {
    role: role.id,
    name: 'dx-privatelink-nat',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadOwnRules', Effect: 'Allow', Action: 's3:GetObject', Resource: props.rulesObjectArn },
        {
          Sid: 'CompleteOwnLaunch',
          Effect: 'Allow',
          Action: 'autoscaling:CompleteLifecycleAction',
          Resource: `arn:${partition}:autoscaling:${props.region}:${account}:autoScalingGroup:*:autoScalingGroupName/${fleetName}`,
        },
        {
          Sid: 'SessionManagerRegister',
          Effect: 'Allow',
          Action: [...SESSION_MANAGER_ACTIONS.register],
          Resource: `arn:${partition}:ec2:${props.region}:${account}:instance/*`,
        },
        // These actions take no resource ARN.
        { Sid: 'SessionManagerChannels', Effect: 'Allow', Action: [...SESSION_MANAGER_ACTIONS.channels], Resource: '*' },
        { Sid: 'SsmAgentMessages', Effect: 'Allow', Action: [...SESSION_MANAGER_ACTIONS.messages], Resource: '*' },
        ...decryptRules(props, partition, account),
      ],
    }),
  });
  const profile = new IamInstanceProfile(scope, 'instance-profile', {
    namePrefix: `${fleetName}-`,
    role: role.name,
    path: props.iam?.path,
    tags,
  });
  return { profile, policy, roleArn: role.arn };
}

/**
 * With a customer managed key on the rules bucket, reading the rules takes
 * kms:Decrypt through S3, whose encryption context is the bucket's ARN (with
 * an S3 Bucket Key) or the object's. A key expression that turns out null
 * (the module) leaves a statement for a key that cannot exist.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
function decryptRules(props: NatInstanceRoleProps, partition: string, account: string): Record<string, unknown>[] {
  const key = props.kmsKeyArn;
  if (key === undefined || props.rulesBucketArn === undefined) return [];
  const bucket = props.rulesBucketArn;
  return [
    {
      Sid: 'DecryptOwnRules',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: Token.isUnresolved(key) ? Fn.coalesce([key, `arn:${partition}:kms:${props.region}:${account}:key/none`]) : key,
      Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/*`] } },
    },
  ];
}
