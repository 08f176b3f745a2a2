import { Construct } from 'constructs';
import { IResolvable, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { checkAllowedCidrs } from './private/checks';
import { isPlainString, refuseTemplates } from './props-check';
import { rangesWithinTf } from './private/port-ranges';
import { checkQuota, quotaLimit } from './private/quotas';
import { RULES, ValidationError, check } from './private/rules';
import { SubnetZones } from './subnet-zones';

/** One endpoint service (a tenant's shard) and the forwards it serves. */
export interface ConsumedService {
  /** Stable key of the service, e.g. `internal-0`: the endpoint's for_each key. */
  readonly key: string;
  /** The endpoint service name (usually a token read from the provider's state). */
  readonly serviceName: string;
  /** Listen port per forward name. */
  readonly ports: Readonly<Record<string, number>>;
  /**
   * Region of the endpoint service, when it is not the consumer's own.
   * @default - the consumer's region
   */
  readonly serviceRegion?: string;
  /**
   * Availability zone ids the service is offered in (a Terraform list, as a token): the
   * plan fails, naming the subnets, when an endpoint subnet is in another
   * zone. Only for a service in the consumer's own region.
   * @default - not checked (AWS refuses such a subnet at apply)
   */
  readonly zoneIds?: string;
}

export interface ConsumerEndpointProps {
  /** Prefix of resource names (the consumer's name). */
  readonly name: string;
  readonly vpcId: string;
  /** One subnet per availability zone the endpoint is placed in. */
  readonly subnetIds: string[];
  /** Only these CIDRs may connect to the endpoints, and only on the forward ports. */
  readonly allowedCidrs: string[];
  /**
   * The services to connect to, as plain values (validated here) or a
   * Terraform expression of type
   * `map(object({ service_name = string, service_region = optional(string), zone_ids = optional(list(string)), ports = map(number) }))`.
   */
  readonly services: ConsumedService[] | IResolvable;
  /**
   * Private hosted zone (e.g. `fix.internal`) with one name per forward,
   * `<forward>.<zone>`, pointing at its endpoint (may be a token that is null).
   * @default - no DNS names; use the endpoint DNS names
   */
  readonly dnsZone?: string;
  /**
   * An existing private hosted zone, named `dnsZone` and associated with
   * the VPC, to put the records in (for accounts that manage their zones
   * themselves). A token may be null.
   * @default - a zone `dnsZone` is created
   */
  readonly dnsZoneId?: string;
  /**
   * The account's "rules per security group" quota (per direction).
   * @default 60
   */
  readonly securityGroupRulesQuota?: number;
  /**
   * The account's "interface endpoints per VPC" quota.
   * @default 50
   */
  readonly interfaceEndpointsQuota?: number;
}

/**
 * The consumer account's side: one interface VPC endpoint per endpoint
 * service, a security group admitting only the forward ports from the
 * listed CIDRs (the provider cannot restrict this on its side), and
 * optionally a private hosted zone with a friendly name per forward. Every
 * per-service and per-forward resource is a Terraform `for_each` over one
 * settings local, so plain values and module variables take one code path.
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
export class ConsumerEndpoint extends Construct {
  /** Endpoint DNS name per service key (a Terraform map). */
  public readonly endpointDnsNames: IResolvable;
  /** Interface endpoint id, and its security group's id, by service key; the hosted zone's id (the one created or dnsZoneId; null without a zone). */
  public readonly endpointIds: IResolvable;
  public readonly securityGroupIds: IResolvable;
  public readonly hostedZoneId: string;
  /** `host:port` per forward name (a Terraform map). */
  public readonly forwardAddresses: IResolvable;
  /** The service keys, when known at synth time. */
  public readonly serviceKeys?: string[];

  constructor(scope: Construct, id: string, props: ConsumerEndpointProps) {
    super(scope, id);
    refuseTemplates(props);
    let services: IResolvable;
    if (Token.isUnresolved(props.services)) {
      services = props.services as IResolvable;
    } else {
      const plain = props.services as ConsumedService[];
      if (plain.length === 0) {
        throw new ValidationError('services', [], 'is empty', 'give at least one endpoint service to connect to');
      }
      this.serviceKeys = plain.map((svc) => svc.key);
      services = Token.asAny(
        Object.fromEntries(
          plain.map((svc) => [
            svc.key,
            {
              service_name: svc.serviceName,
              ports: svc.ports,
              ...(svc.serviceRegion ? { service_region: svc.serviceRegion } : {}),
              ...(svc.zoneIds ? { zone_ids: svc.zoneIds } : {}),
            },
          ]),
        ),
      ) as IResolvable;
    }
    if (!Token.isUnresolved(props.allowedCidrs) && !props.allowedCidrs.some((c) => Token.isUnresolved(c))) {
      const problem = checkAllowedCidrs(props.allowedCidrs, 'allowedCidrs');
      if (problem) throw problem;
      const quotas = props.securityGroupRulesQuota ? { security_group_rules_per_direction: props.securityGroupRulesQuota } : {};
      checkQuota(
        'security_group_rules_per_direction',
        props.allowedCidrs.length,
        `the endpoint security group of ${props.name} (one rule per allowed CIDR at least)`,
        'list fewer, larger allowed_cidrs',
        quotas,
      );
    }
    if (this.serviceKeys) {
      checkQuota(
        'interface_endpoints_per_vpc',
        this.serviceKeys.length,
        `the VPC of ${props.name} (one interface endpoint per endpoint service: ${this.serviceKeys.join(', ')})`,
        'give this consumer fewer tenants, or tenants with fewer forwards (one endpoint per 50)',
        props.interfaceEndpointsQuota ? { interface_endpoints_per_vpc: props.interfaceEndpointsQuota } : {},
      );
      const forwards = (props.services as ConsumedService[]).reduce((n, svc) => n + Object.keys(svc.ports).length, 0);
      if (props.dnsZone !== undefined) {
        checkQuota(
          'records_per_hosted_zone',
          forwards + 2,
          `the private zone ${props.dnsZone} (one record per forward, SOA and NS)`,
          'split the consumer',
        );
      }
    }
    if (props.dnsZone !== undefined && !Token.isUnresolved(props.dnsZone)) {
      const problem =
        check(RULES.dnsZone, 'dnsZone', props.dnsZone) ??
        check(RULES.dnsZoneLength, 'dnsZone', props.dnsZone) ??
        check(RULES.dnsZoneNotAws, 'dnsZone', props.dnsZone);
      if (problem) throw problem;
    }
    validateIds(props);
    if (props.dnsZoneId !== undefined && props.dnsZone === undefined) {
      throw new ValidationError(
        'dnsZoneId',
        props.dnsZoneId,
        'is given without dnsZone',
        'set dnsZone to the name of that zone (the records are <forward>.<dnsZone>), or remove dnsZoneId',
      );
    }
    const svc = new TerraformLocal(this, 'services', services).fqn;
    const cidrs = new TerraformLocal(this, 'allowed-cidrs', props.allowedCidrs).fqn;
    const zone = props.dnsZone === undefined ? 'null' : new TerraformLocal(this, 'dns-zone', props.dnsZone).fqn;
    const zoneId = props.dnsZoneId === undefined ? undefined : new TerraformLocal(this, 'dns-zone-id', props.dnsZoneId).fqn;

    // One security group per endpoint: its service's ports from the listed
    // CIDRs, as contiguous port ranges, or one covering range per CIDR when
    // the ranges would exceed the rules quota (port-ranges.ts).
    const budget = new TerraformLocal(
      this,
      'rules-quota',
      props.securityGroupRulesQuota ?? quotaLimit('security_group_rules_per_direction'),
    ).fqn;
    const ranges = new TerraformLocal(
      this,
      'port-ranges',
      `\${{ for key, s in ${svc} : key => ${rangesWithinTf('values(s.ports)', `length(${cidrs})`, budget)} }}`,
    ).fqn;
    const sgIt = TerraformIterator.fromMap(Token.asAnyMap(`\${${svc}}`));
    const sg = new SecurityGroup(this, 'sg', {
      forEach: sgIt,
      name: `${props.name}-dx-privatelink-\${each.key}`,
      description: 'dx-privatelink interface endpoint: its forward ports from the listed CIDRs only',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-dx-privatelink-\${each.key}` },
    });
    // Keyed "<service> <cidr> <from>-<to>".
    const rules = Token.asAnyMap(
      `\${merge([for key, rs in ${ranges} : { for pair in setproduct(${cidrs}, rs) : format("%s %s %d-%d", key, pair[0], pair[1].from, pair[1].to) => { service = key, cidr = pair[0], from = pair[1].from, to = pair[1].to } }]...)}`,
    );
    const ruleIt = TerraformIterator.fromMap(rules);
    new VpcSecurityGroupIngressRule(this, 'sg-ingress', {
      forEach: ruleIt,
      securityGroupId: `\${${sg.fqn}[each.value.service].id}`,
      ipProtocol: 'tcp',
      fromPort: ruleIt.getNumber('from'),
      toPort: ruleIt.getNumber('to'),
      cidrIpv4: ruleIt.getString('cidr'),
      description: 'forwards of ${each.value.service}',
    });

    // Zone ids of the endpoint subnets, read with the consumer's own credentials.
    const zones = new SubnetZones(this, 'subnets', { subnetIds: props.subnetIds });
    const zoneOf = new TerraformLocal(this, 'subnet-zone-ids', zones.zoneIdBySubnet).fqn;
    const offered = 'try(each.value.zone_ids, null)';
    const outside = `[for id, z in ${zoneOf} : format("%s (%s)", id, z) if !contains(coalesce(${offered}, [z]), z)]`;
    const endpointIt = TerraformIterator.fromMap(Token.asAnyMap(`\${${svc}}`));
    const endpoint = new VpcEndpoint(this, 'endpoint', {
      forEach: endpointIt,
      vpcId: props.vpcId,
      vpcEndpointType: 'Interface',
      serviceName: endpointIt.getString('service_name'),
      serviceRegion: '${try(each.value.service_region, null)}',
      subnetIds: props.subnetIds,
      securityGroupIds: [`\${${sg.fqn}[each.key].id}`],
      privateDnsEnabled: false,
      tags: { Name: `${props.name}-\${each.key}` },
      lifecycle: {
        precondition: [
          {
            condition: `\${${offered} == null || length(${outside}) == 0}`,
            errorMessage: `\${format("subnet_ids: %s %s in availability zones that endpoint service %s does not offer (it offers zone ids %s); use subnets in those zones (zone ids, not names, match across accounts)", join(", ", ${outside}), length(${outside}) == 1 ? "is" : "are", each.key, join(", ", coalesce(${offered}, [])))}`,
          },
        ],
      },
    });
    const dns = (key: string) => `${endpoint.fqn}[${key}].dns_entry[0].dns_name`;
    this.endpointDnsNames = Token.asAny(`\${{ for key, s in ${svc} : key => ${dns('key')} }}`) as IResolvable;

    // Forward name -> key of the service that serves it.
    const serviceOf = `merge([for key, s in ${svc} : { for f, p in s.ports : f => key }]...)`;
    const zoneResource = new Route53Zone(this, 'zone', {
      count: Token.asNumber(`\${${zone} != null${zoneId ? ` && ${zoneId} == null` : ''} ? 1 : 0}`),
      name: `\${coalesce(${zone}, "unused.invalid")}`,
      comment: 'dx-privatelink forwards',
      vpc: [{ vpcId: props.vpcId }],
    });
    const recordIt = TerraformIterator.fromMap(Token.asStringMap(`\${${zone} != null ? ${serviceOf} : {}}`));
    new Route53Record(this, 'record', {
      forEach: recordIt,
      zoneId: zoneId ? `\${coalesce(${zoneId}, one(${zoneResource.fqn}[*].zone_id))}` : `\${${zoneResource.fqn}[0].zone_id}`,
      name: `\${format("%s.%s", each.key, try(coalesce(${zone}), ""))}`,
      type: 'A',
      alias: {
        name: `\${${endpoint.fqn}[each.value].dns_entry[0].dns_name}`,
        zoneId: `\${${endpoint.fqn}[each.value].dns_entry[0].hosted_zone_id}`,
        evaluateTargetHealth: true,
      },
    });
    this.endpointIds = Token.asAny(`\${{ for key, e in ${endpoint.fqn} : key => e.id }}`) as IResolvable;
    this.securityGroupIds = Token.asAny(`\${{ for key, g in ${sg.fqn} : key => g.id }}`) as IResolvable;
    const created = `one(${zoneResource.fqn}[*].zone_id)`;
    this.hostedZoneId = Token.asString(zoneId ? `\${${zoneId} != null ? ${zoneId} : ${created}}` : `\${${created}}`);
    this.forwardAddresses = Token.asAny(
      `\${merge([for key, s in ${svc} : { for f, p in s.ports : f => format("%s:%d", ${zone} != null ? format("%s.%s", f, ${zone}) : ${dns('key')}, p) }]...)}`,
    ) as IResolvable;
  }
}

/** The plain ids and names among the props: each of its AWS shape. */
function validateIds(props: ConsumerEndpointProps): void {
  const plain = isPlainString;
  const services = Token.isUnresolved(props.services) ? [] : (props.services as ConsumedService[]);
  const problem =
    (plain(props.name) ? check(RULES.name, 'name', props.name) : undefined) ??
    (plain(props.vpcId) ? check(RULES.vpcId, 'vpcId', props.vpcId) : undefined) ??
    (plain(props.dnsZoneId) ? check(RULES.hostedZoneId, 'dnsZoneId', props.dnsZoneId) : undefined) ??
    (Token.isUnresolved(props.subnetIds)
      ? undefined
      : props.subnetIds.map((id, i) => (plain(id) ? check(RULES.subnetId, `subnetIds[${i}]`, id) : undefined)).find(Boolean)) ??
    services
      .map((svc, i) => (plain(svc.serviceRegion) ? check(RULES.region, `services[${i}].serviceRegion`, svc.serviceRegion) : undefined))
      .find(Boolean);
  if (problem) throw problem;
}
