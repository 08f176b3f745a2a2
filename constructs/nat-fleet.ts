import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { AssetType, Fn, IResolvable, TerraformAsset, TerraformIterator, TerraformLocal, Token, ref } from 'cdktf';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ForwardSet } from './forward-set';
import { RULES, ValidationError, check, instanceArchitecture } from './private/rules';

/** The boot script (launch template user data): no forwards in it. */
export const NAT_BOOT_TEMPLATE = path.join(__dirname, 'templates', 'nat-boot.sh.tftpl');
/** The NAT ruleset of a fleet, written to S3 and reloaded in place by the instances. */
export const NAT_RULES_TEMPLATE = path.join(__dirname, 'templates', 'nat-rules.nft.tftpl');

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

/** Traffic from one NLB: its security group and the forwards it serves. */
export interface NatIngressSource {
  /** Stable key (part of resource addresses); '' for the only source. */
  readonly key: string;
  readonly securityGroupId: string;
  /** The forwards of that NLB; those of this fleet's NAT path get a rule. */
  readonly forwards: ForwardSet;
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
  /**
   * Target groups of this fleet's forwards, by NLB: each a map of forward
   * name to target group ARN (at most 50 in all, the Auto Scaling group limit).
   */
  readonly targetGroups: readonly { readonly key: string; readonly arns: IResolvable }[];
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
    const fleetForwards = props.forwards.ref;

    const sg = new SecurityGroup(this, 'sg', {
      name: props.fleetName,
      description: 'dx-privatelink NAT instances: forward ports from the NLBs, out to the targets only',
      vpcId: props.vpcId,
      tags,
    });
    // In: each NLB's forwards of this fleet, from that NLB's security group
    // only (one rule per target group: at most 50 per fleet).
    for (const source of props.ingressFrom) {
      const it = TerraformIterator.fromMap(
        Token.asAnyMap(`\${{ for k, f in ${source.forwards.ref} : k => f if f.path == "nat" && contains(keys(${fleetForwards}), k) }}`),
      );
      new VpcSecurityGroupIngressRule(this, source.key ? `sg-ingress-${source.key}` : 'sg-ingress', {
        forEach: it,
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: it.getNumber('listen_port'),
        toPort: it.getNumber('listen_port'),
        referencedSecurityGroupId: source.securityGroupId,
        description: 'forward ${each.key} from its NLB',
      });
    }
    // Path-MTU discovery towards the brokers: "fragmentation needed" from any
    // router on the way (ICMP type 3 code 4 only).
    new VpcSecurityGroupIngressRule(this, 'sg-ingress-frag-needed', {
      securityGroupId: sg.id,
      ipProtocol: 'icmp',
      fromPort: 3,
      toPort: 4,
      cidrIpv4: '0.0.0.0/0',
      description: 'ICMP fragmentation needed (path-MTU discovery)',
    });
    props.forwards.portRules(this, 'sg-egress-target', {
      forwards: 'nat',
      direction: 'egress',
      securityGroupId: sg.id,
      port: 'target_port',
      cidr: '${each.value.target_ip}/32',
      description: 'forward ${each.key} to its target',
    });
    new VpcSecurityGroupEgressRule(this, 'sg-egress-endpoints', {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
      description: 'SSM interface endpoints in the VPC',
    });
    if (props.s3PrefixListIds) {
      // A list, so that "none" (a module variable left null) and "one, not yet
      // created" (the VPC's own endpoint) both give a count known at plan time.
      const lists = new TerraformLocal(this, 's3-prefix-lists', props.s3PrefixListIds).fqn;
      new VpcSecurityGroupEgressRule(this, 'sg-egress-s3', {
        count: Token.asNumber(`\${length(${lists})}`),
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        prefixListId: `\${${lists}[count.index]}`,
        description: 'NAT rules and Amazon Linux 2023 repositories through the S3 gateway endpoint',
      });
    }

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
      // Resolved by EC2 at launch: no data source, so plans need no AWS calls.
      imageId: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`,
      instanceType,
      instanceInitiatedShutdownBehavior: 'terminate',
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [sg.id],
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
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      tags,
    });

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
      tag: [{ key: 'Name', value: props.fleetName, propagateAtLaunch: true }],
      // The rules must be there for the first boot.
      dependsOn: [rules, policy],
      // Target groups come and go with forwards, as attachments of their own.
      lifecycle: { ignoreChanges: ['target_group_arns', 'load_balancers'] },
    });
    // One attachment per target group: a forward added or removed attaches or
    // detaches its own target group and leaves the Auto Scaling group alone.
    for (const source of props.targetGroups) {
      const it = TerraformIterator.fromMap(source.arns as never);
      new AutoscalingAttachment(this, source.key ? `tg-${source.key}` : 'tg', {
        forEach: it,
        autoscalingGroupName: asg.name,
        lbTargetGroupArn: it.value,
      });
    }

    this.fleetName = props.fleetName;
    this.securityGroupId = sg.id;
    this.autoScalingGroupName = asg.name;
  }
}
