import { Construct } from 'constructs';
import { TerraformIterator, Token } from 'cdktf';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { RULES, ValidationError, check } from './private/rules';

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
}

export interface ConsumerEndpointProps {
  /** Prefix of resource names (the consumer's name). */
  readonly name: string;
  readonly vpcId: string;
  /** One subnet per availability zone the endpoint is placed in. */
  readonly subnetIds: string[];
  /** Only these CIDRs may connect to the endpoints, and only on the forward ports. */
  readonly allowedCidrs: string[];
  readonly services: ConsumedService[];
  /**
   * Private hosted zone (e.g. `fix.internal`) with one name per forward,
   * `<forward>.<zone>`, pointing at its endpoint.
   * @default - no DNS names; use the endpoint DNS names
   */
  readonly dnsZone?: string;
}

/**
 * The consumer account's side: one interface VPC endpoint per endpoint
 * service, a security group admitting only the forward ports from the
 * listed CIDRs (the provider cannot restrict this on its side), and
 * optionally a private hosted zone with a friendly name per forward.
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
export class ConsumerEndpoint extends Construct {
  /** Endpoint DNS name per service key (the regional name). */
  public readonly endpointDnsNames: Record<string, string>;
  /** `host:port` per forward name. */
  public readonly forwardAddresses: Record<string, string>;

  constructor(scope: Construct, id: string, props: ConsumerEndpointProps) {
    super(scope, id);
    if (props.services.length === 0) {
      throw new ValidationError('services', [], 'is empty', 'give at least one endpoint service to connect to');
    }
    if (props.allowedCidrs.length === 0) {
      throw new ValidationError('allowedCidrs', [], 'is empty', 'list the CIDRs of the consumer applications that may connect');
    }
    props.allowedCidrs.forEach((cidr, i) => {
      const problem = Token.isUnresolved(cidr) ? undefined : check(RULES.cidr, `allowedCidrs[${i}]`, cidr);
      if (problem) throw problem;
    });
    if (props.allowedCidrs.some((c) => c === '0.0.0.0/0')) {
      throw new ValidationError('allowedCidrs', '0.0.0.0/0', 'admits every address', 'list the CIDRs of the consumer applications only');
    }

    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.name}-dx-privatelink`,
      description: 'dx-privatelink interface endpoints: forward ports from the listed CIDRs only',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-dx-privatelink` },
    });
    const ports: Record<string, number> = {};
    for (const s of props.services) Object.assign(ports, s.ports);
    const rules = Object.fromEntries(
      Object.entries(ports).flatMap(([forward, port]) => props.allowedCidrs.map((cidr) => [`${forward} ${cidr}`, { port, cidr }])),
    );
    const ruleIt = TerraformIterator.fromMap(rules);
    new VpcSecurityGroupIngressRule(this, 'sg-ingress', {
      forEach: ruleIt,
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: ruleIt.getNumber('port'),
      toPort: ruleIt.getNumber('port'),
      cidrIpv4: ruleIt.getString('cidr'),
      description: 'forward ${each.key}',
    });

    const services = Object.fromEntries(
      props.services.map((s) => [s.key, { service_name: s.serviceName, service_region: s.serviceRegion ?? null }]),
    );
    const endpointIt = TerraformIterator.fromMap(services);
    const endpoint = new VpcEndpoint(this, 'endpoint', {
      forEach: endpointIt,
      vpcId: props.vpcId,
      vpcEndpointType: 'Interface',
      serviceName: endpointIt.getString('service_name'),
      serviceRegion: props.services.some((s) => s.serviceRegion) ? endpointIt.getString('service_region') : undefined,
      subnetIds: props.subnetIds,
      securityGroupIds: [sg.id],
      privateDnsEnabled: false,
      tags: { Name: `${props.name}-\${each.key}` },
    });
    const dnsName = (key: string) => `\${${endpoint.fqn}["${key}"].dns_entry[0].dns_name}`;
    this.endpointDnsNames = Object.fromEntries(props.services.map((s) => [s.key, dnsName(s.key)]));

    const serviceOf: Record<string, string> = {};
    for (const s of props.services) for (const f of Object.keys(s.ports)) serviceOf[f] ??= s.key;
    if (props.dnsZone) {
      const zone = new Route53Zone(this, 'zone', {
        name: props.dnsZone,
        comment: 'dx-privatelink forwards',
        vpc: [{ vpcId: props.vpcId }],
      });
      const recordIt = TerraformIterator.fromMap(serviceOf);
      new Route53Record(this, 'record', {
        forEach: recordIt,
        zoneId: zone.zoneId,
        name: `\${each.key}.${props.dnsZone}`,
        type: 'A',
        alias: {
          name: `\${${endpoint.fqn}[each.value].dns_entry[0].dns_name}`,
          zoneId: `\${${endpoint.fqn}[each.value].dns_entry[0].hosted_zone_id}`,
          evaluateTargetHealth: true,
        },
      });
      this.forwardAddresses = Object.fromEntries(Object.entries(ports).map(([f, port]) => [f, `${f}.${props.dnsZone}:${port}`]));
    } else {
      this.forwardAddresses = Object.fromEntries(Object.entries(ports).map(([f, port]) => [f, `${dnsName(serviceOf[f])}:${port}`]));
    }
  }
}
