import { Construct } from 'constructs';
import { AssetType, Fn, IResolvable, ITerraformDependable, Op, TerraformAsset, TerraformIterator, TerraformLocal, Token, ref } from 'cdktf';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { DataAwsDefaultTags } from '@cdktf/provider-aws/lib/data-aws-default-tags';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { ForwardSet } from './forward-set';
import {
  NAT_BOOT_TEMPLATE,
  NAT_INSTANCE_WARMUP_SECONDS,
  NAT_LAUNCH_DIGEST_TAG,
  NAT_READY_HOOK,
  NAT_RULES_TEMPLATE,
  READY_TIMEOUT_SECONDS,
  clampedMss,
  checkLaunchOptions,
  imageOf,
  launchSettings,
  launchSettingsDigest,
  natInstanceRole,
} from './nat-launch';
import { FLEET_GROUP_METRICS } from './private/alarms';
import { NatIngressSource, NatSecurityGroup, NatSecurityGroupProps } from './nat-security-group';
import { refuseTemplates, withExtraGroups } from './props-check';
import { IamOptions } from './private/locked-down';
import { NAT_MAX_HEALTHY_PERCENT } from './private/fleets';
import { RULES, ValidationError, check, instanceArchitecture } from './private/rules';

export {
  NAT_BOOT_TEMPLATE,
  NAT_INSTANCE_WARMUP_SECONDS,
  NAT_LAUNCH_DIGEST_TAG,
  NAT_READY_HOOK,
  NAT_RULES_TEMPLATE,
  clampedMss,
  renderedBootScriptBytes,
} from './nat-launch';

/** How long an apply waits for a new group's instances: two launches' hook timeouts and the boot. */
export const WAIT_FOR_CAPACITY = `${(2 * READY_TIMEOUT_SECONDS + 300) / 60}m`;

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
  /** Region of the fleet: its Auto Scaling group and instances (the instance role's policy names it). */
  readonly region: string;
  /**
   * Account of the fleet (the instance role's policy names it).
   * @default - the account of the instance role's ARN
   */
  readonly accountId?: string;
  /** One subnet per availability zone, at least two. */
  readonly subnetIds: string[];
  /**
   * Security groups of the interface endpoints the instances call: Auto
   * Scaling (the launch hook; no instance comes into service without it)
   * and Session Manager's, keyed by names known at plan (FleetEndpoints).
   */
  readonly endpointSecurityGroups: Readonly<Record<string, string>>;
  /** See NatSecurityGroupProps.endpointRulesMovedFrom. @default - nothing moved */
  readonly endpointRulesMovedFrom?: NatSecurityGroupProps['endpointRulesMovedFrom'];
  /**
   * What must exist before the first instance boots, besides what the fleet
   * makes itself: the route table associations of its subnets, the S3
   * gateway endpoint, the interface endpoints.
   * @default - nothing else
   */
  readonly bootDependencies?: readonly ITerraformDependable[];
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
   * Tags of the instances, their volumes and network interfaces, over the
   * provider's default tags (which do not reach what a group launches).
   * Not part of the launch digest: a change does not replace instances.
   * @default - the provider's default tags and Name
   */
  readonly instanceTags?: Record<string, string>;
  /**
   * AWS partition of the ARNs in the instance role's policy.
   * @default - the partition of the instance role's own ARN
   */
  readonly partition?: string;
  /** The account's own security groups, beside the fleet's; a change rolls the fleet. @default - none */
  readonly securityGroupIds?: string[];
  /** The account's "security groups per network interface" quota. @default 5 */
  readonly securityGroupsPerInterfaceQuota?: number;
  /**
   * A customer managed key for the root volumes (README: its key policy),
   * which the instances may decrypt the rules with. A change rolls the fleet.
   * @default - the account's default EBS encryption key
   */
  readonly kmsKeyArn?: string;
  /** Permissions boundary and path of the instance role and profile. @default - none, path / */
  readonly iam?: IamOptions;
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
  /** ARN of the instances' IAM role. */
  public readonly roleArn: string;
  /** S3 key of the fleet's rules. */
  public readonly rulesKey: string;

  constructor(scope: Construct, id: string, props: NatFleetProps) {
    super(scope, id);
    refuseTemplates(props);
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
    checkLaunchOptions(props);
    // Provider default tags reach neither the instances an Auto Scaling group
    // launches nor their volumes: the launch template tags them itself.
    const instanceTags = Fn.merge([
      new DataAwsDefaultTags(this, 'default-tags').tags,
      ...(props.instanceTags ? [props.instanceTags] : []),
      tags,
    ]);

    // Id "Default": the group and its rules keep the addresses they had when they lived here.
    const sg = new NatSecurityGroup(this, 'Default', {
      fleetName: props.fleetName,
      vpcId: props.vpcId,
      endpointSecurityGroups: props.endpointSecurityGroups,
      endpointRulesMovedFrom: props.endpointRulesMovedFrom,
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

    const { profile, policy, roleArn } = natInstanceRole(this, {
      fleetName: props.fleetName,
      rulesObjectArn: `${props.rulesBucket.arn}/${this.rulesKey}`,
      partition: props.partition,
      region: props.region,
      accountId: props.accountId,
      tags,
      iam: props.iam,
      kmsKeyArn: props.kmsKeyArn,
      rulesBucketArn: props.rulesBucket.arn,
    });

    const boot = new TerraformAsset(this, 'boot-template', { path: NAT_BOOT_TEMPLATE, type: AssetType.FILE });
    // Referenced from inside templatefile(): values, not string templates.
    const bootVars = new TerraformLocal(this, 'boot', {
      bucket: props.rulesBucket.name,
      key: this.rulesKey,
      region: props.rulesBucket.region,
      fleet: props.fleetName,
    }).fqn;
    // Only what never changes with the forwards: where the rules are.
    const userData = new TerraformLocal(
      this,
      'user-data',
      Fn.base64encode(
        Fn.templatefile(Fn.join('/', [Token.asString(ref('path.module')), boot.path]), {
          bucket: ref(`${bootVars}.bucket`),
          key: ref(`${bootVars}.key`),
          region: ref(`${bootVars}.region`),
          asg_name: ref(`${bootVars}.fleet`),
          hook_name: NAT_READY_HOOK,
          fleet: ref(`${bootVars}.fleet`),
        }),
      ),
    ).asString;
    const imageId = imageOf(props.amiId, architecture);
    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${props.fleetName}-`,
      description: 'dx-privatelink NAT instance (Amazon Linux 2023, nftables, rules from S3)',
      imageId,
      instanceType,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: withExtraGroups(sg.securityGroupId, props.securityGroupIds),
      iamInstanceProfile: { arn: profile.arn },
      ...launchSettings(props.kmsKeyArn),
      userData,
      tagSpecifications: [
        { resourceType: 'instance', tags: instanceTags },
        { resourceType: 'volume', tags: instanceTags },
        { resourceType: 'network-interface', tags: instanceTags },
      ],
      tags,
    });
    // What an instance is made of, all of it known at plan time, so a plan
    // shows whether it starts a refresh. The security group and instance
    // profile are left out: their ids are unknown until created, and they
    // are replaced only when the fleet is renamed (a new group), moves to
    // another VPC or changes IAM path (which is in the settings).
    // (Through a local: a Terraform expression cannot sit inside a function call's arguments.)
    const launchParts = new TerraformLocal(this, 'launch-parts', {
      image_id: imageId,
      instance_type: instanceType,
      user_data: userData,
      settings: launchSettingsDigest(this, {
        kmsKeyId: props.kmsKeyArn,
        securityGroupIds: props.securityGroupIds,
        iamPath: props.iam?.path,
      }),
    }).fqn;
    const launchDigest = new TerraformLocal(this, 'launch-digest', Fn.sha1(Fn.jsonencode(ref(launchParts)))).asString;

    const readyHook = {
      name: NAT_READY_HOOK,
      lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      heartbeatTimeout: READY_TIMEOUT_SECONDS,
      defaultResult: 'ABANDON',
    };
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
      // The newest version: a change of tags alone reaches the instances
      // launched from then on, and replaces none (see NAT_LAUNCH_DIGEST_TAG).
      launchTemplate: { id: launchTemplate.id, version: '$Latest' },
      // In service only once the instance has loaded its rules (or never).
      // At creation only: the first instances launch with the hook in place.
      // It is ForceNew on the group, so it is ignored after that (below) and
      // kept current by the lifecycle hook resource, which AWS updates in
      // place: a later change of the hook never replaces the group.
      initialLifecycleHook: [readyHook],
      // Image, instance type or user data changes (the digest tag): launch
      // the new instances first, keep every old one until the new ones are
      // in service and warmed up (NAT_INSTANCE_WARMUP_SECONDS), so capacity
      // never drops.
      instanceRefresh: {
        strategy: 'Rolling',
        triggers: ['tag'],
        preferences: { minHealthyPercentage: 100, maxHealthyPercentage: NAT_MAX_HEALTHY_PERCENT },
      },
      defaultInstanceWarmup: NAT_INSTANCE_WARMUP_SECONDS,
      // The same for every other replacement: unhealthy instances, and the
      // maximum instance lifetime.
      instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: NAT_MAX_HEALTHY_PERCENT },
      maxInstanceLifetime: lifetime === undefined ? undefined : Op.mul(lifetime, 86400),
      // Terraform waits for min_size instances in service: room for one
      // launch abandoned at the hook's timeout, and a second that comes up.
      waitForCapacityTimeout: WAIT_FOR_CAPACITY,
      // Group metrics (one-minute, no charge): the fleet alarms and dashboard read them.
      enabledMetrics: [...FLEET_GROUP_METRICS],
      metricsGranularity: '1Minute',
      // Its name and the launch digest only: any change of a tag here starts
      // an instance refresh. The config's tags are on what it launches.
      tag: [
        { key: 'Name', value: props.fleetName, propagateAtLaunch: false },
        { key: NAT_LAUNCH_DIGEST_TAG, value: launchDigest, propagateAtLaunch: false },
      ],
      // Everything the first boot uses must be there before the first instance
      // launches: the rules, the permissions, the security group rules, and
      // the routes and endpoints to S3 and Auto Scaling.
      dependsOn: [rules, policy, ...sg.rules, ...(props.bootDependencies ?? [])],
      // Target groups come and go with forwards, as attachments of their own.
      lifecycle: { ignoreChanges: ['target_group_arns', 'load_balancers', 'initial_lifecycle_hook'] },
    });
    // The same hook (PutLifecycleHook creates or updates it by name): what
    // changes it after the group exists, in place. Once the group exists it
    // is the only thing that keeps the hook (the group's copy is ignored):
    // never remove it or change its address without a `moved` block, or
    // every new instance fails to complete the hook and powers off.
    new AutoscalingLifecycleHook(this, 'ready-hook', { ...readyHook, autoscalingGroupName: asg.name });
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
    this.roleArn = roleArn;
    this.autoScalingGroupName = asg.name;
  }
}
