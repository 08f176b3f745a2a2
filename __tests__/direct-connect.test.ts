import { TerraformVariable } from 'cdktf';
import { DirectConnectAttachment, DirectConnectAttachmentProps, DirectConnectSettings } from '../constructs/direct-connect';
import { synthObject, testStack } from './support/stack';

const VIF = {
  connectionId: 'dxcon-fgexampl',
  vlan: 101,
  bgpAsn: 65010,
  amazonAddress: '169.254.100.1/30',
  customerAddress: '169.254.100.2/30',
};
const CONFIG = 'local.dx_config';

function build(settings: DirectConnectSettings, props: Partial<DirectConnectAttachmentProps> = {}) {
  const stack = testStack();
  new DirectConnectAttachment(stack, 'dx', {
    name: 'fix',
    vpcId: 'vpc-01111111111111111',
    settings,
    routeTables: { a: 'rtb-0aaaaaaaaaaaaaaaa', b: 'rtb-0bbbbbbbbbbbbbbbb' },
    targetIps: ['192.0.2.10', '198.51.100.20'],
    ...props,
  });
  return synthObject(stack);
}

// Terraform decides which resources exist (count / for_each over one settings
// object), so these tests check the settings and the conditions; the real
// plans (terraform-plan.test.ts, modules.test.ts) check the outcome.
describe('DirectConnectAttachment', () => {
  test('renders plain settings in the module variable shape', () => {
    const json = build({ amazonSideAsn: 64600, privateVif: VIF, dxGatewayId: '5f1c4e1e-0000-4000-8000-000000000000' });
    expect(json.locals.dx_config).toEqual({
      amazon_side_asn: 64600,
      dx_gateway: { id: '5f1c4e1e-0000-4000-8000-000000000000' },
      routing: 'propagate',
      private_vif: {
        connection_id: 'dxcon-fgexampl',
        vlan: 101,
        bgp_asn: 65010,
        amazon_address: '169.254.100.1/30',
        customer_address: '169.254.100.2/30',
        mtu: 1500,
      },
    });
  });

  test('creates a VGW on the VPC unless an existing one is given', () => {
    const vgw = build({}).resource.aws_vpn_gateway.dx_vgw;
    expect(vgw).toMatchObject({
      vpc_id: 'vpc-01111111111111111',
      amazon_side_asn: `\${coalesce(try(${CONFIG}.amazon_side_asn, null), 64512)}`,
      count: `\${${CONFIG} != null && !(false) ? 1 : 0}`,
    });
    expect(build({}).locals.dx_vgw_id).toBe(
      `\${${CONFIG} != null ? (false ? ${CONFIG}.existing_vgw.id : one(aws_vpn_gateway.dx_vgw[*].id)) : null}`,
    );
    expect(build({ existingVgwId: 'vgw-0123456789abcdef0' }).resource.aws_vpn_gateway.dx_vgw.count).toBe(
      `\${${CONFIG} != null && !(true) ? 1 : 0}`,
    );
  });

  test('attaches an existing VGW to the VPC when asked (a VPC created here), before routes use it', () => {
    const json = build({ existingVgwId: 'vgw-0123456789abcdef0', attachExistingVgw: true });
    expect(json.locals.dx_config).toMatchObject({ existing_vgw: { id: 'vgw-0123456789abcdef0', attach: true } });
    expect(json.resource.aws_vpn_gateway_attachment.dx_vgw_attachment).toMatchObject({
      count: `\${${CONFIG} != null && true && try(${CONFIG}.existing_vgw.attach, false) ? 1 : 0}`,
      vpc_id: 'vpc-01111111111111111',
      vpn_gateway_id: `\${try(${CONFIG}.existing_vgw.id, "")}`,
    });
    for (const [type, name] of [
      ['aws_vpn_gateway_route_propagation', 'dx_route_propagation'],
      ['aws_route', 'dx_target_route'],
      ['aws_dx_gateway_association', 'dx_dx_gateway_association'],
    ]) {
      expect(json.resource[type][name].depends_on).toEqual(['aws_vpn_gateway_attachment.dx_vgw_attachment']);
    }
  });

  test('fails when an existing VGW is to be attached but none is given', () => {
    expect(() => build({ attachExistingVgw: true })).toThrow('directConnect.attachExistingVgw: needs existingVgwId');
  });

  test('the private VIF attaches to the Direct Connect gateway when there is one, else to the VGW', () => {
    const vif = build({ privateVif: VIF }).resource.aws_dx_private_virtual_interface.dx_private_vif;
    expect(vif).toMatchObject({
      count: '${true ? 1 : 0}',
      address_family: 'ipv4',
      connection_id: `\${try(${CONFIG}.private_vif.connection_id, "")}`,
      dx_gateway_id: `\${try(${CONFIG}.dx_gateway.id, null)}`,
      vpn_gateway_id: '${false ? null : local.dx_vgw_id}',
    });
  });

  test('hosted VIF accepter and gateway association are switched by their settings', () => {
    const r = build({ hostedVifId: 'dxvif-ffhhk74f' }, { allowedPrefixes: ['10.42.0.0/24'] }).resource;
    expect(r.aws_dx_hosted_private_virtual_interface_accepter.dx_hosted_vif_accepter).toMatchObject({
      count: '${true ? 1 : 0}',
      virtual_interface_id: `\${try(${CONFIG}.hosted_vif.id, "")}`,
    });
    expect(r.aws_dx_gateway_association.dx_dx_gateway_association).toMatchObject({
      count: '${false ? 1 : 0}',
      associated_gateway_id: '${local.dx_vgw_id}',
      allowed_prefixes: ['10.42.0.0/24'],
    });
  });

  test('routes: propagation into every route table, or one static route per table and target', () => {
    const json = build({ routing: 'static' });
    expect(json.locals.dx_route_tables).toEqual({ a: 'rtb-0aaaaaaaaaaaaaaaa', b: 'rtb-0bbbbbbbbbbbbbbbb' });
    expect(json.locals.dx_target_ips).toEqual(['192.0.2.10', '198.51.100.20']);
    expect(json.resource.aws_vpn_gateway_route_propagation.dx_route_propagation.for_each).toBe(
      `\${${CONFIG} != null && try(${CONFIG}.routing, "propagate") == "propagate" ? local.dx_route_tables : tomap({})}`,
    );
    expect(json.resource.aws_route.dx_target_route).toMatchObject({
      destination_cidr_block: '${each.value.ip}/32',
      gateway_id: '${local.dx_vgw_id}',
      route_table_id: '${local.dx_route_tables[each.value.table]}',
    });
  });

  test('takes the module variable as settings', () => {
    const stack = testStack();
    const dx = new TerraformVariable(stack, 'direct_connect', { type: 'any' });
    new DirectConnectAttachment(stack, 'dx', {
      name: 'fix',
      vpcId: 'vpc-01111111111111111',
      settings: dx.value,
      routeTables: {},
      targetIps: [],
    });
    expect(synthObject(stack).locals.dx_config).toBe('${var.direct_connect}');
  });

  test('the BGP key from a sensitive variable is written only as a reference', () => {
    const stack = testStack();
    const key = new TerraformVariable(stack, 'bgp_auth_key', { type: 'string', sensitive: true });
    new DirectConnectAttachment(stack, 'dx', {
      name: 'fix',
      vpcId: 'vpc-01111111111111111',
      settings: { privateVif: VIF },
      bgpAuthKey: key.stringValue,
      routeTables: {},
      targetIps: [],
    });
    expect(synthObject(stack).resource.aws_dx_private_virtual_interface.dx_private_vif.bgp_auth_key).toBe('${var.bgp_auth_key}');
  });

  test('fails when the BGP key is a literal', () => {
    expect(() => build({ privateVif: VIF }, { bgpAuthKey: 'hunter2' })).toThrow(
      'directConnect.privateVif.bgpAuthKey: is a literal string (got "(a literal, not shown)"); pass the key through a sensitive Terraform variable (TF_VAR_bgp_auth_key) so it never appears in the synthesized JSON',
    );
  });

  test('fails when both a private VIF and a hosted VIF are given', () => {
    expect(() => build({ privateVif: VIF, hostedVifId: 'dxvif-ffhhk74f' })).toThrow(
      'directConnect: has both privateVif and hostedVifId (got ["privateVif","hostedVifId"]); create a VIF on your own connection or accept a hosted one, not both',
    );
  });

  test('fails when the Amazon-side ASN is public', () => {
    expect(() => build({ amazonSideAsn: 7224 })).toThrow('directConnect.amazonSideAsn: is not a private ASN (got 7224)');
  });

  test('fails when the BGP peers are the same address', () => {
    expect(() => build({ privateVif: { ...VIF, customerAddress: '169.254.100.1/30' } })).toThrow(
      'directConnect.privateVif.customerAddress: is the same address as amazon_address (got "169.254.100.1/30")',
    );
  });

  test('fails when a BGP peer is a public address', () => {
    expect(() => build({ privateVif: { ...VIF, amazonAddress: '198.51.100.1/30', customerAddress: '198.51.100.2/30' } })).toThrow(
      'directConnect.privateVif.amazonAddress: is not a link-local or private address (got "198.51.100.1/30")',
    );
  });

  test('fails when the VLAN is out of range', () => {
    expect(() => build({ privateVif: { ...VIF, vlan: 4095 } })).toThrow('directConnect.privateVif.vlan: is out of range (got 4095)');
  });
});
