import * as path from 'node:path';
import { Construct } from 'constructs';
import { AssetType, Fn, TerraformAsset, TerraformLocal, Token, ref } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { ForwardSet } from './forward-set';
import { RULES, ValidationError, check, instanceArchitecture } from './private/rules';

/** The boot script template, rendered by Terraform for cdktf stacks and modules alike. */
export const NAT_BOOT_TEMPLATE = path.join(__dirname, 'templates', 'nat-boot.sh.tftpl');

export interface NatFleetProps {
  /** Prefix of resource names. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC CIDR: NLB traffic comes from it, and the SSM interface endpoints are reached in it on 443. */
  readonly vpcCidr: string;
  /** One subnet per availability zone, at least two. */
  readonly subnetIds: string[];
  /** The forwards; the fleet translates those whose path is `nat`. */
  readonly forwards: ForwardSet;
  /** Target groups of the NAT forwards; the Auto Scaling group registers its instances. */
  readonly targetGroupArns: string[];
  /**
   * Prefix list of the S3 gateway endpoint (a list of zero or one), so
   * instances can install packages from the Amazon Linux 2023 repositories.
   * @default - no S3 access
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
 * each public-target forward with nftables: DNAT from the listen port to the
 * target, masquerade to the instance's own address, and nothing else. The
 * ruleset is loaded by a systemd unit at every boot; an instance whose rules
 * fail to load powers off and is replaced. Health is EC2 health: a broker
 * outage must not recycle the fleet.
 */
export class NatFleet extends Construct {
  public readonly securityGroupId: string;
  public readonly autoScalingGroupName: string;

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
    if (props.forwards.plain === undefined) {
      // Forwards known only to Terraform (the module): with no public target
      // the fleet scales to zero instead of running idle instances.
      const hasNat = `length([for k, f in ${props.forwards.ref} : k if f.path == "nat"]) > 0`;
      const min = new TerraformLocal(this, 'min-size', minSize).fqn;
      const max = new TerraformLocal(this, 'max-size', maxSize).fqn;
      minSize = Token.asNumber(`\${${hasNat} ? ${min} : 0}`);
      maxSize = Token.asNumber(`\${${hasNat} ? ${max} : 0}`);
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
    const partition = props.partition ?? 'aws';
    const tags = { Name: `${props.name}-nat` };

    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.name}-nat`,
      description: 'dx-privatelink NAT instances: forward ports from the NLB, out to the targets only',
      vpcId: props.vpcId,
      tags,
    });
    // In: the forward ports from inside the VPC, where every NLB node (of
    // every tenant and shard) has its addresses.
    props.forwards.portRules(this, 'sg-ingress', {
      forwards: 'nat',
      direction: 'ingress',
      securityGroupId: sg.id,
      port: 'listen_port',
      cidr: props.vpcCidr,
      description: 'forward ${each.key} from the NLBs',
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
        description: 'Amazon Linux 2023 repositories through the S3 gateway endpoint',
      });
    }

    const role = new IamRole(this, 'role', {
      namePrefix: `${props.name}-nat-`,
      description: 'dx-privatelink NAT instances: SSM management only',
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
    const profile = new IamInstanceProfile(this, 'instance-profile', {
      namePrefix: `${props.name}-nat-`,
      role: role.name,
      tags,
    });

    const template = new TerraformAsset(this, 'boot-template', { path: NAT_BOOT_TEMPLATE, type: AssetType.FILE });
    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${props.name}-nat-`,
      description: 'dx-privatelink NAT instance (Amazon Linux 2023, nftables)',
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
      userData: Fn.base64encode(
        Fn.templatefile(Fn.join('/', [Token.asString(ref('path.module')), template.path]), { forwards: props.forwards.nat }),
      ),
      tagSpecifications: [
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      tags,
    });

    const asg = new AutoscalingGroup(this, 'asg', {
      namePrefix: `${props.name}-nat-`,
      vpcZoneIdentifier: props.subnetIds,
      minSize,
      maxSize,
      desiredCapacity: minSize,
      // EC2 health only: the NLB health check passes through to the broker,
      // and a broker outage must not replace every NAT instance.
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 120,
      targetGroupArns: props.targetGroupArns,
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 50, instanceWarmup: '120' },
      },
      tag: [{ key: 'Name', value: `${props.name}-nat`, propagateAtLaunch: true }],
    });

    this.securityGroupId = sg.id;
    this.autoScalingGroupName = asg.name;
  }
}
