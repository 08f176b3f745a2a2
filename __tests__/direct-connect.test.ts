import { TerraformVariable } from 'cdktf';
import { DirectConnectAttachment, DirectConnectAttachmentProps } from '../constructs/direct-connect';
import { synthObject, testStack } from './support/stack';

const VIF = {
  connectionId: 'dxcon-fgexampl',
  vlan: 101,
  bgpAsn: 65010,
  amazonAddress: '169.254.100.1/30',
  customerAddress: '169.254.100.2/30',
};

function build(props: Partial<DirectConnectAttachmentProps> = {}) {
  const stack = testStack();
  new DirectConnectAttachment(stack, 'dx', {
    name: 'fix',
    vpcId: 'vpc-1',
    routeTables: { a: 'rtb-a', b: 'rtb-b' },
    targetIps: ['192.0.2.10', '198.51.100.20'],
    ...props,
  });
  return synthObject(stack);
}

describe('DirectConnectAttachment', () => {
  test('creates a VGW on the VPC with the Amazon-side ASN and a private VIF on it', () => {
    const json = build({ amazonSideAsn: 64600, privateVif: VIF });
    expect(json.resource.aws_vpn_gateway.dx_vgw).toMatchObject({ vpc_id: 'vpc-1', amazon_side_asn: '64600' });
    expect(json.resource.aws_dx_private_virtual_interface.dx_private_vif).toMatchObject({
      connection_id: 'dxcon-fgexampl',
      vlan: 101,
      bgp_asn: 65010,
      address_family: 'ipv4',
      amazon_address: '169.254.100.1/30',
      customer_address: '169.254.100.2/30',
      vpn_gateway_id: '${aws_vpn_gateway.dx_vgw.id}',
      mtu: 1500,
    });
  });

  test('propagates VGW routes into every route table by default', () => {
    const json = build();
    expect(json.resource.aws_vpn_gateway_route_propagation.dx_route_propagation).toMatchObject({
      for_each: { a: 'rtb-a', b: 'rtb-b' },
      route_table_id: '${each.value}',
      vpn_gateway_id: '${aws_vpn_gateway.dx_vgw.id}',
    });
  });

  test('static routing adds one route per route table and target address', () => {
    const json = build({ routing: 'static' });
    expect(json.resource.aws_vpn_gateway_route_propagation).toBeUndefined();
    expect(json.resource.aws_route.dx_target_route).toMatchObject({
      destination_cidr_block: '${each.value.ip}/32',
      gateway_id: '${aws_vpn_gateway.dx_vgw.id}',
      route_table_id: '${local.dx_route_tables[each.value.table]}',
    });
    expect(json.locals.dx_target_ips).toEqual(['192.0.2.10', '198.51.100.20']);
  });

  test('accepts a hosted VIF and attaches it to a Direct Connect gateway associated with the VGW', () => {
    const json = build({
      hostedVifId: 'dxvif-ffhhk74f',
      dxGatewayId: '5f1c4e1e-0000-4000-8000-000000000000',
      allowedPrefixes: ['10.42.0.0/24'],
    });
    expect(json.resource.aws_dx_hosted_private_virtual_interface_accepter.dx_hosted_vif_accepter).toMatchObject({
      virtual_interface_id: 'dxvif-ffhhk74f',
      dx_gateway_id: '5f1c4e1e-0000-4000-8000-000000000000',
    });
    expect(json.resource.aws_dx_gateway_association.dx_dx_gateway_association).toMatchObject({
      associated_gateway_id: '${aws_vpn_gateway.dx_vgw.id}',
      allowed_prefixes: ['10.42.0.0/24'],
    });
  });

  test('reuses an existing VGW without creating one', () => {
    const json = build({ existingVgwId: 'vgw-0123456789abcdef0' });
    expect(json.resource.aws_vpn_gateway).toBeUndefined();
    expect(json.resource.aws_vpn_gateway_route_propagation.dx_route_propagation.vpn_gateway_id).toBe('vgw-0123456789abcdef0');
  });

  test('the BGP key from a sensitive variable is written only as a reference', () => {
    const stack = testStack();
    const key = new TerraformVariable(stack, 'bgp_auth_key', { type: 'string', sensitive: true });
    new DirectConnectAttachment(stack, 'dx', {
      name: 'fix',
      vpcId: 'vpc-1',
      routeTables: {},
      targetIps: [],
      privateVif: { ...VIF, bgpAuthKey: key.stringValue },
    });
    expect(synthObject(stack).resource.aws_dx_private_virtual_interface.dx_private_vif.bgp_auth_key).toBe('${var.bgp_auth_key}');
  });

  test('fails when the BGP key is a literal', () => {
    expect(() => build({ privateVif: { ...VIF, bgpAuthKey: 'hunter2' } })).toThrow(
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
});
