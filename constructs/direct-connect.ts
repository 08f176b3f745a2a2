import { Construct } from 'constructs';
import { DataResource, IResolvable, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { VpnGateway } from '@cdktf/provider-aws/lib/vpn-gateway';
import { VpnGatewayAttachment } from '@cdktf/provider-aws/lib/vpn-gateway-attachment';
import { VpnGatewayRoutePropagation } from '@cdktf/provider-aws/lib/vpn-gateway-route-propagation';
import { DxPrivateVirtualInterface } from '@cdktf/provider-aws/lib/dx-private-virtual-interface';
import { DxHostedPrivateVirtualInterfaceAccepter } from '@cdktf/provider-aws/lib/dx-hosted-private-virtual-interface-accepter';
import { DxGatewayAssociation } from '@cdktf/provider-aws/lib/dx-gateway-association';
import { Route } from '@cdktf/provider-aws/lib/route';
import { checkOneOf, checkPeerAddresses } from './private/checks';
import { isPlain, isPlainString, refuseTemplates } from './props-check';
import { RULES, ValidationError, check, keyField } from './private/rules';

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
}

/**
 * What to connect, as plain values (ids may be tokens of resources created
 * in the same apply). Rendered in the shape of the VPC module's
 * `direct_connect` variable, where each optional part is an object.
 */
export interface DirectConnectSettings {
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
   * Attach `existingVgwId` to the VPC (for a VPC created in the same stack);
   * otherwise it must already be attached.
   * @default false
   */
  readonly attachExistingVgw?: boolean;
  /**
   * Attach the virtual interface to this Direct Connect gateway, and associate
   * the gateway with the VGW.
   * @default - the interface attaches to the VGW directly
   */
  readonly dxGatewayId?: string;
  /** Create a private VIF on our own connection. @default - none */
  readonly privateVif?: PrivateVifSpec;
  /** Accept a hosted private VIF a partner created for us. @default - none */
  readonly hostedVifId?: string;
  /**
   * `propagate`: the VGW propagates BGP routes into the route tables.
   * `static`: one route per target address to the VGW.
   * @default 'propagate'
   */
  readonly routing?: 'propagate' | 'static';
}

export interface DirectConnectAttachmentProps {
  /** Prefix of resource names. */
  readonly name: string;
  readonly vpcId: string;
  /**
   * Plain settings (validated here), or a Terraform expression of the
   * module's `direct_connect` object type; `null` there turns the whole
   * attachment off.
   */
  readonly settings: DirectConnectSettings | IResolvable;
  /**
   * BGP MD5 key of a private VIF. Must be a Terraform token from a sensitive
   * input (variable), never a literal, so it is not written to the JSON.
   * @default - AWS generates a key
   */
  readonly bgpAuthKey?: string;
  /** CIDRs the Direct Connect gateway may advertise to on-premises (the VPC CIDR). */
  readonly allowedPrefixes?: readonly string[];
  /** Route tables of the NLB and NAT subnets, keyed by a name known at plan time. */
  readonly routeTables: Record<string, string>;
  /** Target addresses (for static routing), as a Terraform list expression or plain list. */
  readonly targetIps: string[];
  /**
   * HCL boolean expression (the module's deletion_protection): when true, a
   * `terraform_data` guard with `prevent_destroy`, replaced with it, on each
   * of the gateway, the VIF, the hosted VIF accepter and the Direct Connect
   * gateway association created here, so that no plan destroys or replaces
   * the link. (Lifecycle arguments cannot be variables.)
   * @default - no guard
   */
  readonly deletionGuard?: string;
}

/**
 * Connects the VPC to Direct Connect: a virtual private gateway (created or
 * reused), a private VIF on our own connection or an accepted hosted VIF (or
 * neither, when one already exists), an optional Direct Connect gateway
 * association, and routes to the targets. Every choice is made by Terraform
 * (`count` / `for_each`) from one settings object, so plain values and the
 * module's variable take the same code path.
 * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/virtualgateways.html
 */
export class DirectConnectAttachment extends Construct {
  /** The virtual private gateway the routes point at (null when the attachment is off). */
  public readonly vgwId: string;
  /** HCL expression (no `${}`): true when a private VIF is created here; known at plan. */
  public readonly createsPrivateVif: string;
  /** Whether a private VIF is created here, when the settings are plain. */
  public readonly createsPrivateVifPlain?: boolean;
  /** HCL expression: the created private VIF's id, or "" (never null: it goes into string templates). */
  public readonly privateVifIdRef: string;
  /** HCL expression: the id of the connection the private VIF is on, or "". */
  public readonly connectionIdRef: string;
  /** HCL reference of the private VIF resource (a list of zero or one). */
  public readonly privateVifFqn: string;

  constructor(scope: Construct, id: string, props: DirectConnectAttachmentProps) {
    super(scope, id);
    refuseTemplates({ ...props, settings: undefined });
    refuseTemplates(props.settings, 'directConnect');
    validateIds(props);
    if (props.bgpAuthKey !== undefined && !Token.isUnresolved(props.bgpAuthKey)) {
      throw new ValidationError(
        'directConnect.privateVif.bgpAuthKey',
        '(a literal, not shown)',
        'is a literal string',
        'pass the key through a sensitive Terraform variable (TF_VAR_bgp_auth_key) so it never appears in the synthesized JSON',
      );
    }
    const settings = Token.isUnresolved(props.settings) ? props.settings : renderSettings(props.settings as DirectConnectSettings);
    if (!Token.isUnresolved(props.settings))
      this.createsPrivateVifPlain = (props.settings as DirectConnectSettings).privateVif !== undefined;
    const s = new TerraformLocal(this, 'config', settings).fqn;
    // Absent settings read as null. A resource whose count is 0 is still
    // validated by the provider: its required arguments fall back to
    // placeholders the provider accepts (a VLAN of 1, a private ASN).
    const at = (field: string, fallback = 'null') => `try(${s}.${field}, ${fallback})`;
    const on = `${s} != null`;

    // Each optional part is an object (existing_vgw = { id, attach }) whose
    // presence, not its id, decides the count: an id created in the same
    // apply is unknown at plan, an object holding it is not null.
    // (Plain settings decide at synth; try() of a value holding an unknown
    // is itself unknown, so the module's variable is read without it.)
    const plainParts = Token.isUnresolved(props.settings) ? undefined : (settings as Record<string, unknown>);
    const has = (part: string) => (plainParts ? String(plainParts[part] !== undefined) : `(${s} == null ? false : ${s}.${part} != null)`);
    const vgw = new VpnGateway(this, 'vgw', {
      count: Token.asNumber(`\${${on} && !(${has('existing_vgw')}) ? 1 : 0}`),
      vpcId: props.vpcId,
      // (a module's optional attribute is null, which try() passes through)
      amazonSideAsn: `\${coalesce(${at('amazon_side_asn')}, 64512)}`,
      tags: { Name: `${props.name}-vgw` },
    });
    // An existing gateway is attached here only when asked (a VPC created in
    // this stack); routes and associations wait for the attachment.
    const attachment = new VpnGatewayAttachment(this, 'vgw-attachment', {
      count: Token.asNumber(`\${${on} && ${has('existing_vgw')} && ${at('existing_vgw.attach', 'false')} ? 1 : 0}`),
      vpcId: props.vpcId,
      vpnGatewayId: `\${${at('existing_vgw.id', '""')}}`,
    });
    const vgwId = new TerraformLocal(
      this,
      'vgw-id',
      `\${${on} ? (${has('existing_vgw')} ? ${s}.existing_vgw.id : one(${vgw.fqn}[*].id)) : null}`,
    );
    this.vgwId = vgwId.asString;

    // The VIF attaches to the Direct Connect gateway when there is one, else to the VGW.
    const dxGateway = `\${${at('dx_gateway.id')}}`;
    const vpnGateway = `\${${has('dx_gateway')} ? null : ${vgwId.fqn}}`;
    this.createsPrivateVif = has('private_vif');
    // The VIF and the accepter attach to the gateway: after it is attached to the VPC.
    const vif = new DxPrivateVirtualInterface(this, 'private-vif', {
      dependsOn: [attachment],
      count: Token.asNumber(`\${${this.createsPrivateVif} ? 1 : 0}`),
      name: `${props.name}-vif`,
      connectionId: `\${${at('private_vif.connection_id', '""')}}`,
      vlan: Token.asNumber(`\${${at('private_vif.vlan', '1')}}`),
      addressFamily: 'ipv4',
      bgpAsn: Token.asNumber(`\${${at('private_vif.bgp_asn', '65000')}}`),
      amazonAddress: `\${${at('private_vif.amazon_address')}}`,
      customerAddress: `\${${at('private_vif.customer_address')}}`,
      bgpAuthKey: props.bgpAuthKey,
      mtu: Token.asNumber(`\${${at('private_vif.mtu', '1500')}}`),
      dxGatewayId: dxGateway,
      vpnGatewayId: vpnGateway,
      tags: { Name: `${props.name}-vif` },
    });
    this.privateVifIdRef = `try(${vif.fqn}[0].id, "")`;
    this.privateVifFqn = vif.fqn;
    this.connectionIdRef = at('private_vif.connection_id', '""');
    const accepter = new DxHostedPrivateVirtualInterfaceAccepter(this, 'hosted-vif-accepter', {
      dependsOn: [attachment],
      count: Token.asNumber(`\${${has('hosted_vif')} ? 1 : 0}`),
      virtualInterfaceId: `\${${at('hosted_vif.id', '""')}}`,
      dxGatewayId: dxGateway,
      vpnGatewayId: vpnGateway,
      tags: { Name: `${props.name}-hosted-vif` },
    });
    const association = new DxGatewayAssociation(this, 'dx-gateway-association', {
      dependsOn: [attachment],
      count: Token.asNumber(`\${${has('dx_gateway')} ? 1 : 0}`),
      dxGatewayId: `\${${at('dx_gateway.id', '""')}}`,
      associatedGatewayId: vgwId.asString,
      allowedPrefixes: props.allowedPrefixes ? [...props.allowedPrefixes] : undefined,
    });

    if (props.deletionGuard !== undefined) {
      // One guard per part, so that adding a part later creates a guard and replaces none.
      for (const [id, part] of Object.entries({
        vgw,
        'private-vif': vif,
        'hosted-vif-accepter': accepter,
        'dx-gateway-association': association,
      })) {
        new DataResource(this, `${id}-guard`, {
          count: Token.asNumber(`\${${props.deletionGuard} ? length(${part.fqn}) : 0}`),
          triggersReplace: { id: `\${${part.fqn}[count.index].id}` },
          lifecycle: { preventDestroy: true },
        });
      }
    }

    const routing = at('routing', '"propagate"');
    const tables = new TerraformLocal(this, 'route-tables', props.routeTables);
    const propagated = TerraformIterator.fromMap(Token.asStringMap(`\${${on} && ${routing} == "propagate" ? ${tables.fqn} : tomap({})}`));
    new VpnGatewayRoutePropagation(this, 'route-propagation', {
      dependsOn: [attachment],
      forEach: propagated,
      routeTableId: propagated.value,
      vpnGatewayId: vgwId.asString,
    });
    // One route per (route table, target address); keys are known at plan time.
    const ips = new TerraformLocal(this, 'target-ips', props.targetIps);
    const pairs = Token.asAnyMap(
      `\${${on} && ${routing} == "static" ? { for pair in setproduct(keys(${tables.fqn}), distinct(${ips.fqn})) : format("%s %s", pair[0], pair[1]) => { table = pair[0], ip = pair[1] } } : {}}`,
    );
    const routeIt = TerraformIterator.fromMap(pairs);
    new Route(this, 'target-route', {
      dependsOn: [attachment],
      forEach: routeIt,
      routeTableId: `\${${tables.fqn}[each.value.table]}`,
      destinationCidrBlock: '${each.value.ip}/32',
      gatewayId: vgwId.asString,
    });
  }
}

/** Checks plain settings and renders them in the module's snake_case shape. */
function renderSettings(settings: DirectConnectSettings): Record<string, unknown> {
  if (settings.privateVif && settings.hostedVifId) {
    throw new ValidationError(
      'directConnect',
      ['privateVif', 'hostedVifId'],
      'has both privateVif and hostedVifId',
      'create a VIF on your own connection or accept a hosted one, not both',
    );
  }
  if (settings.existingVgwId !== undefined && settings.amazonSideAsn !== undefined) {
    throw new ValidationError(
      'directConnect.amazonSideAsn',
      settings.amazonSideAsn,
      'cannot be set for an existing gateway',
      'remove amazonSideAsn; the existing gateway keeps its ASN',
    );
  }
  if (settings.attachExistingVgw && settings.existingVgwId === undefined) {
    throw new ValidationError(
      'directConnect.attachExistingVgw',
      true,
      'needs existingVgwId',
      'give the id of the gateway to attach, or leave attachExistingVgw out to create a gateway',
    );
  }
  if (settings.amazonSideAsn !== undefined) {
    const problem = check(RULES.amazonSideAsn, 'directConnect.amazonSideAsn', settings.amazonSideAsn);
    if (problem) throw problem;
  }
  const plainString = (v: unknown): v is string => typeof v === 'string' && isPlain(v);
  const idProblem =
    (plainString(settings.existingVgwId) ? check(RULES.vgwId, 'directConnect.existingVgwId', settings.existingVgwId) : undefined) ??
    (plainString(settings.dxGatewayId) ? check(RULES.dxGatewayId, 'directConnect.dxGatewayId', settings.dxGatewayId) : undefined) ??
    (plainString(settings.hostedVifId) ? check(RULES.hostedVifId, 'directConnect.hostedVifId', settings.hostedVifId) : undefined) ??
    (plainString(settings.privateVif?.connectionId)
      ? check(RULES.dxConnectionId, 'directConnect.privateVif.connectionId', settings.privateVif.connectionId)
      : undefined) ??
    (plainString(settings.routing) ? checkOneOf('directConnect.routing', settings.routing, ['propagate', 'static']) : undefined);
  if (idProblem) throw idProblem;
  const vif = settings.privateVif;
  if (vif) {
    const at = 'directConnect.privateVif';
    const plain = (v: unknown) => !Token.isUnresolved(v);
    const problem =
      (plain(vif.vlan) ? check(RULES.vlan, `${at}.vlan`, vif.vlan) : undefined) ??
      (plain(vif.bgpAsn) ? check(RULES.bgpAsn, `${at}.bgpAsn`, vif.bgpAsn) : undefined) ??
      (vif.mtu !== undefined && plain(vif.mtu) ? check(RULES.mtu, `${at}.mtu`, vif.mtu) : undefined) ??
      (plain(vif.amazonAddress) && plain(vif.customerAddress)
        ? checkPeerAddresses(vif.amazonAddress, vif.customerAddress, `${at}.amazonAddress`, `${at}.customerAddress`)
        : undefined);
    if (problem) throw problem;
  }
  const rendered: Record<string, unknown> = {
    amazon_side_asn: settings.amazonSideAsn,
    existing_vgw:
      settings.existingVgwId === undefined ? undefined : { id: settings.existingVgwId, attach: settings.attachExistingVgw ?? false },
    dx_gateway: settings.dxGatewayId === undefined ? undefined : { id: settings.dxGatewayId },
    hosted_vif: settings.hostedVifId === undefined ? undefined : { id: settings.hostedVifId },
    routing: settings.routing ?? 'propagate',
    private_vif: vif && {
      connection_id: vif.connectionId,
      vlan: vif.vlan,
      bgp_asn: vif.bgpAsn,
      amazon_address: vif.amazonAddress,
      customer_address: vif.customerAddress,
      mtu: vif.mtu ?? 1500,
    },
  };
  // Absent keys read as null through try(); cdktf cannot write a null.
  return Object.fromEntries(Object.entries(rendered).filter(([, v]) => v !== undefined));
}

/** The plain ids among the props (not the settings): each of its AWS shape. */
function validateIds(props: DirectConnectAttachmentProps): void {
  const plain = isPlainString;
  const list = <T>(items: readonly T[] | undefined, each: (item: T, i: number) => ValidationError | undefined) =>
    items === undefined || Token.isUnresolved(items) ? undefined : items.map(each).find(Boolean);
  const problem =
    (plain(props.vpcId) ? check(RULES.vpcId, 'vpcId', props.vpcId) : undefined) ??
    (Token.isUnresolved(props.routeTables)
      ? undefined
      : Object.entries(props.routeTables)
          .map(([key, id]) => (plain(id) ? check(RULES.routeTableId, keyField('routeTables', key), id) : undefined))
          .find(Boolean)) ??
    list(props.targetIps, (ip, i) => (plain(ip) ? check(RULES.targetIp, `targetIps[${i}]`, ip) : undefined)) ??
    list(props.allowedPrefixes, (cidr, i) => (plain(cidr) ? check(RULES.cidr, `allowedPrefixes[${i}]`, cidr) : undefined));
  if (problem) throw problem;
}
