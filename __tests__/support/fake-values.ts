/**
 * Made-up values for what AWS decides at apply time: ids, ARNs, generated
 * names, DNS names. Each is a pure function of the resource's address (and
 * its known values), in the format the AWS provider and AWS itself use, so
 * the same resource gets the same id in every round of applied-state.ts and
 * an id can be recognized for what it names (sg-, subnet-, vpce-...).
 */
import { createHash } from 'node:crypto';
import { zoneIdPrefix } from './fake-aws';

export interface FakeContext {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
}

/** `n` hex digits derived from `seed`. */
export function hex(seed: string, n = 17): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += createHash('sha256').update(`${seed}#${i}`).digest('hex');
  return out.slice(0, n);
}

/** `n` decimal digits derived from `seed` (generated name suffixes). */
function digits(seed: string, n: number): string {
  return hex(seed, n * 2)
    .split('')
    .map((c) => String(parseInt(c, 16) % 10))
    .join('')
    .slice(0, n);
}

/** Id prefixes of EC2 (and a few other) resources whose id AWS generates. */
const ID_PREFIX: Record<string, string> = {
  aws_vpc: 'vpc-',
  aws_subnet: 'subnet-',
  aws_security_group: 'sg-',
  aws_route_table: 'rtb-',
  aws_route_table_association: 'rtbassoc-',
  aws_vpc_endpoint: 'vpce-',
  aws_vpc_endpoint_service: 'vpce-svc-',
  aws_vpn_gateway: 'vgw-',
  aws_launch_template: 'lt-',
  aws_flow_log: 'fl-',
  aws_vpc_security_group_ingress_rule: 'sgr-',
  aws_vpc_security_group_egress_rule: 'sgr-',
  aws_dx_private_virtual_interface: 'dxvif-',
  aws_vpc_endpoint_connection_notification: 'vpce-nfn-',
  aws_internet_gateway: 'igw-',
  aws_route53_zone: 'Z',
  aws_ec2_managed_prefix_list: 'pl-',
};

/** The attribute that holds a resource's name, for resources whose id is their name or ARN. */
const NAME_ATTR: Record<string, string> = {
  aws_s3_bucket: 'bucket',
  aws_iam_role: 'name',
  aws_iam_instance_profile: 'name',
  aws_iam_policy: 'name',
  aws_autoscaling_group: 'name',
  aws_cloudwatch_log_group: 'name',
  aws_sns_topic: 'name',
  aws_lb: 'name',
  aws_lb_target_group: 'name',
  aws_launch_template: 'name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_cloudwatch_dashboard: 'dashboard_name',
};

/** A generated name: `prefix` and AWS's 26-digit suffix, within the resource's length limit. */
function generatedName(type: string, address: string, prefix: string | undefined): string {
  const base = prefix ?? 'terraform-';
  const suffix = digits(address, 26);
  const max = type === 'aws_lb_target_group' ? 32 : type === 'aws_s3_bucket' ? 63 : 128;
  return `${base}${suffix}`.slice(0, max);
}

/** The resource's name: as configured, or generated from its name_prefix (bucket_prefix). */
export function nameOf(type: string, address: string, values: Record<string, unknown>): string | undefined {
  const attr = NAME_ATTR[type];
  if (!attr) return undefined;
  const given = values[attr];
  if (typeof given === 'string' && given !== '') return given;
  const prefix = (values[type === 'aws_s3_bucket' ? 'bucket_prefix' : 'name_prefix'] as string | undefined) ?? undefined;
  if (type === 'aws_lb_target_group') return `${prefix ?? 'tf-'}${hex(address, 26)}`.slice(0, 32);
  return generatedName(type, address, prefix);
}

/** The ARN AWS would give the resource. */
export function arnOf(type: string, address: string, values: Record<string, unknown>, ctx: FakeContext): string | undefined {
  const { partition: p, region: r, account: a } = ctx;
  const name = nameOf(type, address, values);
  const id = (prefix: string) => `${prefix}${hex(address)}`;
  switch (type) {
    case 'aws_lb':
      return `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/net/${name}/${hex(address, 16)}`;
    case 'aws_lb_target_group':
      return `arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/${name}/${hex(address, 16)}`;
    case 'aws_lb_listener': {
      const lb = String(values.load_balancer_arn ?? `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/net/unknown/0`);
      return `${lb.replace(':loadbalancer/', ':listener/')}/${hex(address, 16)}`;
    }
    case 'aws_s3_bucket':
      return `arn:${p}:s3:::${name}`;
    case 'aws_s3_object':
      return `arn:${p}:s3:::${values.bucket}/${values.key}`;
    case 'aws_iam_role':
      return `arn:${p}:iam::${a}:role/${name}`;
    case 'aws_iam_instance_profile':
      return `arn:${p}:iam::${a}:instance-profile/${name}`;
    case 'aws_autoscaling_group':
      return `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:${uuid(address)}:autoScalingGroupName/${name}`;
    case 'aws_sns_topic':
      return `arn:${p}:sns:${r}:${a}:${name}`;
    case 'aws_cloudwatch_log_group':
      return `arn:${p}:logs:${r}:${a}:log-group:${name}`;
    case 'aws_cloudwatch_metric_alarm':
      return `arn:${p}:cloudwatch:${r}:${a}:alarm:${name}`;
    case 'aws_cloudwatch_dashboard':
      return `arn:${p}:cloudwatch::${a}:dashboard/${name}`;
    case 'aws_launch_template':
      return `arn:${p}:ec2:${r}:${a}:launch-template/${id('lt-')}`;
    case 'aws_dx_private_virtual_interface':
      return `arn:${p}:directconnect:${r}:${a}:dxvif/${id('dxvif-')}`;
    case 'aws_dx_hosted_private_virtual_interface_accepter':
      return `arn:${p}:directconnect:${r}:${a}:dxvif/${values.virtual_interface_id}`;
    default: {
      const prefix = ID_PREFIX[type];
      if (!prefix) return `arn:${p}:${type.replace(/^aws_/, '').split('_')[0]}:${r}:${a}:${type}/${hex(address)}`;
      const kind = type.replace(/^aws_/, '').replace(/_/g, '-');
      const resource = type.startsWith('aws_vpc_security_group_') ? 'security-group-rule' : kind;
      return `arn:${p}:ec2:${r}:${a}:${resource}/${id(prefix)}`;
    }
  }
}

/** The id AWS (and the provider) would give the resource. */
export function idOf(type: string, address: string, values: Record<string, unknown>, ctx: FakeContext): string {
  const prefix = ID_PREFIX[type];
  if (prefix === 'Z') return `Z${hex(address, 20).toUpperCase()}`;
  if (prefix) return `${prefix}${hex(address)}`;
  switch (type) {
    case 'aws_lb':
    case 'aws_lb_target_group':
    case 'aws_lb_listener':
    case 'aws_sns_topic':
      return arnOf(type, address, values, ctx)!;
    case 'aws_iam_role_policy':
      return `${values.role}:${values.name}`;
    case 'aws_s3_object':
      return String(values.key);
    case 'aws_s3_bucket_policy':
    case 'aws_s3_bucket_public_access_block':
    case 'aws_s3_bucket_ownership_controls':
    case 'aws_s3_bucket_server_side_encryption_configuration':
    case 'aws_s3_bucket_versioning':
    case 'aws_s3_bucket_lifecycle_configuration':
      return String(values.bucket);
    case 'aws_vpn_gateway_route_propagation':
      return `${values.vpn_gateway_id}_${values.route_table_id}`;
    case 'aws_route':
      return `r-${values.route_table_id}${hash32(String(values.destination_cidr_block))}`;
    case 'aws_autoscaling_attachment':
      return `${values.autoscaling_group_name}-${hex(address, 20)}`;
    case 'aws_lb_target_group_attachment':
      return `${values.target_group_arn}-${hex(address, 20)}`;
    case 'aws_iam_role_policy_attachment':
      return `${values.role}-${hex(address, 20)}`;
    case 'aws_sns_topic_policy':
    case 'aws_sns_topic_subscription':
      return `${values.arn ?? values.topic_arn}:${uuid(address)}`;
    case 'aws_dx_hosted_private_virtual_interface_accepter':
      return String(values.virtual_interface_id);
    case 'aws_dx_gateway_association':
      return `ga-${values.dx_gateway_id}${values.associated_gateway_id}`;
    case 'aws_vpn_gateway_attachment':
      return `vpn-attachment-${hex(address, 8)}`;
    case 'aws_route53_record':
      return `${values.zone_id}_${values.name}_${values.type}`;
    case 'aws_route53_zone_association':
      return `${values.zone_id}:${values.vpc_id}`;
    case 'aws_vpc_endpoint_connection_accepter':
      return `${values.vpc_endpoint_service_id}_${values.vpc_endpoint_id}`;
    case 'terraform_data':
      return uuid(address);
    default:
      return nameOf(type, address, values) ?? `${type.replace(/^aws_/, '')}-${hex(address)}`;
  }
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function hash32(s: string): string {
  return String(parseInt(hex(s, 8), 16));
}

/**
 * Values of computed attributes that other values are made of, or that the
 * provider checks the shape of; undefined leaves the generic filler to it.
 */
export function knownFake(
  type: string,
  address: string,
  attr: string,
  values: Record<string, unknown>,
  ctx: FakeContext,
): unknown | undefined {
  if (attr === 'id') return idOf(type, address, values, ctx);
  if (attr === 'arn') return arnOf(type, address, values, ctx);
  if (attr === NAME_ATTR[type]) return nameOf(type, address, values);
  if (attr === 'owner_id' || attr === 'owner') return ctx.account;
  if (attr === 'region') return ctx.region;
  const arn = () => arnOf(type, address, values, ctx)!;
  switch (`${type}.${attr}`) {
    case 'aws_lb.arn_suffix':
    case 'aws_lb_target_group.arn_suffix':
      return arn().replace(/^.*?:(loadbalancer|targetgroup)\//, (_, kind: string) => (kind === 'targetgroup' ? 'targetgroup/' : ''));
    case 'aws_lb.dns_name':
      return `${nameOf(type, address, values)}-${hex(address, 16)}.elb.${ctx.region}.amazonaws.com`;
    case 'aws_lb.zone_id':
      return 'ZD4D7Y8KGAS4G';
    case 'aws_vpc_endpoint_service.service_name':
      return `com.amazonaws.vpce.${ctx.region}.${idOf(type, address, values, ctx)}`;
    case 'aws_vpc_endpoint_service.base_endpoint_dns_names':
      return [`${idOf(type, address, values, ctx)}.${ctx.region}.vpce.amazonaws.com`];
    case 'aws_vpc_endpoint_service.supported_regions':
      return [ctx.region];
    case 'aws_vpc_endpoint_service.state':
    case 'aws_vpc_endpoint.state':
      return 'available';
    case 'aws_route53_zone.zone_id':
      return idOf(type, address, values, ctx);
    case 'aws_vpc_endpoint.dns_entry': {
      // An interface endpoint's regional name first, as AWS lists it.
      if (values.vpc_endpoint_type !== 'Interface') return [];
      const service =
        String(values.service_name ?? '')
          .split('.')
          .pop() || 'vpce-svc';
      return [
        {
          dns_name: `${idOf(type, address, values, ctx)}-${hex(address, 8)}.${service}.${ctx.region}.vpce.amazonaws.com`,
          hosted_zone_id: `Z${hex(`${ctx.region}vpce`, 12).toUpperCase()}`,
        },
      ];
    }
    case 'aws_vpc_endpoint.prefix_list_id':
      return values.vpc_endpoint_type === 'Gateway' ? `pl-${hex(address, 8)}` : null;
    case 'aws_s3_bucket.bucket_domain_name':
      return `${nameOf(type, address, values)}.s3.amazonaws.com`;
    case 'aws_s3_bucket.bucket_regional_domain_name':
      return `${nameOf(type, address, values)}.s3.${ctx.region}.amazonaws.com`;
    case 'aws_s3_bucket.hosted_zone_id':
      return 'Z3GKZC51ZF0DB4';
    case 'aws_iam_role.unique_id':
      return `AROA${hex(address, 17).toUpperCase()}`;
    case 'aws_iam_instance_profile.unique_id':
      return `AIPA${hex(address, 17).toUpperCase()}`;
    case 'aws_iam_role.create_date':
    case 'aws_iam_instance_profile.create_date':
      return '2026-01-01T00:00:00Z';
    case 'aws_launch_template.latest_version':
    case 'aws_launch_template.default_version':
      return 1;
    case 'aws_vpc_security_group_ingress_rule.security_group_rule_id':
    case 'aws_vpc_security_group_egress_rule.security_group_rule_id':
      return idOf(type, address, values, ctx);
    case 'aws_cloudwatch_dashboard.dashboard_arn':
      return arn();
    case 'aws_dx_private_virtual_interface.aws_device':
      return `EqLD2-${hex(address, 8)}`;
    case 'aws_dx_private_virtual_interface.amazon_side_asn':
    case 'aws_vpn_gateway.amazon_side_asn':
      // AWS's default ASN for a virtual private gateway created without one.
      return '64512';
    case 'aws_vpc_endpoint_connection_notification.connection_notification_arn':
      return String(values.connection_notification_arn ?? '');
    case 'aws_sns_topic.signature_version':
      return 1;
    case 'aws_subnet.availability_zone_id': {
      // Zone a is az1, b az2, ... (fakeSubnetOf's mapping).
      const letter = /[a-z]$/.exec(String(values.availability_zone ?? ''))?.[0] ?? 'a';
      return `${zoneIdPrefix(ctx.region)}-az${letter.charCodeAt(0) - 96}`;
    }
    default:
      return undefined;
  }
}
