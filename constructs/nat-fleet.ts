import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { AssetType, Fn, IResolvable, Op, TerraformAsset, TerraformIterator, TerraformLocal, Token, ref } from 'cdktf';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsDefaultTags } from '@cdktf/provider-aws/lib/data-aws-default-tags';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { ForwardSet } from './forward-set';
import { FLEET_GROUP_METRICS } from './private/alarms';
import { NatIngressSource, NatSecurityGroup } from './nat-security-group';
import { RULES, ValidationError, check, instanceArchitecture } from './private/rules';
import { PACKAGE_ROOT } from './private/package-root';

/** The boot script (launch template user data): no forwards in it. */
export const NAT_BOOT_TEMPLATE = path.join(PACKAGE_ROOT, 'constructs', 'templates', 'nat-boot.sh.tftpl');
/** The NAT ruleset of a fleet, written to S3 and reloaded in place by the instances. */
export const NAT_RULES_TEMPLATE = path.join(PACKAGE_ROOT, 'constructs', 'templates', 'nat-rules.nft.tftpl');

/** Name of the launch lifecycle hook an instance completes once its NAT rules are loaded. */
export const NAT_READY_HOOK = 'dx-privatelink-nat-ready';

/** Seconds a new instance gets to load its rules before the Auto Scaling group gives up on it. */
const READY_TIMEOUT_SECONDS = 600;

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

/** The target groups one NLB sends to a fleet. */
export interface NatTargetGroups {
  /** Stable key (part of resource addresses); '' for the only NLB. */
  readonly key: string;
  /** Forward name to `{ arn, arn_suffix }` of its target group (ForwardingNlb.targetGroupMap). */
  readonly groups: IResolvable;
  /** The NLB's ARN suffix (its metrics' `LoadBalancer` dimension). */
  readonly loadBalancerArnSuffix: string;
  /** The forwards of `groups`, when known at synth (for counts in summaries). */
  readonly forwards?: readonly string[];
}

/** Where the fleet's rules object lives. */
export interface NatRulesBucket {
  readonly name: string;
  readonly arn: string;
  /** Its region: the instances fetch through the S3 gateway endpoint of that region. */
  readonly region: string;
}

export interface NatFleetProps {
  /** Name of the fleet: its Auto Scaling group, launch template, security group and rules object. */
  readonly fleetName: string;
  readonly vpcId: string;
  /** The VPC CIDR: the SSM interface endpoints are reached in it on 443. */
  readonly vpcCidr: string;
  /** One subnet per availability zone, at least two. */
  readonly subnetIds: string[];
  /** This fleet's forwards; it translates those whose path is `nat`. */
  readonly forwards: ForwardSet;
  /** Target groups of this fleet's forwards, by NLB (at most 50 in all, the Auto Scaling group limit). */
  readonly targetGroups: readonly NatTargetGroups[];
  /** The NLBs that send to this fleet: ingress only from their security groups, on their forwards' ports. */
  readonly ingressFrom: readonly NatIngressSource[];
  readonly rulesBucket: NatRulesBucket;
  /**
   * Largest TCP MSS the path carries (clampedMss of the smallest MTU).
   * @default 1460 (a 1500-byte VIF)
   */
  readonly mss?: number;
  /**
   * Prefix list of the S3 gateway endpoint (a list of zero or one): the
   * instances fetch their rules and packages through it.
   */
  readonly s3PrefixListIds?: string[];
  /** @default 't4g.small' */
  readonly instanceType?: string;
  /**
   * CPU architecture of the Amazon Linux 2023 image; must match the instance type.
   * @default 'arm64'
   */
  readonly architecture?: 'arm64' | 'x86_64';
  /** @default 2 */
  readonly minSize?: number;
  /** @default minSize */
  readonly maxSize?: number;
  /**
   * Pin the image: an Amazon Linux 2023 AMI id of `architecture`. Changing it
   * rolls the fleet, new instances first. A Terraform expression may be null.
   * @default - tracked: the latest Amazon Linux 2023 image, resolved by EC2 at each launch
   */
  readonly amiId?: string;
  /**
   * Replace every instance after this many days (1 to 365), new instance
   * first, so long-running instances boot the current image and packages.
   * A replaced instance resets the connections through it. A Terraform
   * expression may be 0 for no limit.
   * @default - no limit
   */
  readonly maxInstanceLifetimeDays?: number;
  /**
   * IAM partition for the SSM managed policy ARN.
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * An Auto Scaling group of NAT instances (Amazon Linux 2023) that translate
 * their fleet's public-target forwards with nftables: DNAT from the listen
 * port to the target, masquerade to the instance's own address, and nothing
 * else. The rules are an S3 object Terraform writes; every instance reloads
 * them in place, in one transaction, within 30 s of a change, so a forward
 * change never touches the launch template or an instance. A new instance
 * is put in service (launch lifecycle hook) only once its rules are loaded;
 * one that cannot load them powers off and is replaced. Health is EC2
 * health: a broker outage must not recycle the fleet.
 */
export class NatFleet extends Construct {
  public readonly fleetName: string;
  /** The fewest instances in service (a Terraform expression in the module: 0 without public targets). */
  public readonly minSize: number;
  public readonly securityGroupId: string;
  public readonly autoScalingGroupName: string;
  /** S3 key of the fleet's rules. */
  public readonly rulesKey: string;

  constructor(scope: Construct, id: string, props: NatFleetProps) {
    super(scope, id);
    let minSize = props.minSize ?? 2;
    let maxSize = props.maxSize ?? minSize;
    const minProblem = Token.isUnresolved(minSize) ? undefined : check(RULES.fleetMinSize, 'natFleet.minSize', minSize);
    if (minProblem) throw minProblem;
    if (
      !Token.isUnresolved(maxSize) &&
      !Token.isUnresolved(minSize) &&
      !(Number.isInteger(maxSize) && maxSize >= minSize && maxSize <= 100)
    ) {
      throw new ValidationError(
        'natFleet.maxSize',
        maxSize,
        `is below minSize ${minSize} or above 100`,
        `use a whole number from ${minSize} to 100`,
      );
    }
    const architecture = props.architecture ?? 'arm64';
    const instanceType = props.instanceType ?? 't4g.small';
    if (!Token.isUnresolved(instanceType)) {
      const typeProblem = check(RULES.instanceType, 'natFleet.instanceType', instanceType);
      if (typeProblem) throw typeProblem;
      if (!Token.isUnresolved(architecture) && instanceArchitecture(instanceType) !== architecture) {
        throw new ValidationError(
          'natFleet.instanceType',
          instanceType,
          `is an ${instanceArchitecture(instanceType)} instance type, but natFleet.architecture is ${architecture}`,
          `use an ${architecture} instance type, or set natFleet.architecture to ${instanceArchitecture(instanceType)}`,
        );
      }
    }
    if (props.forwards.plain === undefined) {
      // Forwards known only to Terraform (the module): with no public target
      // the fleet scales to zero instead of running idle instances.
      const hasNat = `length([for k, f in ${props.forwards.ref} : k if f.path == "nat"]) > 0`;
      const min = new TerraformLocal(this, 'min-size', minSize).fqn;
      const max = new TerraformLocal(this, 'max-size', maxSize).fqn;
      minSize = Token.asNumber(`\${${hasNat} ? ${min} : 0}`);
      maxSize = Token.asNumber(`\${${hasNat} ? ${max} : 0}`);
    }
    const partition = props.partition ?? 'aws';
    const tags = { Name: props.fleetName };
    const lifetime = props.maxInstanceLifetimeDays;
    if (lifetime !== undefined && !Token.isUnresolved(lifetime)) {
      const problem = check(RULES.maxInstanceLifetimeDays, 'natFleet.maxInstanceLifetimeDays', lifetime);
      if (problem) throw problem;
    }
    if (props.amiId !== undefined && !Token.isUnresolved(props.amiId)) {
      const problem = check(RULES.amiId, 'natFleet.amiId', props.amiId);
      if (problem) throw problem;
    }
    // Provider default tags reach neither the instances an Auto Scaling group
    // launches nor their volumes: the launch template tags them itself.
    const instanceTags = Fn.merge([new DataAwsDefaultTags(this, 'default-tags').tags, tags]);

    // Id "Default": the group and its rules keep the addresses they had when they lived here.
    const sg = new NatSecurityGroup(this, 'Default', {
      fleetName: props.fleetName,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      forwards: props.forwards,
      ingressFrom: props.ingressFrom,
      s3PrefixListIds: props.s3PrefixListIds,
    });

    // The rules: rendered by Terraform, fetched by every instance.
    this.rulesKey = `nat/${props.fleetName}.nft`;
    const rulesTemplate = new TerraformAsset(this, 'rules-template', { path: NAT_RULES_TEMPLATE, type: AssetType.FILE });
    const rulesVars = new TerraformLocal(this, 'rules-vars', { fleet: props.fleetName }).fqn;
    const rules = new S3Object(this, 'rules', {
      bucket: props.rulesBucket.name,
      key: this.rulesKey,
      content: Fn.templatefile(Fn.join('/', [Token.asString(ref('path.module')), rulesTemplate.path]), {
        forwards: props.forwards.nat,
        // Through a local: a Terraform expression cannot sit inside a function call's arguments.
        mss: new TerraformLocal(this, 'mss', props.mss ?? clampedMss(1500)).asNumber,
        fleet: ref(`${rulesVars}.fleet`),
      }),
      contentType: 'text/plain',
    });

    const role = new IamRole(this, 'role', {
      namePrefix: `${props.fleetName}-`,
      description: 'dx-privatelink NAT instances: SSM management, their rules object, their launch hook',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    new IamRolePolicyAttachment(this, 'ssm-core', {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const policy = new IamRolePolicy(this, 'rules-access', {
      role: role.id,
      name: 'dx-privatelink-nat',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadOwnRules', Effect: 'Allow', Action: 's3:GetObject', Resource: `${props.rulesBucket.arn}/${this.rulesKey}` },
          {
            Sid: 'CompleteOwnLaunch',
            Effect: 'Allow',
            Action: 'autoscaling:CompleteLifecycleAction',
            Resource: `arn:${partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/${props.fleetName}`,
          },
        ],
      }),
    });
    const profile = new IamInstanceProfile(this, 'instance-profile', {
      namePrefix: `${props.fleetName}-`,
      role: role.name,
      tags,
    });

    const boot = new TerraformAsset(this, 'boot-template', { path: NAT_BOOT_TEMPLATE, type: AssetType.FILE });
    // Referenced from inside templatefile(): values, not string templates.
    const bootVars = new TerraformLocal(this, 'boot', {
      bucket: props.rulesBucket.name,
      key: this.rulesKey,
      region: props.rulesBucket.region,
      fleet: props.fleetName,
    }).fqn;
    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${props.fleetName}-`,
      description: 'dx-privatelink NAT instance (Amazon Linux 2023, nftables, rules from S3)',
      imageId: imageOf(props.amiId, architecture),
      instanceType,
      instanceInitiatedShutdownBehavior: 'terminate',
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [sg.securityGroupId],
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeType: 'gp3', volumeSize: 8, deleteOnTermination: 'true' } },
      ],
      monitoring: { enabled: true },
      // Only what never changes with the forwards: where the rules are.
      userData: Fn.base64encode(
        Fn.templatefile(Fn.join('/', [Token.asString(ref('path.module')), boot.path]), {
          bucket: ref(`${bootVars}.bucket`),
          key: ref(`${bootVars}.key`),
          region: ref(`${bootVars}.region`),
          asg_name: ref(`${bootVars}.fleet`),
          hook_name: NAT_READY_HOOK,
          fleet: ref(`${bootVars}.fleet`),
        }),
      ),
      tagSpecifications: [
        { resourceType: 'instance', tags: instanceTags },
        { resourceType: 'volume', tags: instanceTags },
        { resourceType: 'network-interface', tags: instanceTags },
      ],
      tags,
    });

    // The group carries the tags too; the launch template tags what it launches.
    const groupTags = TerraformIterator.fromMap(instanceTags as never);
    const asg = new AutoscalingGroup(this, 'asg', {
      name: props.fleetName,
      vpcZoneIdentifier: props.subnetIds,
      minSize,
      maxSize,
      desiredCapacity: minSize,
      // EC2 health only: the NLB health check passes through to the broker,
      // and a broker outage must not replace every NAT instance.
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 120,
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      // In service only once the instance has loaded its rules (or never).
      initialLifecycleHook: [
        {
          name: NAT_READY_HOOK,
          lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
          heartbeatTimeout: READY_TIMEOUT_SECONDS,
          defaultResult: 'ABANDON',
        },
      ],
      // AMI or instance type changes: launch the new instances first, keep
      // every old one until they are in service and past the NLB's health
      // checks (3 × 10 s), so capacity never drops.
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: '60' },
      },
      // The same for every other replacement: unhealthy instances, and the
      // maximum instance lifetime.
      instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      maxInstanceLifetime: lifetime === undefined ? undefined : Op.mul(lifetime, 86400),
      // Group metrics (one-minute, no charge): the fleet alarms and dashboard read them.
      enabledMetrics: [...FLEET_GROUP_METRICS],
      metricsGranularity: '1Minute',
      tag: groupTags.dynamic({ key: groupTags.key, value: groupTags.value, propagate_at_launch: false }),
      // The rules must be there for the first boot.
      dependsOn: [rules, policy],
      // Target groups come and go with forwards, as attachments of their own.
      lifecycle: { ignoreChanges: ['target_group_arns', 'load_balancers'] },
    });
    // One attachment per target group: a forward added or removed attaches or
    // detaches its own target group and leaves the Auto Scaling group alone.
    for (const source of props.targetGroups) {
      const it = TerraformIterator.fromMap(source.groups as never);
      new AutoscalingAttachment(this, source.key ? `tg-${source.key}` : 'tg', {
        forEach: it,
        autoscalingGroupName: asg.name,
        lbTargetGroupArn: it.getString('arn'),
      });
    }

    this.fleetName = props.fleetName;
    this.minSize = minSize;
    this.securityGroupId = sg.securityGroupId;
    this.autoScalingGroupName = asg.name;
  }
}

/**
 * The launch template's image: a pinned AMI, or the latest Amazon Linux 2023
 * resolved by EC2 at launch (no data source, so plans need no AWS calls).
 */
function imageOf(amiId: string | undefined, architecture: string): string {
  const tracked = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-';
  if (amiId === undefined) return `${tracked}${architecture}`;
  return Token.isUnresolved(amiId) ? Fn.coalesce([amiId, Fn.format(`${tracked}%s`, [architecture])]) : amiId;
}
