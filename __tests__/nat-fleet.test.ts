import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Testing } from 'cdktf';
import { NatFleet, NatFleetProps } from '../constructs/nat-fleet';
import { nlbFixture, synthObject } from './support/stack';

function build(extra: Partial<NatFleetProps> = {}) {
  const { stack, forwards, nlb } = nlbFixture();
  new NatFleet(stack, 'nat', {
    name: 'fix',
    vpcId: 'vpc-1',
    vpcCidr: '10.42.0.0/24',
    subnetIds: ['subnet-a', 'subnet-b'],
    forwards,
    targetGroupArns: nlb.natTargetGroupArns,
    s3PrefixListIds: ['pl-7ca54015'],
    ...extra,
  });
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

  test('user data is the boot template rendered by Terraform with the NAT forwards only', () => {
    const { json } = build();
    expect(json.resource.aws_launch_template.nat_launch_template.user_data).toMatch(
      /^\$\{base64encode\(templatefile\(join\("\/", \[path\.module, "assets\/nat_boot_template\/[0-9A-F]+\/nat-boot\.sh\.tftpl"\]\), \{"forwards" = \{ for key, val in local\.forwards_forwards: key => val if val\.path == "nat" \}\}\)\)\}$/,
    );
  });

  test('x86_64 selects the x86_64 image', () => {
    const { json } = build({ architecture: 'x86_64', instanceType: 't3.small' });
    expect(json.resource.aws_launch_template.nat_launch_template.image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    );
  });

  test('Auto Scaling group: two zones, minimum 2, EC2 health checks, instance refresh, NAT target groups', () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(AutoscalingGroup, {
      min_size: 2,
      max_size: 2,
      health_check_type: 'EC2',
      vpc_zone_identifier: ['subnet-a', 'subnet-b'],
      target_group_arns:
        '${[for name, tg in aws_lb_target_group.nlb_target_group : tg.arn if local.forwards_forwards[name].path == "nat"]}',
      launch_template: {
        id: '${aws_launch_template.nat_launch_template.id}',
        version: '${aws_launch_template.nat_launch_template.latest_version}',
      },
    });
  });

  test('security group: NAT forward ports from inside the VPC only; egress to the targets, SSM endpoints and S3 only', () => {
    const { json } = build();
    const ingress = json.resource.aws_vpc_security_group_ingress_rule;
    const egress = json.resource.aws_vpc_security_group_egress_rule;
    expect(ingress.nat_sg_ingress).toMatchObject({
      for_each: '${{ for key, val in local.forwards_forwards: key => val if val.path == "nat" }}',
      cidr_ipv4: '10.42.0.0/24',
      from_port: '${each.value.listen_port}',
      to_port: '${each.value.listen_port}',
    });
    expect(egress.nat_sg_egress_target).toMatchObject({ cidr_ipv4: '${each.value.target_ip}/32', from_port: '${each.value.target_port}' });
    expect(egress.nat_sg_egress_endpoints).toMatchObject({ cidr_ipv4: '10.42.0.0/24', from_port: 443, to_port: 443 });
    expect(egress.nat_sg_egress_s3).toMatchObject({
      count: '${length(local.nat_s3_prefix_lists)}',
      prefix_list_id: '${local.nat_s3_prefix_lists[count.index]}',
      from_port: 443,
    });
    expect(json.locals.nat_s3_prefix_lists).toEqual(['pl-7ca54015']);
    const cidrs = Object.values<Record<string, unknown>>({ ...ingress, ...egress }).map((r) => r.cidr_ipv4);
    expect(cidrs).not.toContain('0.0.0.0/0');
  });

  test('instance role carries only the SSM managed policy', () => {
    const { json } = build();
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment)).toEqual(['nat_ssm_core']);
    expect(json.resource.aws_iam_role_policy_attachment.nat_ssm_core.policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
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
