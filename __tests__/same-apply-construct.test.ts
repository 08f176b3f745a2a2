/**
 * A cdktf app whose own VPC constructs feed ours: every id the provider
 * construct takes (VPC, subnets, route tables, S3 gateway endpoint, VGW,
 * Direct Connect gateway, SNS topic) is a token of a resource created in
 * the same apply, unknown until then. The real provider must plan it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpnGateway } from '@cdktf/provider-aws/lib/vpn-gateway';
import { DxGateway } from '@cdktf/provider-aws/lib/dx-gateway';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { DxStack } from '../constructs/dx-stack';
import { DxPrivateLinkProvider } from '../constructs/dx-privatelink-provider';
import { EXAMPLE_FORWARDS } from './support/stack';
import { Plan, initValidatePlan, resourcesOfType, writeOfflineProviderOverride } from './support/terraform';

const ZONES = ['eu-west-2a', 'eu-west-2b'];

function sameApplyApp(outdir: string): string {
  const app = new App({ outdir, skipValidation: true });
  const stack = new DxStack(app, 'own-vpc', { region: 'eu-west-2', accountId: '111111111111' });
  const vpc = new Vpc(stack, 'app-vpc', { cidrBlock: '10.42.0.0/24', enableDnsSupport: true, enableDnsHostnames: true });
  const subnets = ZONES.map(
    (az, i) => new Subnet(stack, `app-subnet-${i}`, { vpcId: vpc.id, availabilityZone: az, cidrBlock: `10.42.0.${i * 64}/26` }),
  );
  const tables = subnets.map((s, i) => {
    const table = new RouteTable(stack, `app-rt-${i}`, { vpcId: vpc.id });
    new RouteTableAssociation(stack, `app-rta-${i}`, { subnetId: s.id, routeTableId: table.id });
    return table;
  });
  const s3 = new VpcEndpoint(stack, 'app-s3', {
    vpcId: vpc.id,
    serviceName: 'com.amazonaws.eu-west-2.s3',
    vpcEndpointType: 'Gateway',
    routeTableIds: tables.map((t) => t.id),
  });
  const vgw = new VpnGateway(stack, 'app-vgw', { amazonSideAsn: '64620' });
  const dxGateway = new DxGateway(stack, 'app-dxgw', { name: 'app-dxgw', amazonSideAsn: '64630' });
  const topic = new SnsTopic(stack, 'app-topic', { name: 'app-alarms' });
  new DxPrivateLinkProvider(stack, 'dxpl', {
    name: 'fix-gw',
    region: 'eu-west-2',
    accountId: '111111111111',
    existingVpc: {
      vpcId: vpc.id,
      cidr: vpc.cidrBlock,
      subnetIds: Object.fromEntries(ZONES.map((az, i) => [az, subnets[i].id] as const)),
      routeTableIds: tables.map((t) => t.id),
      s3PrefixListId: s3.prefixListId,
    },
    directConnect: {
      existingVgwId: vgw.id,
      attachExistingVgw: true,
      dxGatewayId: dxGateway.id,
      privateVif: {
        connectionId: 'dxcon-fgexampl',
        vlan: 101,
        bgpAsn: 65010,
        amazonAddress: '169.254.100.1/30',
        customerAddress: '169.254.100.2/30',
      },
      routing: 'static',
    },
    forwards: EXAMPLE_FORWARDS,
    allowedPrincipals: ['arn:aws:iam::222222222222:root'],
    monitoring: { topicArn: topic.arn, emails: ['noc@example.com'] },
  });
  app.synth();
  return path.join(outdir, 'stacks', 'own-vpc');
}

let tmp: string;
let plan: Plan;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-same-apply-'));
  const dir = sameApplyApp(tmp);
  writeOfflineProviderOverride(dir, undefined);
  plan = initValidatePlan(dir, {}, { validate: false });
}, 240000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a cdktf app whose own VPC, gateways and topic feed the provider construct', () => {
  test('plans with the real provider: the VGW, Direct Connect gateway and topic are the app’s, none is made again', () => {
    expect(resourcesOfType(plan, 'aws_vpn_gateway').map((r) => r.address)).toEqual(['aws_vpn_gateway.app_vgw']);
    expect(resourcesOfType(plan, 'aws_sns_topic').map((r) => r.address)).toEqual(['aws_sns_topic.app_topic']);
    expect(resourcesOfType(plan, 'aws_vpn_gateway_attachment')).toHaveLength(1);
    expect(resourcesOfType(plan, 'aws_dx_gateway_association')).toHaveLength(1);
    expect(resourcesOfType(plan, 'aws_dx_private_virtual_interface')).toHaveLength(1);
  });

  test('one static route per route table and target, and one S3 egress rule for the NAT fleet', () => {
    const targets = new Set(Object.values(EXAMPLE_FORWARDS).map((f) => f.targetIp));
    expect(resourcesOfType(plan, 'aws_route')).toHaveLength(ZONES.length * targets.size);
    const s3 = resourcesOfType(plan, 'aws_vpc_security_group_egress_rule').filter((r) => r.name.endsWith('egress_s3'));
    expect(s3).toHaveLength(1);
  });

  test('flow logs on each subnet, and the NAT fleet and NLBs in the app’s subnets', () => {
    expect(resourcesOfType(plan, 'aws_flow_log')).toHaveLength(ZONES.length);
    expect(resourcesOfType(plan, 'aws_autoscaling_group')).toHaveLength(1);
    expect(resourcesOfType(plan, 'aws_lb')).toHaveLength(1);
  });
});
