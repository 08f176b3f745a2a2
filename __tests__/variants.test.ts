import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { runMain } from './support/cli';
import { FakeAws, fakeSubnetOf, startFakeAws } from './support/fake-aws';
import { fakeHandoffObjects } from './support/state';
import { alarmsByKind, monitoringOfPlan } from './support/plan-monitoring';
import { Plan, planInParallel, readPlan, resourcesOfType } from './support/terraform';
import { LOCKED_BOUNDARY, LOCKED_KEY, LOCKED_ZONE_ID, VARIANTS } from './support/variants';
import { applyFromPlan } from './support/applied-state';
import { missingHops } from './support/flows';

// Issue 11: every option plans for real. Each variant config is synthesized
// by the main job and every stack goes through real `terraform init` and
// `plan` (which validates first) with the real AWS provider: S3 state and the
// consumers' handoff objects on a loopback S3, subnets on a loopback EC2.

let tmp: string;
let aws: FakeAws;
const plans: Record<string, Plan> = {};
const json: Record<string, Record<string, any>> = {};
const stackDir = (variant: string, stack: string) => path.join(tmp, variant, 'cdktf.out', 'stacks', stack);

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-variants-'));
  aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
  const jobs: { dir: string; base: string }[] = [];
  for (const v of VARIANTS) {
    const file = path.join(tmp, `${v.name}.yaml`);
    writeFileSync(file, stringify(v.config));
    const r = runMain([file, '--out', path.join(tmp, v.name, 'cdktf.out'), '--quiet'], tmp);
    if (r.status !== 0) throw new Error(`${v.name}: synth failed: ${r.stderr}`);
    const provider = JSON.parse(readFileSync(path.join(stackDir(v.name, 'provider'), 'cdk.tf.json'), 'utf8'));
    for (const [key, body] of fakeHandoffObjects(provider)) aws.objects.set(key, body);
    for (const stack of readdirSync(path.join(tmp, v.name, 'cdktf.out', 'stacks'))) {
      json[`${v.name}/${stack}`] = JSON.parse(readFileSync(path.join(stackDir(v.name, stack), 'cdk.tf.json'), 'utf8'));
      mkdirSync(path.join(tmp, 'plans', v.name), { recursive: true });
      jobs.push({ dir: stackDir(v.name, stack), base: path.join(tmp, 'plans', v.name, stack) });
    }
  }
  // `terraform plan` validates each configuration before planning it.
  await planInParallel(jobs, aws, { validate: false });
  for (const job of jobs) plans[path.relative(path.join(tmp, 'plans'), job.base)] = readPlan(job.base);
}, 600000);
afterAll(async () => {
  await aws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const count = (plan: Plan, type: string) => resourcesOfType(plan, type).length;
const one = (plan: Plan, type: string) => {
  const found = resourcesOfType(plan, type);
  expect(found).toHaveLength(1);
  return found[0].values;
};

describe('every variant plans for real', () => {
  test('each variant has a provider stack and its consumer stacks, and every stack plans only creates', () => {
    expect(Object.keys(plans).sort()).toEqual(Object.keys(json).sort());
    for (const v of VARIANTS) expect(Object.keys(plans)).toContain(`${v.name}/provider`);
    for (const [stack, plan] of Object.entries(plans)) {
      const actions = new Set(plan.json.resource_changes.map((r) => r.change.actions.join(',')));
      expect({ stack, actions: [...actions] }).toEqual({ stack, actions: ['create'] });
    }
  });

  test('v-jumbo: a 9001-byte VIF on the Direct Connect gateway, static routes, S3 state', () => {
    const plan = plans['v-jumbo/provider'];
    expect(one(plan, 'aws_dx_private_virtual_interface')).toMatchObject({
      mtu: 9001,
      dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000',
      vpn_gateway_id: null,
    });
    expect(one(plan, 'aws_dx_gateway_association')).toMatchObject({ dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000' });
    // static routes to a VGW carry 1500 bytes whatever the VIF's MTU: the NAT rules clamp SYNs to 1460
    const rules = resourcesOfType(plan, 'aws_s3_object').filter((r) => r.name === 'nat_rules');
    expect(rules.map((r) => (r.values.content as string).match(/maxseg size set \d+/g))).toEqual([['maxseg size set 1460']]);
    expect(count(plan, 'aws_vpn_gateway_route_propagation')).toBe(0);
    // one route per route table (2 zones) and target address (3)
    expect(
      resourcesOfType(plan, 'aws_route')
        .map((r) => r.values.destination_cidr_block)
        .sort(),
    ).toEqual(['172.20.5.15/32', '172.20.5.15/32', '192.0.2.10/32', '192.0.2.10/32', '198.51.100.20/32', '198.51.100.20/32']);
    // monitoring by default: a created topic, and the VIF's alarms (it is created here, on the gateway)
    const monitoring = monitoringOfPlan(plan, json['v-jumbo/provider']);
    expect(monitoring.problems).toEqual([]);
    expect(alarmsByKind(monitoring.alarms)).toMatchObject({ connectionDown: 1, vifTrafficStopped: 1 });
    expect(monitoring.counts).toMatchObject({ aws_sns_topic: 1, aws_cloudwatch_dashboard: 1, aws_flow_log: 2 });
    for (const stack of ['provider', 'consumer-desk-eu']) {
      expect(json[`v-jumbo/${stack}`].terraform.required_version).toBe('>= 1.10.0');
      expect(json[`v-jumbo/${stack}`].terraform.backend.s3).toMatchObject({
        key: `dx-privatelink/variants/${stack}.tfstate`,
        use_lockfile: true,
      });
    }
  });

  test('v-jumbo-bgp: propagated routes carry the 9001-byte VIF: the NAT rules clamp to 8460 (PrivateLink carries 8500)', () => {
    const plan = plans['v-jumbo-bgp/provider'];
    expect(one(plan, 'aws_dx_private_virtual_interface')).toMatchObject({ mtu: 9001 });
    const rules = resourcesOfType(plan, 'aws_s3_object').filter((r) => r.name === 'nat_rules');
    expect(rules.map((r) => (r.values.content as string).match(/maxseg size set \d+/g))).toEqual([['maxseg size set 8460']]);
  });

  test('an existing VPC without its DNS attributes fails at plan, naming them, when endpoints are made in it', async () => {
    const fake = await startFakeAws({ defaultSubnet: fakeSubnetOf });
    fake.vpcs.set('vpc-0123456789abcdef0', { cidr: '10.42.0.0/24', dnsSupport: true, dnsHostnames: false });
    const base = path.join(tmp, 'plans', 'v-hosted-dns-off');
    try {
      await planInParallel([{ dir: stackDir('v-hosted', 'provider'), base }], fake, { validate: false });
    } finally {
      await fake.close();
    }
    // (Terraform wraps the message: compare it on one line.)
    const error = (() => {
      try {
        readPlan(base);
        return '';
      } catch (e) {
        return String(e).replace(/\s+/g, ' ');
      }
    })();
    expect(error).toContain(
      'vpc.existing.vpc_id: vpc-0123456789abcdef0 has enableDnsSupport true and enableDnsHostnames false; the interface endpoints made here (autoscaling) need both on for private DNS',
    );
  }, 120000);

  test('every flow of every provider stack has every hop, as its first apply leaves it', async () => {
    for (const v of VARIANTS) {
      const deployed = await applyFromPlan(stackDir(v.name, 'provider'), plans[`${v.name}/provider`].json as never);
      const missing = missingHops(deployed, { region: v.config.region, account: v.config.provider_account_id });
      expect({ variant: v.name, missing }).toEqual({ variant: v.name, missing: [] });
    }
  }, 300000);

  test('v-hosted: a hosted VIF accepted on the VGW of an existing VPC, propagated routes, an x86_64 fleet', () => {
    const plan = plans['v-hosted/provider'];
    expect(one(plan, 'aws_dx_hosted_private_virtual_interface_accepter')).toMatchObject({
      virtual_interface_id: 'dxvif-ffhhk74f',
      dx_gateway_id: null,
    });
    expect(count(plan, 'aws_dx_private_virtual_interface')).toBe(0);
    expect(count(plan, 'aws_vpc')).toBe(0);
    expect(one(plan, 'aws_vpn_gateway')).toMatchObject({ vpc_id: 'vpc-0123456789abcdef0' });
    expect(
      resourcesOfType(plan, 'aws_vpn_gateway_route_propagation')
        .map((r) => r.values.route_table_id)
        .sort(),
    ).toEqual(['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb']);
    // the image pinned by id, instances replaced (launch before terminate) after 14 days
    expect(one(plan, 'aws_launch_template')).toMatchObject({ instance_type: 'c6in.large', image_id: 'ami-0123456789abcdef0' });
    expect(one(plan, 'aws_autoscaling_group')).toMatchObject({
      min_size: 2,
      max_size: 4,
      max_instance_lifetime: 14 * 86400,
      instance_maintenance_policy: [{ min_healthy_percentage: 100, max_healthy_percentage: 200 }],
    });
    // alarms to the existing topic (none created), its e-mail subscription; no Direct Connect alarm for a hosted VIF
    const monitoring = monitoringOfPlan(plan, json['v-hosted/provider']);
    expect(monitoring.problems).toEqual([]);
    expect(monitoring.counts).toMatchObject({ aws_sns_topic: 0, aws_sns_topic_policy: 0, aws_sns_topic_subscription: 1 });
    expect(alarmsByKind(monitoring.alarms)).toEqual({
      noHealthyTarget: 1,
      natPathDegraded: 1,
      fleetBelowMinimum: 1,
      connectionDown: 0,
      vifTrafficStopped: 0,
    });
    for (const alarm of resourcesOfType(plan, 'aws_cloudwatch_metric_alarm'))
      expect(alarm.values.alarm_actions).toEqual(['arn:aws:sns:eu-west-2:111111111111:noc-alarms']);
    expect(one(plan, 'aws_sns_topic_subscription')).toMatchObject({
      topic_arn: 'arn:aws:sns:eu-west-2:111111111111:noc-alarms',
      protocol: 'email',
      endpoint: 'noc@example.com',
    });
    // flow logs of the existing VPC's two subnets straight to the bucket: no log group, no role
    const flows = resourcesOfType(plan, 'aws_flow_log').map((r) => r.values);
    expect(flows.map((f) => f.subnet_id).sort()).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
    for (const f of flows)
      expect(f).toMatchObject({ log_destination_type: 's3', log_destination: 'arn:aws:s3:::acme-flow-logs', iam_role_arn: null });
    expect(count(plan, 'aws_cloudwatch_log_group')).toBe(0);
    expect(resourcesOfType(plan, 'aws_iam_role').map((r) => r.values.name)).not.toContainEqual(expect.stringContaining('flow-logs'));
  });

  test('v-vgw-new-vpc: the existing VGW is attached to the created VPC; a cross-region consumer without DNS', () => {
    const plan = plans['v-vgw-new-vpc/provider'];
    expect(count(plan, 'aws_vpn_gateway')).toBe(0);
    expect(one(plan, 'aws_vpn_gateway_attachment')).toMatchObject({ vpn_gateway_id: 'vgw-0123456789abcdef0' });
    expect(resourcesOfType(plan, 'aws_route').every((r) => r.values.gateway_id === 'vgw-0123456789abcdef0')).toBe(true);
    expect(one(plan, 'aws_vpc_endpoint_service')).toMatchObject({ supported_regions: ['eu-west-2', 'us-east-1'] });
    const consumer = plans['v-vgw-new-vpc/consumer-client-globex'];
    expect(one(consumer, 'aws_vpc_endpoint')).toMatchObject({ service_region: 'eu-west-2', subnet_ids: expect.any(Array) });
    expect(count(consumer, 'aws_route53_zone')).toBe(0);
    const providers = json['v-vgw-new-vpc/consumer-client-globex'].provider.aws.map((p: any) => p.region);
    expect(providers).toEqual(['us-east-1', 'eu-west-2']);
  });

  test('v-vgw-existing: an existing, attached VGW; a hosted VIF through a Direct Connect gateway; S3 state with a role', () => {
    const plan = plans['v-vgw-existing/provider'];
    expect(count(plan, 'aws_vpn_gateway') + count(plan, 'aws_vpn_gateway_attachment')).toBe(0);
    expect(one(plan, 'aws_dx_hosted_private_virtual_interface_accepter')).toMatchObject({
      dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000',
      vpn_gateway_id: null,
    });
    expect(one(plan, 'aws_dx_gateway_association')).toMatchObject({ associated_gateway_id: 'vgw-0123456789abcdef0' });
    expect(json['v-vgw-existing/provider'].terraform.backend.s3.assume_role).toEqual({
      role_arn: 'arn:aws:iam::111111111111:role/terraform-state',
    });
  });

  test('v-locked: the boundary and path on every role, the key on the log group, topic, buckets and root volume; records in an existing zone', () => {
    const plan = plans['v-locked/provider'];
    const roles = resourcesOfType(plan, 'aws_iam_role');
    expect(roles).toHaveLength(2);
    for (const r of roles) expect(r.values).toMatchObject({ permissions_boundary: LOCKED_BOUNDARY, path: '/network/' });
    expect(one(plan, 'aws_iam_instance_profile')).toMatchObject({ path: '/network/' });
    expect(one(plan, 'aws_cloudwatch_log_group')).toMatchObject({ kms_key_id: LOCKED_KEY });
    expect(one(plan, 'aws_sns_topic')).toMatchObject({ kms_master_key_id: LOCKED_KEY });
    const sse = resourcesOfType(plan, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(sse).toHaveLength(2);
    for (const s of sse)
      expect(s.values.rule).toEqual([
        expect.objectContaining({
          apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: LOCKED_KEY }],
          bucket_key_enabled: true,
        }),
      ]);
    const lt = one(plan, 'aws_launch_template') as Record<string, any>;
    expect(lt.block_device_mappings[0].ebs[0]).toMatchObject({ encrypted: 'true', kms_key_id: LOCKED_KEY });
    // the extra groups and the key are in the launch digest, known at plan
    const asg = one(plan, 'aws_autoscaling_group') as Record<string, any>;
    expect(asg.tag.find((t: { key: string }) => t.key === 'dx-privatelink:launch-digest').value).toMatch(/^[0-9a-f]{40}$/);
    // (the groups themselves are sets with the stack's own, unknown, group: read from the configuration)
    const config = json['v-locked/provider'].resource;
    expect(config.aws_launch_template.nat_launch_template.vpc_security_group_ids).toEqual([
      '${aws_security_group.nat_sg.id}',
      'sg-0aaaaaaaaaaaaaaaa',
    ]);
    expect(config.aws_lb.tenant_internal_s0_nlb.security_groups).toEqual([
      '${aws_security_group.tenant_internal_s0_nlb_sg.id}',
      'sg-0bbbbbbbbbbbbbbbb',
    ]);
    expect(config.aws_lb.tenant_clients_s0_nlb.security_groups).toEqual([
      '${aws_security_group.tenant_clients_s0_nlb_sg.id}',
      'sg-0bbbbbbbbbbbbbbbb',
      'sg-0cccccccccccccccc',
    ]);
    // desk-eu's records go into its own zone; client-globex's zone is created as before
    const desk = plans['v-locked/consumer-desk-eu'];
    expect(count(desk, 'aws_route53_zone')).toBe(0);
    const records = resourcesOfType(desk, 'aws_route53_record');
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.values.zone_id).toBe(LOCKED_ZONE_ID);
    expect(count(plans['v-locked/consumer-client-globex'], 'aws_route53_zone')).toBe(1);
  });

  test('v-none: a VGW with its ASN and nothing else; no NAT fleet without public targets; no SSM endpoints', () => {
    const plan = plans['v-none/provider'];
    expect(one(plan, 'aws_vpn_gateway')).toMatchObject({ amazon_side_asn: '64600' });
    for (const type of [
      'aws_dx_private_virtual_interface',
      'aws_dx_hosted_private_virtual_interface_accepter',
      'aws_dx_gateway_association',
      'aws_launch_template',
      'aws_autoscaling_group',
    ]) {
      expect({ type, n: count(plan, type) }).toEqual({ type, n: 0 });
    }
    expect(resourcesOfType(plan, 'aws_vpc_endpoint').map((r) => r.values.vpc_endpoint_type)).toEqual(['Gateway']);
    expect(one(plan, 'aws_vpc_endpoint_service')).toMatchObject({ acceptance_required: false });
    // monitoring, the dashboard and flow logs off: not one of their resources; deletion protection off
    const monitoring = monitoringOfPlan(plan, json['v-none/provider']);
    expect(monitoring.alarms).toEqual([]);
    expect(Object.values(monitoring.counts).every((n) => n === 0)).toBe(true);
    expect(one(plan, 'aws_lb')).toMatchObject({ enable_deletion_protection: false });
    expect(json['v-none/provider'].resource.aws_vpc_endpoint_service.tenant_default_s0_service.lifecycle).toBeUndefined();
  });
});

describe('the consumer handoff', () => {
  /**
   * Plans one stack against a fake AWS holding only `objects`, in a child
   * process (the fake answers from this one); returns the plan or the error.
   */
  async function planWith(stack: string, objects: Map<string, string>): Promise<{ plan?: Plan; error?: string; requests: string[] }> {
    const fake = await startFakeAws({ defaultSubnet: fakeSubnetOf });
    for (const [k, v] of objects) fake.objects.set(k, v);
    const base = path.join(tmp, 'plans', `alone-${path.basename(stack)}-${Date.now()}`);
    try {
      await planInParallel([{ dir: stack, base }], fake);
      try {
        return { plan: readPlan(base), requests: fake.requests };
      } catch (error) {
        return { error: (error as Error).message, requests: fake.requests };
      }
    } finally {
      await fake.close();
    }
  }

  test('a consumer plans with only its own handoff object: no provider state, no other consumer', async () => {
    // GIVEN a fake AWS with nothing but desk-eu's own handoff (v-jumbo keeps state in S3)
    const own = [...fakeHandoffObjects(json['v-jumbo/provider'])].filter(([k]) => k.endsWith('/consumers/222222222222.json'));
    expect(own).toHaveLength(1);
    // WHEN its stack is initialized and planned
    const { plan, error, requests } = await planWith(stackDir('v-jumbo', 'consumer-desk-eu'), new Map(own));
    // THEN it plans, and all it touched in S3 was its own handoff object and its own state
    expect(error).toBeUndefined();
    expect(count(plan!, 'aws_vpc_endpoint')).toBe(1);
    const s3 = requests.filter((r) => r.startsWith('S3 ')).map((r) => r.replace(/^S3 [A-Z]+ /, ''));
    expect(new Set(s3)).toEqual(
      new Set([
        'v-jumbo-handoff-111111111111-eu-west-2/consumers/222222222222.json',
        'v-jumbo-handoff-111111111111-eu-west-2/consumers/222222222222.json?tagging',
        'acme-terraform-state/dx-privatelink/variants/consumer-desk-eu.tfstate',
        'acme-terraform-state/?prefix=env:/',
      ]),
    );
  });

  test('a consumer whose subnets are in a zone the service does not offer fails at plan, naming them', async () => {
    // GIVEN a handoff offering zone ids az1 and az2 only, and an endpoint subnet in zone c (az3)
    const objects = fakeHandoffObjects(json['v-none/provider'], () => ['euw2-az1', 'euw2-az2']);
    const stack = stackDir('v-none', 'consumer-desk-eu');
    const file = path.join(stack, 'cdk.tf.json');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('subnet-0222222222222222b', 'subnet-0222222222222222c'));
    // WHEN it is planned
    const { error } = await planWith(stack, objects);
    // THEN the precondition names the subnet, its zone id and the zones offered
    const text = (error ?? '').replace(/\s*\n[\s│]*/g, ' ');
    expect(text).toContain('Resource precondition failed');
    expect(text).toContain(
      'subnet_ids: subnet-0222222222222222c (euw2-az3) is in availability zones that endpoint service default-0 does not offer (it offers zone ids euw2-az1, euw2-az2)',
    );
  });
});
