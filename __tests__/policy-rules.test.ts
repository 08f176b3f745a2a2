import { ALARMS_NOTIFY } from '../constructs/private/policy/alarms-notify';
import { BGP_KEY_SENSITIVE } from '../constructs/private/policy/bgp-key-sensitive';
import { CONSUMER_ENDPOINT_PORTS } from '../constructs/private/policy/consumer-endpoint-ports';
import { EGRESS_LIMITED } from '../constructs/private/policy/egress-limited';
import { ENCRYPTED_VOLUMES } from '../constructs/private/policy/encrypted-volumes';
import { ENDPOINT_SERVICE_ACCESS } from '../constructs/private/policy/endpoint-service-access';
import { IMDSV2_REQUIRED } from '../constructs/private/policy/imdsv2';
import { LB_INTERNAL } from '../constructs/private/policy/lb-internal';
import { NO_SSH_KEY } from '../constructs/private/policy/no-ssh-key';
import { NO_WORLD_INGRESS } from '../constructs/private/policy/no-world-ingress';
import { POLICY_RULES, PolicyContext, PolicyResource, PolicyRule } from '../constructs/private/policy';

const res = (type: string, values: Record<string, unknown>, name = 'r'): PolicyResource => ({ type, name, path: `stack/${name}`, values });
const ctx = (resources: PolicyResource[] = [], variables: PolicyContext['variables'] = {}): PolicyContext => ({ resources, variables });

const ENDPOINT = res(
  'aws_vpc_endpoint',
  { vpc_endpoint_type: 'Interface', security_group_ids: ['${aws_security_group.ep.id}'] },
  'endpoint',
);
const SERVICE = res('aws_vpc_endpoint_service', { acceptance_required: true }, 'svc');
const ALARM = res('aws_cloudwatch_metric_alarm', { alarm_actions: ['${local.monitoring_topic_arn}'] }, 'alarm');
const NOTIFICATION = res(
  'aws_vpc_endpoint_connection_notification',
  { vpc_endpoint_service_id: '${aws_vpc_endpoint_service.svc.id}', connection_notification_arn: '${local.monitoring_topic_arn}' },
  'connections',
);
const LT_OK = {
  metadata_options: { http_tokens: 'required' },
  block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true' } }],
};

// Each rule: one compliant and one non-compliant case (or more), asserting the
// verdict. The non-compliant case fails if the rule's check is removed.
const CASES: [PolicyRule, string, PolicyResource, PolicyContext, 'compliant' | string][] = [
  [ALARMS_NOTIFY, 'an alarm with an action', ALARM, ctx([ALARM]), 'compliant'],
  [
    ALARMS_NOTIFY,
    'an alarm without actions',
    res('aws_cloudwatch_metric_alarm', { alarm_actions: [] }),
    ctx(),
    'the alarm has no alarm_actions: nobody hears it',
  ],
  [ALARMS_NOTIFY, 'a service with alarms and its connection notification', SERVICE, ctx([SERVICE, ALARM, NOTIFICATION]), 'compliant'],
  [
    ALARMS_NOTIFY,
    'a service whose connection requests go nowhere',
    SERVICE,
    ctx([SERVICE, ALARM]),
    'no connection notification sends its endpoint connection requests to a topic',
  ],
  [
    ALARMS_NOTIFY,
    'a service notified about another service only',
    SERVICE,
    ctx([
      SERVICE,
      ALARM,
      { ...NOTIFICATION, values: { ...NOTIFICATION.values, vpc_endpoint_service_id: '${aws_vpc_endpoint_service.other.id}' } },
    ]),
    'no connection notification sends its endpoint connection requests to a topic',
  ],
  [
    ALARMS_NOTIFY,
    'a deployment without alarms',
    SERVICE,
    ctx([SERVICE, NOTIFICATION]),
    'no alarm of the deployment notifies a topic: a dead broker path or NAT fleet would go unnoticed',
  ],
  [LB_INTERNAL, 'internal NLB', res('aws_lb', { internal: true }), ctx(), 'compliant'],
  [LB_INTERNAL, 'internet-facing NLB', res('aws_lb', { internal: false }), ctx(), 'load balancer is internet-facing'],
  [
    ENDPOINT_SERVICE_ACCESS,
    'acceptance required',
    res('aws_vpc_endpoint_service', { acceptance_required: true, allowed_principals: [] }),
    ctx(),
    'compliant',
  ],
  [
    ENDPOINT_SERVICE_ACCESS,
    'auto acceptance for listed accounts',
    res('aws_vpc_endpoint_service', { acceptance_required: false, allowed_principals: ['arn:aws:iam::222222222222:root'] }),
    ctx(),
    'compliant',
  ],
  [
    ENDPOINT_SERVICE_ACCESS,
    'auto acceptance for nobody listed',
    res('aws_vpc_endpoint_service', { acceptance_required: false, allowed_principals: [] }),
    ctx(),
    'accepts every endpoint without acceptance and lists no allowed principal',
  ],
  [
    ENDPOINT_SERVICE_ACCESS,
    'wildcard principal',
    res('aws_vpc_endpoint_service', { acceptance_required: true, allowed_principals: ['*'] }),
    ctx(),
    'allowed principal "*" is a wildcard',
  ],
  [NO_WORLD_INGRESS, 'ingress from the VPC', res('aws_vpc_security_group_ingress_rule', { cidr_ipv4: '10.42.0.0/24' }), ctx(), 'compliant'],
  [
    NO_WORLD_INGRESS,
    'ingress from anywhere',
    res('aws_vpc_security_group_ingress_rule', { cidr_ipv4: '0.0.0.0/0' }),
    ctx(),
    'ingress from 0.0.0.0/0',
  ],
  [
    NO_WORLD_INGRESS,
    'ingress rules of one group that together cover all of IPv4',
    res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.ep.id}', cidr_ipv4: '0.0.0.0/1' }, 'low'),
    ctx([
      res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.ep.id}', cidr_ipv4: '0.0.0.0/1' }, 'low'),
      res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.ep.id}', cidr_ipv4: '128.0.0.0/1' }, 'high'),
    ]),
    'ingress from 0.0.0.0/1, 128.0.0.0/1, which together cover every IPv4 address',
  ],
  [
    NO_WORLD_INGRESS,
    'the same halves in two different groups',
    res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.a.id}', cidr_ipv4: '0.0.0.0/1' }, 'low'),
    ctx([
      res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.a.id}', cidr_ipv4: '0.0.0.0/1' }, 'low'),
      res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.b.id}', cidr_ipv4: '128.0.0.0/1' }, 'high'),
    ]),
    'compliant',
  ],
  [
    NO_WORLD_INGRESS,
    'a legacy rule whose blocks cover all of IPv4',
    res('aws_security_group_rule', { type: 'ingress', cidr_blocks: ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'] }),
    ctx(),
    'ingress from 0.0.0.0/2, 64.0.0.0/2, 128.0.0.0/1, which together cover every IPv4 address',
  ],
  [
    NO_WORLD_INGRESS,
    'inline IPv6 ingress from anywhere',
    res('aws_security_group', { ingress: [{ ipv6_cidr_blocks: ['::/0'] }] }),
    ctx(),
    'ingress from ::/0',
  ],
  [
    NO_WORLD_INGRESS,
    'legacy rule from anywhere',
    res('aws_security_group_rule', { type: 'ingress', cidr_blocks: ['0.0.0.0/0'] }),
    ctx(),
    'ingress from 0.0.0.0/0',
  ],
  [
    EGRESS_LIMITED,
    'egress to a target /32',
    res('aws_vpc_security_group_egress_rule', { cidr_ipv4: '192.0.2.10/32', ip_protocol: 'tcp', from_port: 9876, to_port: 9876 }),
    ctx(),
    'compliant',
  ],
  [
    EGRESS_LIMITED,
    'egress to anywhere',
    res('aws_vpc_security_group_egress_rule', { cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 }),
    ctx(),
    'egress to 0.0.0.0/0',
  ],
  [
    EGRESS_LIMITED,
    'egress on every protocol',
    res('aws_vpc_security_group_egress_rule', { cidr_ipv4: '10.0.0.0/8', ip_protocol: '-1' }),
    ctx(),
    'egress on every protocol and port',
  ],
  [
    EGRESS_LIMITED,
    'inline egress to anywhere',
    res('aws_security_group', { egress: [{ cidr_blocks: ['0.0.0.0/0'], protocol: '-1' }] }),
    ctx(),
    'egress to 0.0.0.0/0',
  ],
  [IMDSV2_REQUIRED, 'IMDSv2 required', res('aws_launch_template', LT_OK), ctx(), 'compliant'],
  [
    IMDSV2_REQUIRED,
    'IMDSv1 allowed',
    res('aws_launch_template', { ...LT_OK, metadata_options: { http_tokens: 'optional' } }),
    ctx(),
    'IMDSv2 is not required (metadata_options.http_tokens is not "required")',
  ],
  [ENCRYPTED_VOLUMES, 'encrypted root volume', res('aws_launch_template', LT_OK), ctx(), 'compliant'],
  [
    ENCRYPTED_VOLUMES,
    'unencrypted root volume',
    res('aws_launch_template', { ...LT_OK, block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'false' } }] }),
    ctx(),
    'block device "/dev/xvda" is not encrypted',
  ],
  [
    ENCRYPTED_VOLUMES,
    'no mapping at all',
    res('aws_launch_template', { metadata_options: { http_tokens: 'required' } }),
    ctx(),
    'no block device mapping: the root volume takes the AMI default (unencrypted)',
  ],
  [NO_SSH_KEY, 'no key pair', res('aws_launch_template', LT_OK), ctx(), 'compliant'],
  [NO_SSH_KEY, 'key pair set', res('aws_launch_template', { ...LT_OK, key_name: 'ops' }), ctx(), 'key pair "ops" is set'],
  [
    BGP_KEY_SENSITIVE,
    'sensitive variable',
    res('aws_dx_private_virtual_interface', { bgp_auth_key: '${var.bgp_auth_key}' }),
    ctx([], { bgp_auth_key: { sensitive: true } }),
    'compliant',
  ],
  [
    BGP_KEY_SENSITIVE,
    'SSM parameter',
    res('aws_dx_private_virtual_interface', { bgp_auth_key: '${data.aws_ssm_parameter.bgp.value}' }),
    ctx(),
    'compliant',
  ],
  [BGP_KEY_SENSITIVE, 'no key (AWS generates one)', res('aws_dx_private_virtual_interface', {}), ctx(), 'compliant'],
  [
    BGP_KEY_SENSITIVE,
    'literal key',
    res('aws_dx_private_virtual_interface', { bgp_auth_key: 'hunter2' }),
    ctx(),
    'bgp_auth_key is a literal or an expression that is neither a sensitive variable nor an SSM parameter',
  ],
  [
    BGP_KEY_SENSITIVE,
    'variable not marked sensitive',
    res('aws_dx_bgp_peer', { bgp_auth_key: '${var.key}' }),
    ctx([], { key: {} }),
    'bgp_auth_key comes from variable key, which is not sensitive',
  ],
  [
    CONSUMER_ENDPOINT_PORTS,
    'single forward port',
    res('aws_vpc_security_group_ingress_rule', {
      security_group_id: '${aws_security_group.ep.id}',
      ip_protocol: 'tcp',
      from_port: 9001,
      to_port: 9001,
    }),
    ctx([ENDPOINT]),
    'compliant',
  ],
  [
    CONSUMER_ENDPOINT_PORTS,
    'every port',
    res('aws_vpc_security_group_ingress_rule', {
      security_group_id: '${aws_security_group.ep.id}',
      ip_protocol: 'tcp',
      from_port: 0,
      to_port: 65535,
    }),
    ctx([ENDPOINT]),
    'admits every port (0-65535)',
  ],
  [
    CONSUMER_ENDPOINT_PORTS,
    'a range of forward ports, on one of several endpoint security groups (for_each)',
    res('aws_vpc_security_group_ingress_rule', {
      security_group_id: '${aws_security_group.ep[each.value.service].id}',
      ip_protocol: 'tcp',
      from_port: 9001,
      to_port: 9003,
    }),
    ctx([ENDPOINT]),
    'compliant',
  ],
  [
    CONSUMER_ENDPOINT_PORTS,
    'every protocol',
    res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.ep.id}', ip_protocol: '-1' }),
    ctx([ENDPOINT]),
    'admits protocol "-1"',
  ],
];

describe('policy rules', () => {
  test.each(CASES)('%s: %s', (rule, _name, resource, context, expected) => {
    const verdict = rule.check(resource, context);
    if (expected === 'compliant') expect(verdict).toEqual({ compliant: true });
    else expect(verdict).toEqual({ problem: expected });
  });

  test('every rule of the pack has a compliant and a non-compliant case', () => {
    for (const rule of POLICY_RULES) {
      const cases = CASES.filter(([r]) => r.id === rule.id).map(([, , , , e]) => e === 'compliant');
      expect({ id: rule.id, compliant: cases.includes(true), violating: cases.includes(false) }).toEqual({
        id: rule.id,
        compliant: true,
        violating: true,
      });
    }
  });

  test('rule ids are unique and stable', () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual([
      'DXPL-LB1',
      'DXPL-VPCE1',
      'DXPL-SG1',
      'DXPL-SG2',
      'DXPL-EC2-1',
      'DXPL-EC2-2',
      'DXPL-EC2-3',
      'DXPL-DX1',
      'DXPL-VPCE2',
      'DXPL-MON1',
    ]);
  });

  test('rules skip resources they do not cover', () => {
    expect(LB_INTERNAL.check(res('aws_vpc', {}), ctx())).toEqual({ notApplicable: true });
    expect(
      CONSUMER_ENDPOINT_PORTS.check(
        res('aws_vpc_security_group_ingress_rule', {
          security_group_id: '${aws_security_group.nlb.id}',
          ip_protocol: 'tcp',
          from_port: 1,
          to_port: 9,
        }),
        ctx([ENDPOINT]),
      ),
    ).toEqual({
      notApplicable: true,
    });
  });
});
