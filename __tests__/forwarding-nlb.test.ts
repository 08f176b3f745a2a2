import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { TerraformVariable, Testing } from 'cdktf';
import { ForwardSet } from '../constructs/forward-set';
import { ForwardingNlb, ForwardingNlbProps } from '../constructs/forwarding-nlb';
import { EXAMPLE_FORWARDS, nlbFixture, synthObject, testStack } from './support/stack';

function build() {
  const { stack, nlb } = nlbFixture();
  return { stack, nlb, synth: Testing.synth(stack), json: synthObject(stack) };
}

describe('ForwardingNlb', () => {
  test('is an internal, cross-zone network load balancer with a security group', () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(Lb, {
      internal: true,
      load_balancer_type: 'network',
      enable_cross_zone_load_balancing: true,
      subnets: ['subnet-a', 'subnet-b'],
      enforce_security_group_inbound_rules_on_private_link_traffic: 'off',
    });
  });

  test('has one TCP listener per forward, keyed by name, with the forward idle timeout', () => {
    const { json, synth } = build();
    const listener = json.resource.aws_lb_listener.nlb_listener;
    expect(listener.for_each).toBe('${local.forwards_forwards}');
    expect(synth).toHaveResourceWithProperties(LbListener, {
      protocol: 'TCP',
      port: '${each.value.listen_port}',
      tcp_idle_timeout_seconds: '${each.value.tcp_idle_timeout_seconds}',
      default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.nlb_target_group[each.key].arn}' }],
    });
  });

  test('target groups check health on the traffic port, keep sessions through a health flap, reset those of a leaving NAT instance', () => {
    const { json, synth } = build();
    expect(synth).toHaveResource(LbTargetGroup);
    expect(json.resource.aws_lb_target_group.nlb_target_group).toMatchObject({
      protocol: 'TCP',
      port: '${each.value.path == "nat" ? each.value.listen_port : each.value.target_port}',
      target_type: '${each.value.path == "nat" ? "instance" : "ip"}',
      connection_termination: '${each.value.path == "nat"}',
      preserve_client_ip: 'false',
      health_check: { protocol: 'TCP', port: 'traffic-port' },
      target_health_state: [{ enable_unhealthy_connection_termination: false }],
    });
  });

  test('direct targets are IP targets in zone "all"', () => {
    const { json, synth } = build();
    expect(synth).toHaveResourceWithProperties(LbTargetGroupAttachment, { target_id: '${each.value.target_ip}', availability_zone: 'all' });
    expect(json.resource.aws_lb_target_group_attachment.nlb_direct_target.for_each).toBe(
      '${{ for key, val in local.forwards_forwards: key => val if val.path == "direct" }}',
    );
  });

  test('the security group admits nothing (PrivateLink traffic is not filtered by it) and sends only to the fleet and direct targets', () => {
    const { json } = build();
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(json.resource.aws_lb.nlb).toMatchObject({ enforce_security_group_inbound_rules_on_private_link_traffic: 'off' });
    expect(json.resource.aws_vpc_security_group_egress_rule.nlb_sg_egress_direct).toMatchObject({
      cidr_ipv4: '${each.value.target_ip}/32',
      from_port: '${each.value.target_port}',
    });
  });

  test("extra security groups (a locked-down account's own) come after the NLB's own group", () => {
    const { json } = withProps({ securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'] });
    expect(json.resource.aws_lb.nlb.security_groups).toEqual([
      '${aws_security_group.nlb_sg.id}',
      'sg-0aaaaaaaaaaaaaaaa',
      'sg-0bbbbbbbbbbbbbbbb',
    ]);
  });

  test('a list expression of extra groups passes unchecked', () => {
    const stack = testStack();
    const groups = new TerraformVariable(stack, 'groups', { type: 'list(string)' });
    const { json } = withProps({ securityGroupIds: groups.listValue }, stack);
    expect(json.resource.aws_lb.nlb.security_groups).toBe('${concat([aws_security_group.nlb_sg.id], var.groups)}');
  });

  test('fails when an extra group is not a security group id, or is listed twice', () => {
    expect(() => withProps({ securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'nlb'] })).toThrow(
      'securityGroupIds[1]: is not a security group id (got "nlb"); use a security group id such as sg-0123456789abcdef0',
    );
    expect(() => withProps({ securityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0aaaaaaaaaaaaaaaa'] })).toThrow(
      'securityGroupIds[1]: duplicates security group of entry 0 (got "sg-0aaaaaaaaaaaaaaaa"); give every entry its own security group',
    );
  });
});

/** A ForwardingNlb of the example forwards with `props`. */
function withProps(props: Partial<ForwardingNlbProps>, stack = testStack()) {
  const forwards = new ForwardSet(stack, 'forwards', { forwards: EXAMPLE_FORWARDS });
  new ForwardingNlb(stack, 'nlb', { name: 'fix', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], forwards, ...props });
  return { json: synthObject(stack) };
}
