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
import { Fn, Token } from 'cdktf';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TARGET_HEALTH_CHECK } from './forwarding-nlb';
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

/** Launch settings that are the same for every fleet (a change rolls every fleet); a fresh copy each call. */
export function launchSettings() {
  return {
    instanceInitiatedShutdownBehavior: 'terminate',
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [
      { deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeType: 'gp3', volumeSize: 8, deleteOnTermination: 'true' } },
    ],
    monitoring: { enabled: true },
  };
}
/** Digest of launchSettings(), part of the launch digest. */
export const SETTINGS_DIGEST = createHash('sha1').update(JSON.stringify(launchSettings())).digest('hex');

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
      ],
    }),
  });
  const profile = new IamInstanceProfile(scope, 'instance-profile', {
    namePrefix: `${fleetName}-`,
    role: role.name,
    tags,
  });
  return { profile, policy, roleArn: role.arn };
}
