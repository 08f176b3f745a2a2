import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate, moduleDocument } from '../modules/generate';
import { applyFromPlan } from './support/applied-state';
import { missingHops } from './support/flows';
import { examplePlan } from './support/example';
import { FakeAws, fakeSubnetOf, startFakeAws } from './support/fake-aws';
import { consumerModule, forwardsOfTenant, hclForwards, moduleRoot, networkModule, serviceRoot } from './support/module-roots';
import { alarmsByKind, monitoringOfPlan, planOfModule } from './support/plan-monitoring';
import { Plan, planInParallel, readPlan, resourcesOfType } from './support/terraform';

// The generated modules, called from HCL roots outside this repository,
// planned by real Terraform against the real AWS provider, offline. (The
// examples/ roots and the READMEs' blocks: module-examples.test.ts.)

let tmp: string;
const plans: Record<string, Plan> = {};
let roots: Record<string, string> = {};

const SERVICE_MODULE_JSON = moduleDocument('dx-privatelink-service');
const VPC_MODULE_JSON = moduleDocument('dx-privatelink-vpc');

const FORWARDS_OF_INTERNAL = forwardsOfTenant('internal');

// The example roots and the option roots are planned in parallel, each in its own process.
let aws: FakeAws;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-modules-'));
  aws = await startFakeAws({ defaultSubnet: fakeSubnetOf });
  process.env.DXPL_FAKE_AWS_URL = aws.url;
  serviceRoot(path.join(tmp, 'agreement'), hclForwards(FORWARDS_OF_INTERNAL));
  // The Direct Connect options the examples do not show, through the VPC
  // module: routes to the service module's target addresses, as documented.
  serviceRoot(
    path.join(tmp, 'hosted-static'),
    hclForwards(FORWARDS_OF_INTERNAL),
    `{
    hosted_vif     = { id = "dxvif-ffhhk74f" }
    dx_gateway     = { id = "5f1c4e1e-0000-4000-8000-000000000000" }
    routing        = "static"
  }`,
    '{ instance_type = "c6in.large", architecture = "x86_64", ami_id = "ami-0123456789abcdef0", max_instance_lifetime_days = 7 }',
    `  monitoring          = { topic_arn = "arn:aws:sns:eu-west-2:111111111111:noc-alarms", emails = ["noc@example.com"], dashboard = false }
  deletion_protection = false`,
    `  static_targets      = module.service.target_ips
  deletion_protection = false
  monitoring = { topic_arn = "arn:aws:sns:eu-west-2:111111111111:noc-alarms", emails = ["noc@example.com"] }
  flow_logs  = { destination = "s3", s3_bucket_arn = "arn:aws:s3:::acme-flow-logs/dx/" }`,
  );
  serviceRoot(
    path.join(tmp, 'existing-vgw'),
    hclForwards(FORWARDS_OF_INTERNAL),
    `{
    existing_vgw = { id = "vgw-0123456789abcdef0", attach = true }
    private_vif  = { connection_id = "dxcon-fgexampl", vlan = 101, bgp_asn = 65010, amazon_address = "169.254.7.0/31", customer_address = "169.254.7.1/31", mtu = 9001 }
  }`,
  );
  // One root for three more options (one init and provider for all): a VGW
  // only (no VIF yet), a hosted VIF on the VPC module's own VGW (no Direct
  // Connect gateway), consumer subnets in exactly the zones the service
  // offers. And a root whose consumer subnets are not (fake-aws.ts:
  // subnet-...a is in euw2-az1, ...b in az2, ...c in az3).
  const zoned = (label: string, zoneIds: string[], subnets: string[]) =>
    consumerModule(
      label,
      '["10.0.0.0/24"]',
      'null',
      `{ clients-0 = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0", zone_ids = ${JSON.stringify(zoneIds)}, ports = { a = 9002 } } }`,
      subnets.map((z) => `subnet-0333333333333333${z}`),
    );
  moduleRoot(
    path.join(tmp, 'options'),
    [
      networkModule('{ amazon_side_asn = 64600 }', '', { label: 'vgw_only' }),
      networkModule('{ hosted_vif = { id = "dxvif-fh0abcde" } }', '', { label: 'hosted_vgw' }),
      zoned('zones', ['euw2-az1', 'euw2-az2'], ['a', 'b']),
    ].join('\n\n'),
  );
  moduleRoot(path.join(tmp, 'zone-mismatch'), zoned('zones', ['euw2-az2'], ['a', 'b', 'c']));
  // The largest root first: the queue's tail is then the small ones.
  roots = {
    options: path.join(tmp, 'options'),
    agreement: path.join(tmp, 'agreement'),
    'hosted-static': path.join(tmp, 'hosted-static'),
    'existing-vgw': path.join(tmp, 'existing-vgw'),
  };
  await planInParallel(
    [...Object.entries(roots), ['zone-mismatch', path.join(tmp, 'zone-mismatch')]].map(([name, dir]) => ({
      dir,
      base: path.join(tmp, name),
    })),
    aws,
  );
  for (const name of Object.keys(roots)) plans[name] = readPlan(path.join(tmp, name));
  // A dozen Terraform runs on a shared machine: more than a test's two minutes.
}, 600000);
afterAll(async () => {
  delete process.env.DXPL_FAKE_AWS_URL;
  await aws.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('generated modules', () => {
  test('are current: regenerating them changes nothing', () => {
    expect(generate(true)).toEqual([]);
  });

  test.each(['agreement', 'hosted-static', 'existing-vgw'])(
    '%s: every flow has every hop, as its first apply leaves it',
    async (root) => {
      const deployed = await applyFromPlan(roots[root], plans[root].json as never);
      expect(missingHops(deployed, { region: 'eu-west-2', account: '111111111111' })).toEqual([]);
    },
    120000,
  );

  test('hosted VIF through a Direct Connect gateway, static routes, an x86_64 fleet', () => {
    const plan = plans['hosted-static'];
    expect(resourcesOfType(plan, 'aws_dx_hosted_private_virtual_interface_accepter').map((r) => r.values)).toEqual([
      expect.objectContaining({ virtual_interface_id: 'dxvif-ffhhk74f', dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000' }),
    ]);
    expect(resourcesOfType(plan, 'aws_dx_gateway_association')).toHaveLength(1);
    expect(
      resourcesOfType(plan, 'aws_route')
        .map((r) => r.values.destination_cidr_block)
        .sort(),
    ).toEqual(['172.20.5.15/32', '192.0.2.10/32', '198.51.100.20/32']);
    expect(resourcesOfType(plan, 'aws_launch_template')[0].values.image_id).toBe('ami-0123456789abcdef0');
    expect(resourcesOfType(plan, 'aws_autoscaling_group')[0].values.max_instance_lifetime).toBe(7 * 86400);
  });

  test('operations inputs: an existing topic with e-mail, no dashboard, flow logs to an S3 folder, no deletion protection (service or link)', () => {
    const plan = plans['hosted-static'];
    const service = monitoringOfPlan(planOfModule(plan, 'service'), SERVICE_MODULE_JSON);
    const network = monitoringOfPlan(planOfModule(plan, 'network'), VPC_MODULE_JSON);
    expect([...service.problems, ...network.problems]).toEqual([]);
    expect(service.counts).toEqual({
      aws_sns_topic: 0,
      aws_sns_topic_policy: 0,
      aws_sns_topic_subscription: 1,
      aws_autoscaling_notification: 1,
      aws_vpc_endpoint_connection_notification: 1,
      aws_cloudwatch_dashboard: 0,
      aws_cloudwatch_log_group: 0,
      aws_flow_log: 0,
    });
    // the VPC module: the flow logs, its own subscription to the same topic
    expect(network.counts).toMatchObject({
      aws_sns_topic: 0,
      aws_sns_topic_policy: 0,
      aws_sns_topic_subscription: 1,
      aws_cloudwatch_dashboard: 0,
      aws_cloudwatch_log_group: 0,
      aws_flow_log: 2,
    });
    expect(alarmsByKind(service.alarms)).toEqual({
      noHealthyTarget: 3,
      natPathDegraded: 2,
      fleetBelowMinimum: 1,
      connectionDown: 0,
      vifTrafficStopped: 0,
    });
    // a hosted VIF: no Direct Connect alarm (its owner watches the connection)
    expect(network.alarms).toEqual([]);
    for (const alarm of resourcesOfType(plan, 'aws_cloudwatch_metric_alarm'))
      expect(alarm.values).toMatchObject({
        alarm_actions: ['arn:aws:sns:eu-west-2:111111111111:noc-alarms'],
        ok_actions: ['arn:aws:sns:eu-west-2:111111111111:noc-alarms'],
      });
    for (const flow of resourcesOfType(plan, 'aws_flow_log'))
      expect(flow.values).toMatchObject({
        log_destination: 'arn:aws:s3:::acme-flow-logs/dx/',
        log_destination_type: 's3',
        max_aggregation_interval: 60,
      });
    expect(resourcesOfType(plan, 'aws_lb')[0].values.enable_deletion_protection).toBe(false);
    expect(resourcesOfType(plan, 'terraform_data')).toHaveLength(0);
  });

  test('operations by default: a created topic, every alarm on what it watches, the dashboard, flow logs, the service guarded', () => {
    const plan = plans.agreement;
    const service = monitoringOfPlan(planOfModule(plan, 'service'), SERVICE_MODULE_JSON);
    const network = monitoringOfPlan(planOfModule(plan, 'network'), VPC_MODULE_JSON);
    expect([...service.problems, ...network.problems]).toEqual([]);
    expect(alarmsByKind(service.alarms)).toEqual({
      noHealthyTarget: 3,
      natPathDegraded: 2,
      fleetBelowMinimum: 1,
      connectionDown: 0,
      vifTrafficStopped: 0,
    });
    // the link's alarms are the VPC module's: a VIF created there
    expect(alarmsByKind(network.alarms)).toEqual({
      noHealthyTarget: 0,
      natPathDegraded: 0,
      fleetBelowMinimum: 0,
      connectionDown: 1,
      vifTrafficStopped: 1,
    });
    expect(service.counts).toMatchObject({ aws_sns_topic: 1, aws_sns_topic_policy: 1, aws_cloudwatch_dashboard: 1, aws_flow_log: 0 });
    expect(network.counts).toMatchObject({
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_cloudwatch_dashboard: 0,
      aws_cloudwatch_log_group: 1,
      aws_flow_log: 2,
    });
    expect(resourcesOfType(plan, 'aws_lb')[0].values.enable_deletion_protection).toBe(true);
    // the service, and the link's VGW and VIF made in the VPC module
    expect(
      resourcesOfType(plan, 'terraform_data')
        .map((r) => r.address)
        .sort(),
    ).toEqual([
      'module.network.terraform_data.direct_connect_private_vif_guard[0]',
      'module.network.terraform_data.direct_connect_vgw_guard[0]',
      'module.service.terraform_data.service_guard[0]',
    ]);
  });

  test('an existing VGW attached by the module, a /31 jumbo-frame VIF, propagated routes', () => {
    const plan = plans['existing-vgw'];
    expect(resourcesOfType(plan, 'aws_vpn_gateway')).toHaveLength(0);
    expect(resourcesOfType(plan, 'aws_vpn_gateway_attachment').map((r) => r.values)).toEqual([
      expect.objectContaining({ vpc_id: 'vpc-0123456789abcdef0', vpn_gateway_id: 'vgw-0123456789abcdef0' }),
    ]);
    expect(resourcesOfType(plan, 'aws_dx_private_virtual_interface')[0].values).toMatchObject({
      mtu: 9001,
      vpn_gateway_id: 'vgw-0123456789abcdef0',
    });
    expect(resourcesOfType(plan, 'aws_vpn_gateway_route_propagation')).toHaveLength(1);
  });

  test('Direct Connect with only amazon_side_asn: a VGW with that ASN and propagated routes, no virtual interface', () => {
    const plan = plans.options;
    const of = (type: string) => resourcesOfType(plan, type).filter((r) => r.address.startsWith('module.vgw_only.'));
    expect(of('aws_vpn_gateway').map((r) => r.values)).toEqual([
      expect.objectContaining({ amazon_side_asn: '64600', vpc_id: 'vpc-0123456789abcdef0' }),
    ]);
    expect(of('aws_vpn_gateway_route_propagation').map((r) => r.values.route_table_id)).toEqual(['rtb-0aaaaaaaaaaaaaaaa']);
    const vifs = plan.resources.filter(
      (r) => r.address.startsWith('module.vgw_only.') && (r.type.startsWith('aws_dx_') || r.type === 'aws_vpn_gateway_attachment'),
    );
    expect(vifs).toEqual([]);
    // no VIF, nothing to watch on it
    const monitoring = monitoringOfPlan(planOfModule(plan, 'vgw_only'), VPC_MODULE_JSON);
    expect(monitoring.problems).toEqual([]);
    expect(monitoring.alarms).toEqual([]);
  });

  test('a hosted VIF without a Direct Connect gateway is accepted onto the VGW the module creates', () => {
    const plan = plans.options;
    const of = (type: string) => resourcesOfType(plan, type).filter((r) => r.address.startsWith('module.hosted_vgw.'));
    // no amazon_side_asn: the documented default, 64512, known at plan
    expect(of('aws_vpn_gateway').map((r) => [r.values.vpc_id, r.values.amazon_side_asn])).toEqual([['vpc-0123456789abcdef0', '64512']]);
    const [accepter, ...more] = of('aws_dx_hosted_private_virtual_interface_accepter');
    expect(more).toEqual([]);
    expect(accepter.values).toMatchObject({ virtual_interface_id: 'dxvif-fh0abcde', dx_gateway_id: null });
    // on the VGW's id, known after apply
    const change = plan.json.resource_changes.find((r) => r.address === accepter.address)?.change as { after_unknown?: object } | undefined;
    expect(change?.after_unknown).toMatchObject({ vpn_gateway_id: true });
    expect([...of('aws_dx_gateway_association'), ...of('aws_dx_private_virtual_interface')]).toEqual([]);
    expect(of('aws_vpn_gateway_route_propagation')).toHaveLength(1);
  });

  test("consumer module: subnets in the service's zones (by zone id) plan, one endpoint in them", () => {
    const endpoints = resourcesOfType(plans.options, 'aws_vpc_endpoint');
    expect(endpoints.map((r) => [r.address, r.values.subnet_ids])).toEqual([
      ['module.zones.aws_vpc_endpoint.endpoint["clients-0"]', ['subnet-0333333333333333a', 'subnet-0333333333333333b']],
    ]);
  });

  test('consumer module fails at plan when subnets are in zones the service does not offer, naming them and their zone ids', () => {
    expect(() => readPlan(path.join(tmp, 'zone-mismatch'))).toThrow();
    const error = readFileSync(path.join(tmp, 'zone-mismatch.error'), 'utf8').replace(/\s*\n\s*/g, ' ');
    expect(error).toContain('Error: Resource precondition failed');
    expect(error).toContain(
      'subnet_ids: subnet-0333333333333333a (euw2-az1), subnet-0333333333333333c (euw2-az3) are in availability zones ' +
        'that endpoint service clients-0 does not offer (it offers zone ids euw2-az2); ' +
        'use subnets in those zones (zone ids, not names, match across accounts)',
    );
  });

  test('module and cdktf stack agree: same resource types and per-forward keys for the same forwards', () => {
    // GIVEN the example config's "internal" tenant forwards, through the module
    const forwards = FORWARDS_OF_INTERNAL;
    const viaModule = plans.agreement;
    const cdktf = examplePlan('provider');
    // WHEN per-forward resources are listed as "type[forward]"
    const names = new Set(Object.keys(forwards));
    const perForward = (plan: Plan, skip: (address: string) => boolean) =>
      plan.resources
        .filter((r) => typeof r.index === 'string' && names.has(r.index) && !skip(r.address))
        .map((r) => `${r.type}[${r.index}]`)
        .sort();
    // THEN they are the same (the cdktf stack's other tenant left out: its NLB, its rules into
    // the shared NAT fleet, its alarms), alarms included
    const otherTenant = (a: string) => a.includes('tenant_clients') || a.includes('_clients_0[') || a.includes('_clients_0_');
    expect(perForward(viaModule, () => false)).toEqual(perForward(cdktf, otherTenant));
    expect(perForward(viaModule, () => false).filter((r) => r.startsWith('aws_cloudwatch_metric_alarm'))).toHaveLength(5);
    // and the resource types differ only by what the cdktf stack adds
    const types = (plan: Plan) => new Set(plan.resources.map((r) => r.type));
    const onlyCdktf = [...types(cdktf)].filter((t) => !types(viaModule).has(t)).sort();
    const onlyModule = [...types(viaModule)].filter((t) => !types(cdktf).has(t)).sort();
    expect({ onlyCdktf, onlyModule }).toEqual({
      // the VPC the cdktf stack creates (both publish NAT rules to S3; the stack also a consumer handoff)
      onlyCdktf: ['aws_route_table', 'aws_route_table_association', 'aws_subnet', 'aws_vpc', 'aws_vpc_endpoint'],
      // the module's guard of the endpoint service (lifecycle cannot read a variable; the stack sets prevent_destroy itself)
      onlyModule: ['terraform_data'],
    });
  });
});
