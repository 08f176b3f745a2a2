import { Construct } from 'constructs';
import { TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { VpnGateway } from '@cdktf/provider-aws/lib/vpn-gateway';
import { VpnGatewayRoutePropagation } from '@cdktf/provider-aws/lib/vpn-gateway-route-propagation';
import { DxPrivateVirtualInterface } from '@cdktf/provider-aws/lib/dx-private-virtual-interface';
import { DxHostedPrivateVirtualInterfaceAccepter } from '@cdktf/provider-aws/lib/dx-hosted-private-virtual-interface-accepter';
import { DxGatewayAssociation } from '@cdktf/provider-aws/lib/dx-gateway-association';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RULES, ValidationError, check } from './private/rules';

/** A private virtual interface on a connection (or LAG) the provider account owns. */
export interface PrivateVifSpec {
  readonly connectionId: string;
  readonly vlan: number;
  /** BGP ASN of the customer router. */
  readonly bgpAsn: number;
  /** Amazon-side BGP peer address with prefix length, e.g. 169.254.100.1/30. */
  readonly amazonAddress: string;
  /** Customer-side BGP peer address with prefix length, e.g. 169.254.100.2/30. */
  readonly customerAddress: string;
  /** @default 1500 */
  readonly mtu?: number;
  /**
   * BGP MD5 key. Must be a Terraform token from a sensitive input (variable),
   * never a literal, so it is not written to the synthesized JSON.
   * @default - AWS generates a key
   */
  readonly bgpAuthKey?: string;
}

export interface DirectConnectAttachmentProps {
  /** Prefix of resource names. */
  readonly name: string;
  readonly vpcId: string;
  /**
   * Amazon-side ASN of the virtual private gateway created here.
   * @default 64512
   */
  readonly amazonSideAsn?: number;
  /**
   * Reuse a virtual private gateway already attached to the VPC instead of creating one.
   * @default - a gateway is created and attached
   */
  readonly existingVgwId?: string;
  /**
   * Attach the virtual interface to this Direct Connect gateway, and associate
   * the gateway with the VGW.
   * @default - the interface attaches to the VGW directly
   */
  readonly dxGatewayId?: string;
  /** CIDRs the Direct Connect gateway may advertise to on-premises (the VPC CIDR). */
  readonly allowedPrefixes?: readonly string[];
  /** Create a private VIF on our own connection. */
  readonly privateVif?: PrivateVifSpec;
  /** Accept a hosted private VIF a partner created for us. */
  readonly hostedVifId?: string;
  /**
   * `propagate`: the VGW propagates BGP routes into the route tables.
   * `static`: one route per target address to the VGW.
   * @default 'propagate'
   */
  readonly routing?: 'propagate' | 'static';
  /** Route tables of the NLB and NAT subnets, keyed by a name known at plan time. */
  readonly routeTables: Record<string, string>;
  /** Target addresses (for static routing), as a Terraform list expression or plain list. */
  readonly targetIps: string[];
}

/**
 * Connects the VPC to Direct Connect: a virtual private gateway (created or
 * reused), a private VIF on our own connection or an accepted hosted VIF (or
 * neither, when one already exists), an optional Direct Connect gateway
 * association, and routes to the targets.
 * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/virtualgateways.html
 */
export class DirectConnectAttachment extends Construct {
  /** The virtual private gateway the routes point at. */
  public readonly vgwId: string;

  constructor(scope: Construct, id: string, props: DirectConnectAttachmentProps) {
    super(scope, id);
    if (props.privateVif && props.hostedVifId) {
      throw new ValidationError(
        'directConnect',
        ['privateVif', 'hostedVifId'],
        'has both privateVif and hostedVifId',
        'create a VIF on your own connection or accept a hosted one, not both',
      );
    }
    if (props.existingVgwId !== undefined && props.amazonSideAsn !== undefined) {
      throw new ValidationError(
        'directConnect.amazonSideAsn',
        props.amazonSideAsn,
        'cannot be set for an existing gateway',
        'remove amazonSideAsn; the existing gateway keeps its ASN',
      );
    }
    if (props.amazonSideAsn !== undefined && !Token.isUnresolved(props.amazonSideAsn)) {
      const problem = check(RULES.amazonSideAsn, 'directConnect.amazonSideAsn', props.amazonSideAsn);
      if (problem) throw problem;
    }
    const key = props.privateVif?.bgpAuthKey;
    if (key !== undefined && !Token.isUnresolved(key)) {
      throw new ValidationError(
        'directConnect.privateVif.bgpAuthKey',
        '(a literal, not shown)',
        'is a literal string',
        'pass the key through a sensitive Terraform variable (TF_VAR_bgp_auth_key) so it never appears in the synthesized JSON',
      );
    }

    if (props.existingVgwId) {
      this.vgwId = props.existingVgwId;
    } else {
      const vgw = new VpnGateway(this, 'vgw', {
        vpcId: props.vpcId,
        amazonSideAsn: String(props.amazonSideAsn ?? 64512),
        tags: { Name: `${props.name}-vgw` },
      });
      this.vgwId = vgw.id;
    }

    // The VIF attaches to the Direct Connect gateway when there is one, else to the VGW.
    const attachTo = props.dxGatewayId ? { dxGatewayId: props.dxGatewayId } : { vpnGatewayId: this.vgwId };
    if (props.privateVif) {
      const vif = props.privateVif;
      new DxPrivateVirtualInterface(this, 'private-vif', {
        name: `${props.name}-vif`,
        connectionId: vif.connectionId,
        vlan: vif.vlan,
        addressFamily: 'ipv4',
        bgpAsn: vif.bgpAsn,
        amazonAddress: vif.amazonAddress,
        customerAddress: vif.customerAddress,
        bgpAuthKey: vif.bgpAuthKey,
        mtu: vif.mtu ?? 1500,
        ...attachTo,
        tags: { Name: `${props.name}-vif` },
      });
    }
    if (props.hostedVifId) {
      new DxHostedPrivateVirtualInterfaceAccepter(this, 'hosted-vif-accepter', {
        virtualInterfaceId: props.hostedVifId,
        ...attachTo,
        tags: { Name: `${props.name}-hosted-vif` },
      });
    }
    if (props.dxGatewayId) {
      new DxGatewayAssociation(this, 'dx-gateway-association', {
        dxGatewayId: props.dxGatewayId,
        associatedGatewayId: this.vgwId,
        allowedPrefixes: props.allowedPrefixes ? [...props.allowedPrefixes] : undefined,
      });
    }

    if ((props.routing ?? 'propagate') === 'propagate') {
      const it = TerraformIterator.fromMap(props.routeTables);
      new VpnGatewayRoutePropagation(this, 'route-propagation', {
        forEach: it,
        routeTableId: it.value,
        vpnGatewayId: this.vgwId,
      });
    } else {
      // One route per (route table, target address); keys are known at plan time.
      const tables = new TerraformLocal(this, 'route-tables', props.routeTables);
      const ips = new TerraformLocal(this, 'target-ips', props.targetIps);
      const pairs = Token.asAnyMap(
        `\${{ for pair in setproduct(keys(${tables.fqn}), distinct(${ips.fqn})) : format("%s %s", pair[0], pair[1]) => { table = pair[0], ip = pair[1] } }}`,
      );
      const it = TerraformIterator.fromMap(pairs);
      new Route(this, 'target-route', {
        forEach: it,
        routeTableId: `\${${tables.fqn}[each.value.table]}`,
        destinationCidrBlock: '${each.value.ip}/32',
        gatewayId: this.vgwId,
      });
    }
  }
}
