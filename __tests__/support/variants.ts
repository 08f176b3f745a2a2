/**
 * Configs that cover every option a user can pick, each a change of the
 * example: every Direct Connect option (private VIF, jumbo MTU, hosted VIF,
 * existing VGW on a created or existing VPC, Direct Connect gateway, none),
 * both VPC modes, both routing modes, both state backends, a cross-region
 * consumer, consumers with and without DNS, tenants or none, only private
 * targets (no NAT fleet), an x86_64 fleet, a locked-down account. Shared by
 * the plan test and the provider-schema check.
 */
import { FAKE_ENDPOINT_IDS, FAKE_ENDPOINT_SG } from './fake-aws';
import { exampleObject } from './mutate';

export interface Variant {
  /** Also the config's `name`, so every variant has its own handoff bucket. */
  readonly name: string;
  /** What the variant covers. */
  readonly covers: string;
  readonly config: Record<string, any>;
}

const EXISTING_VPC = {
  vpc_id: 'vpc-0123456789abcdef0',
  cidr: '10.42.0.0/24',
  subnet_ids: { 'eu-west-2a': 'subnet-0aaaaaaaaaaaaaaaa', 'eu-west-2b': 'subnet-0bbbbbbbbbbbbbbbb' },
  route_table_ids: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'],
  s3_prefix_list_id: 'pl-7ca54015',
};

/** A customer managed key and a permissions boundary of the example's account (made up). */
export const LOCKED_KEY = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const LOCKED_BOUNDARY = 'arn:aws:iam::111111111111:policy/dx-boundary';
export const LOCKED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';

/**
 * Every option for an account whose guardrails require them (issue 23): a
 * permissions boundary and path on every role, one customer managed key for
 * logs, topic, buckets and volumes, the account's own security groups on the
 * NAT instances and NLBs (every tenant's, and one more on the clients'), and
 * desk-eu's records in its existing private zone.
 */
export function lockedDown(c: Record<string, any>): void {
  c.iam = { permissions_boundary: LOCKED_BOUNDARY, path: '/network/' };
  c.kms_key_arn = LOCKED_KEY;
  c.nat_fleet.security_group_ids = ['sg-0aaaaaaaaaaaaaaaa'];
  c.endpoint_service.nlb_security_group_ids = ['sg-0bbbbbbbbbbbbbbbb'];
  c.tenants.find((t: { name: string }) => t.name === 'clients').nlb_security_group_ids = ['sg-0cccccccccccccccc'];
  c.consumers.find((x: { name: string }) => x.name === 'desk-eu').dns_zone_id = LOCKED_ZONE_ID;
}

const S3_STATE = { s3: { bucket: 'acme-terraform-state', region: 'eu-west-2', key_prefix: 'dx-privatelink/variants' } };

function variant(name: string, covers: string, change: (c: Record<string, any>) => void): Variant {
  const config = exampleObject();
  config.name = name;
  change(config);
  return { name, covers, config };
}

/** Keeps only the named consumers (and tenants' references to them). */
function onlyConsumers(c: Record<string, any>, names: string[]): void {
  c.consumers = c.consumers.filter((x: { name: string }) => names.includes(x.name));
  if (c.tenants) {
    c.tenants = c.tenants
      .map((t: { consumers: string[] }) => ({ ...t, consumers: t.consumers.filter((n) => names.includes(n)) }))
      .filter((t: { consumers: string[] }) => t.consumers.length > 0);
    const kept = new Set(c.tenants.flatMap((t: { forwards: string[] }) => t.forwards));
    c.forwards = c.forwards.filter((f: { name: string }) => kept.has(f.name));
  }
}

export const VARIANTS: readonly Variant[] = [
  variant('v-jumbo', 'private VIF with jumbo MTU 9001 through a Direct Connect gateway, static routes, S3 state', (c) => {
    c.direct_connect.private_vif.mtu = 9001;
    c.direct_connect.dx_gateway_id = '5f1c4e1e-0000-4000-8000-000000000000';
    c.direct_connect.routing = 'static';
    c.state = S3_STATE;
    onlyConsumers(c, ['desk-eu']);
  }),
  variant(
    'v-hosted',
    'hosted VIF on an existing VPC, propagated routes, local state, x86_64 NAT fleet on a pinned AMI with a lifetime; an existing alarm topic with e-mail; flow logs to S3',
    (c) => {
      c.vpc = { existing: EXISTING_VPC };
      c.direct_connect = { hosted_vif: { virtual_interface_id: 'dxvif-ffhhk74f' } };
      c.nat_fleet = {
        instance_type: 'c6in.large',
        architecture: 'x86_64',
        min_size: 2,
        max_size: 4,
        ami_id: 'ami-0123456789abcdef0',
        max_instance_lifetime_days: 14,
      };
      c.monitoring = { topic_arn: 'arn:aws:sns:eu-west-2:111111111111:noc-alarms', emails: ['noc@example.com'] };
      c.flow_logs = { destination: 's3', s3_bucket_arn: 'arn:aws:s3:::acme-flow-logs' };
      onlyConsumers(c, ['client-acme']);
    },
  ),
  variant('v-jumbo-bgp', 'private VIF with jumbo MTU 9001 on the VGW, propagated routes (jumbo frames end to end)', (c) => {
    c.direct_connect.private_vif.mtu = 9001;
    onlyConsumers(c, ['desk-eu']);
  }),
  variant('v-vgw-new-vpc', 'existing VGW attached to a created VPC, static routes, a consumer in another region without DNS', (c) => {
    c.direct_connect = { existing_vgw_id: 'vgw-0123456789abcdef0', routing: 'static' };
    c.endpoint_service.supported_regions = ['us-east-1'];
    c.consumers[2].region = 'us-east-1';
    c.consumers[2].subnet_ids = ['subnet-0444444444444444a', 'subnet-0444444444444444b'];
    delete c.consumers[2].dns_zone;
    onlyConsumers(c, ['client-globex']);
  }),
  variant(
    'v-vgw-existing',
    'existing VGW on an existing VPC with its own Session Manager endpoints, hosted VIF through a Direct Connect gateway, S3 state',
    (c) => {
      c.vpc = {
        existing: {
          ...EXISTING_VPC,
          existing_endpoints: {
            security_group_id: FAKE_ENDPOINT_SG,
            endpoint_ids: {
              ssm: FAKE_ENDPOINT_IDS.ssm,
              ssmmessages: FAKE_ENDPOINT_IDS.ssmmessages,
              ec2messages: FAKE_ENDPOINT_IDS.ec2messages,
            },
          },
        },
      };
      c.direct_connect = {
        existing_vgw_id: 'vgw-0123456789abcdef0',
        dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000',
        hosted_vif: { virtual_interface_id: 'dxvif-ffhhk74f' },
      };
      c.state = { s3: { ...S3_STATE.s3, role_arn: 'arn:aws:iam::111111111111:role/terraform-state' } };
      onlyConsumers(c, ['desk-eu']);
    },
  ),
  variant(
    'v-locked',
    'a locked-down account: permissions boundary and path, a customer managed key, extra security groups on the NAT instances and NLBs, a consumer zone that exists',
    (c) => {
      lockedDown(c);
      onlyConsumers(c, ['desk-eu', 'client-globex']);
    },
  ),
  variant(
    'v-none',
    'no VIF (a new VGW only), no SSM endpoints, no tenants list, only private targets (no NAT fleet); no alarms, dashboard or flow logs, no deletion protection',
    (c) => {
      c.monitoring = { alarms: false, dashboard: false };
      c.flow_logs = { enabled: false };
      c.deletion_protection = false;
      c.policy = { suppressions: [{ rule: 'DXPL-MON1', reason: 'variant test: a sandbox nobody is on call for' }] };
      c.direct_connect = { amazon_side_asn: 64600 };
      c.vpc.create.ssm_endpoints = false;
      c.forwards = c.forwards.filter((f: { target_ip: string }) => f.target_ip.startsWith('172.'));
      delete c.tenants;
      c.endpoint_service.acceptance = 'auto';
      onlyConsumers(c, ['desk-eu']);
    },
  ),
];
