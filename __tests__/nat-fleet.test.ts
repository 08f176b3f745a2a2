import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Testing } from 'cdktf';
import type { NatFleetProps } from '../constructs/nat-fleet';
import { natFleetFixture, synthObject } from './support/stack';

function build(extra: Partial<NatFleetProps> = {}) {
  const stack = natFleetFixture(extra);
  return { synth: Testing.synth(stack), json: synthObject(stack) };
}

describe('NatFleet', () => {
  test('launch template: AL2023 arm64 through resolve:ssm, IMDSv2, encrypted root, no key pair', () => {
    const { json, synth } = build();
    expect(synth).toHaveResource(LaunchTemplate);
    const lt = json.resource.aws_launch_template.nat_launch_template;
    expect(lt).toMatchObject({
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      instance_type: 't4g.small',
      instance_initiated_shutdown_behavior: 'terminate',
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true', volume_type: 'gp3' } }],
    });
    expect(lt.key_name).toBeUndefined();
    expect(lt.iam_instance_profile.arn).toBe('${aws_iam_instance_profile.nat_instance_profile.arn}');
  });

  test('user data is the boot template with where the rules are, and no forward', () => {
    const { json } = build();
    expect(json.resource.aws_launch_template.nat_launch_template.user_data).toBe('${local.nat_user_data}');
    const userData = json.locals.nat_user_data;
    expect(userData).toMatch(
      /^\$\{base64encode\(templatefile\(join\("\/", \[path\.module, "assets\/nat_boot_template\/[0-9A-F]+\/nat-boot\.sh\.tftpl"\]\), /,
    );
    expect(userData).toContain(
      '"bucket" = local.nat_boot.bucket, "key" = local.nat_boot.key, "region" = local.nat_boot.region, "asg_name" = local.nat_boot.fleet',
    );
    expect(json.locals.nat_boot).toEqual({ bucket: 'fix-rules', key: 'nat/fix-nat.nft', region: 'eu-west-2', fleet: 'fix-nat' });
    expect(userData).not.toContain('forwards');
  });

  test('the rules are an S3 object rendered by Terraform from the NAT forwards, readable by the instances only', () => {
    const { json } = build({ mss: 8460 });
    expect(json.resource.aws_s3_object.nat_rules).toMatchObject({
      bucket: 'fix-rules',
      key: 'nat/fix-nat.nft',
      content_type: 'text/plain',
    });
    expect(json.resource.aws_s3_object.nat_rules.content).toMatch(
      /templatefile\(.*nat-rules\.nft\.tftpl"\]\), \{"forwards" = \{ for key, val in local\.forwards_forwards: key => val if val\.path == "nat" \}, "mss" = local\.nat_mss, "fleet" = local\.nat_rules_vars\.fleet\}\)/,
    );
    expect(json.locals.nat_mss).toBe(8460);
    const policy = JSON.parse(json.resource.aws_iam_role_policy.nat_rules_access.policy);
    expect(policy.Statement).toEqual([
      { Sid: 'ReadOwnRules', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::fix-rules/nat/fix-nat.nft' },
      {
        Sid: 'CompleteOwnLaunch',
        Effect: 'Allow',
        Action: 'autoscaling:CompleteLifecycleAction',
        Resource: 'arn:aws:autoscaling:eu-west-2:111111111111:autoScalingGroup:*:autoScalingGroupName/fix-nat',
      },
      {
        Sid: 'SessionManagerRegister',
        Effect: 'Allow',
        Action: ['ssm:UpdateInstanceInformation'],
        Resource: 'arn:aws:ec2:eu-west-2:111111111111:instance/*',
      },
      {
        Sid: 'SessionManagerChannels',
        Effect: 'Allow',
        Action: [
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ],
        Resource: '*',
      },
      {
        Sid: 'SsmAgentMessages',
        Effect: 'Allow',
        Action: [
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ],
        Resource: '*',
      },
    ]);
  });

  test('x86_64 selects the x86_64 image', () => {
    const { json } = build({ architecture: 'x86_64', instanceType: 't3.small' });
    expect(json.resource.aws_launch_template.nat_launch_template.image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    );
  });

  test('Auto Scaling group: two zones, minimum 2, EC2 health checks, ready hook, launch-before-terminate refresh, NAT target groups', () => {
    const { synth, json } = build();
    expect(json.resource.aws_autoscaling_group.nat_asg).toMatchObject({
      name: 'fix-nat',
      initial_lifecycle_hook: [
        {
          name: 'dx-privatelink-nat-ready',
          lifecycle_transition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
          default_result: 'ABANDON',
          heartbeat_timeout: 600,
        },
      ],
      instance_refresh: {
        strategy: 'Rolling',
        triggers: ['tag'],
        preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200 },
      },
      default_instance_warmup: 270,
      // one launch abandoned at the hook's 600 s, and a second that boots
      wait_for_capacity_timeout: '25m',
      depends_on: [
        'aws_s3_object.nat_rules',
        'aws_iam_role_policy.nat_rules_access',
        'aws_vpc_security_group_ingress_rule.nat_sg_ingress_a_0',
        'aws_vpc_security_group_egress_rule.nat_nlb_egress_a_0',
        'aws_vpc_security_group_egress_rule.nat_sg_egress_target',
        'aws_vpc_security_group_egress_rule.nat_sg_egress_endpoints',
        'aws_vpc_security_group_ingress_rule.nat_sg_endpoint_ingress',
        'aws_vpc_security_group_egress_rule.nat_sg_egress_s3',
      ],
      // the initial hook is ForceNew: after creation the hook resource keeps it (in place)
      lifecycle: { ignore_changes: ['target_group_arns', 'load_balancers', 'initial_lifecycle_hook'] },
    });
    expect(json.resource.aws_autoscaling_lifecycle_hook.nat_ready_hook).toEqual({
      ...json.resource.aws_autoscaling_group.nat_asg.initial_lifecycle_hook[0],
      autoscaling_group_name: '${aws_autoscaling_group.nat_asg.name}',
    });
    // each NAT target group attached on its own, keyed by forward
    expect(json.resource.aws_autoscaling_attachment.nat_tg_a_0).toEqual({
      for_each:
        '${{ for name in [for name, f in local.forwards_forwards : name if f.path == "nat"] : name => { arn = aws_lb_target_group.nlb_target_group[name].arn, arn_suffix = aws_lb_target_group.nlb_target_group[name].arn_suffix } }}',
      autoscaling_group_name: '${aws_autoscaling_group.nat_asg.name}',
      lb_target_group_arn: '${each.value.arn}',
    });
    // patching: replacements launch before they terminate; group metrics every minute for the alarms
    expect(json.resource.aws_autoscaling_group.nat_asg).toMatchObject({
      instance_maintenance_policy: { min_healthy_percentage: 100, max_healthy_percentage: 200 },
      metrics_granularity: '1Minute',
      enabled_metrics: expect.arrayContaining(['GroupInServiceInstances']),
    });
    expect(synth).toHaveResourceWithProperties(AutoscalingGroup, {
      min_size: 2,
      max_size: 2,
      health_check_type: 'EC2',
      vpc_zone_identifier: ['subnet-a', 'subnet-b'],
      launch_template: {
        id: '${aws_launch_template.nat_launch_template.id}',
        version: '$Latest',
      },
    });
  });

  test('security group: NAT forward ports from the NLB security group only; egress to the targets, SSM endpoints and S3 only', () => {
    const { json } = build();
    const ingress = json.resource.aws_vpc_security_group_ingress_rule;
    const egress = json.resource.aws_vpc_security_group_egress_rule;
    expect(ingress.nat_sg_ingress_a_0).toMatchObject({
      for_each: '${{ for k, f in local.forwards_forwards : k => f if f.path == "nat" && contains(keys(local.forwards_forwards), k) }}',
      referenced_security_group_id: '${aws_security_group.nlb_sg.id}',
      from_port: '${each.value.listen_port}',
      to_port: '${each.value.listen_port}',
    });
    expect(ingress.nat_sg_ingress_a_0.cidr_ipv4).toBeUndefined();
    // path-MTU discovery: ICMP fragmentation needed, and nothing else, from anywhere
    expect(ingress.nat_sg_ingress_frag_needed).toMatchObject({ ip_protocol: 'icmp', from_port: 3, to_port: 4, cidr_ipv4: '0.0.0.0/0' });
    expect(egress.nat_sg_egress_target).toMatchObject({ cidr_ipv4: '${each.value.target_ip}/32', from_port: '${each.value.target_port}' });
    // the interface endpoints: out to their group, and admitted by it, on 443
    expect(json.locals.nat_endpoint_sgs).toEqual({ created: 'sg-endpoints' });
    expect(egress.nat_sg_egress_endpoints).toMatchObject({
      for_each: '${local.nat_endpoint_sgs}',
      referenced_security_group_id: '${each.value}',
      from_port: 443,
      to_port: 443,
    });
    expect(egress.nat_sg_egress_endpoints.cidr_ipv4).toBeUndefined();
    expect(ingress.nat_sg_endpoint_ingress).toMatchObject({
      for_each: '${local.nat_endpoint_sgs}',
      security_group_id: '${each.value}',
      referenced_security_group_id: '${aws_security_group.nat_sg.id}',
      from_port: 443,
      to_port: 443,
    });
    expect(egress.nat_sg_egress_s3).toMatchObject({
      count: '${length(local.nat_s3_prefix_lists)}',
      prefix_list_id: '${local.nat_s3_prefix_lists[count.index]}',
      from_port: 443,
    });
    expect(json.locals.nat_s3_prefix_lists).toEqual(['pl-7ca54015']);
    const cidrs = Object.values<Record<string, unknown>>({ ...egress }).map((r) => r.cidr_ipv4);
    expect(cidrs).not.toContain('0.0.0.0/0');
  });

  test('instance role carries no managed policy (AmazonSSMManagedInstanceCore would read every SSM parameter)', () => {
    const { json } = build();
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  test("without an account id or partition, the policy names those of the role's own ARN", () => {
    const { json } = build({ accountId: undefined, partition: undefined });
    const policy: string = json.resource.aws_iam_role_policy.nat_rules_access.policy;
    const fromRole = (i: number) => `\${element(split(":", aws_iam_role.nat_role.arn), ${i})}`;
    expect(policy).toContain(`arn:${fromRole(1)}:autoscaling:eu-west-2:${fromRole(4)}:autoScalingGroup`);
    expect(policy).toContain(`arn:${fromRole(1)}:ec2:eu-west-2:${fromRole(4)}:instance/*`);
  });

  test('fails when min_size is below 2', () => {
    expect(() => build({ minSize: 1 })).toThrow(
      'natFleet.minSize: is too small for high availability (got 1); use at least 2 NAT instances (one per availability zone) and at most 100',
    );
  });

  test('fails when max_size is below min_size', () => {
    expect(() => build({ minSize: 3, maxSize: 2 })).toThrow(
      'natFleet.maxSize: is below minSize 3 or above 100 (got 2); use a whole number from 3 to 100',
    );
  });

  test('fails when the instance type is not one', () => {
    expect(() => build({ instanceType: 't4g.small\n' })).toThrow('natFleet.instanceType: is not an EC2 instance type (got "t4g.small\\n")');
  });

  test('fails when the instance type does not match the architecture', () => {
    expect(() => build({ instanceType: 'c6i.large' })).toThrow(
      'natFleet.instanceType: is an x86_64 instance type, but natFleet.architecture is arm64 (got "c6i.large"); use an arm64 instance type, or set natFleet.architecture to x86_64',
    );
  });
});
