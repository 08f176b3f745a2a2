import { Construct } from 'constructs';
import { Fn, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { ITerraformDependable } from 'cdktf';
import { ExistingEndpoints, FLEET_SERVICES, FleetService, SESSION_MANAGER_SERVICES, fleetEndpoints } from './fleet-endpoints';
import { isPlain, isPlainString, refuseTemplates } from './props-check';
import { RULES, ValidationError, check, keyField } from './private/rules';
import { SubnetZones } from './subnet-zones';

/** A VPC to create for the NLB and NAT fleet. */
export interface CreateVpcSpec {
  /** CIDR block of the VPC, /16 to /26; split into one subnet per availability zone. */
  readonly cidr: string;
  /** At least two availability zones. */
  readonly availabilityZones: readonly string[];
  /**
   * Create interface endpoints for Session Manager (ssm, ssmmessages,
   * ec2messages) with a NAT fleet, so its instances can be managed without
   * internet access.
   * @default true
   */
  readonly ssmEndpoints?: boolean;
}

/** An existing VPC to deploy into. */
export interface ExistingVpcSpec {
  readonly vpcId: string;
  /** The VPC's CIDR block: the NLB admits forward ports from it. */
  readonly cidr: string;
  /** One subnet per availability zone, keyed by zone name; at least two. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** Route tables of those subnets: routes to the targets are added to them. */
  readonly routeTableIds: readonly string[];
  /**
   * Prefix list of the region's S3 gateway endpoint: the NAT instances
   * fetch their rules object (and packages of the AL2023 repositories)
   * through it on 443. Required when a forward has a public target.
   * @default - none: only private (IP) targets, no NAT fleet
   */
  readonly s3PrefixListId?: string;
  /**
   * Create interface endpoints for Session Manager (ssm, ssmmessages,
   * ec2messages) with a NAT fleet. Leave off when the VPC has them, and list
   * them in `existingEndpoints`.
   * @default false
   */
  readonly ssmEndpoints?: boolean;
  /**
   * Interface endpoints the VPC already has (private DNS on) for services
   * the NAT fleet calls: none is made for those, each is checked at plan,
   * and the NAT instances are admitted to the given security group. The
   * Auto Scaling endpoint is made unless listed here.
   * @default - none: every endpoint the fleet needs is made here
   */
  readonly existingEndpoints?: ExistingEndpoints;
}

export interface ProviderNetworkProps {
  /** Prefix of resource names. */
  readonly name: string;
  readonly region: string;
  /** Exactly one of `create` and `existing`. */
  readonly create?: CreateVpcSpec;
  readonly existing?: ExistingVpcSpec;
  /**
   * A NAT fleet lives in this VPC: make the interface endpoints it calls
   * (Auto Scaling, and Session Manager's when asked).
   * @default false
   */
  readonly natFleet?: boolean;
}

/**
 * The VPC that holds the NLB and NAT fleet: either created (private subnets,
 * one route table per zone, S3 gateway endpoint and SSM interface endpoints,
 * no internet gateway) or an existing one described by ids.
 */
export class ProviderNetwork extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /** Subnet ids, one per availability zone. */
  public readonly subnetIds: string[];
  /** Route tables keyed by a name known at plan time (for `for_each`). */
  public readonly routeTables: Record<string, string>;
  /** The S3 gateway endpoint's prefix list, when there is one. */
  public readonly s3PrefixListId?: string;
  /** Availability zone ids of the subnets (a Terraform list): where the endpoint services are offered. */
  public readonly zoneIds: string[];
  /** Security groups of the interface endpoints the NAT fleet calls, keyed by a name known at plan. */
  public readonly endpointSecurityGroups: Record<string, string> = {};
  /** The services the NAT fleet reaches through an interface endpoint (made here or existing). */
  public readonly endpointServices: FleetService[] = [];
  /** Address of the rule by which 0.2's endpoint group admitted the VPC CIDR (created VPCs); NatSecurityGroup takes it over. */
  public readonly endpointIngressMovedFrom?: string;
  /** What must exist before a NAT instance boots: routes, the S3 gateway endpoint, interface endpoints. */
  public readonly bootDependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ProviderNetworkProps) {
    super(scope, id);
    refuseTemplates({ name: props.name, region: props.region });
    refuseTemplates({ create: props.create, existing: props.existing }, 'vpc');
    if (isPlain(props.region)) {
      const regionProblem = check(RULES.region, 'region', props.region);
      if (regionProblem) throw regionProblem;
    }
    if ((props.create === undefined) === (props.existing === undefined)) {
      throw new ValidationError(
        'vpc',
        Object.keys(props).filter((k) => k === 'create' || k === 'existing'),
        'must have exactly one of create or existing',
        'pass create to make a VPC, or existing to use one',
      );
    }
    if (props.existing) {
      const ex = props.existing;
      const zones = Object.keys(ex.subnetIds);
      if (!Token.isUnresolved(ex.subnetIds) && zones.length < 2) {
        throw new ValidationError(
          'vpc.existing.subnetIds',
          zones,
          'has fewer than 2 availability zones',
          'give one subnet in each of at least two zones',
        );
      }
      const cidrProblem = Token.isUnresolved(ex.cidr) ? undefined : check(RULES.existingVpcCidr, 'vpc.existing.cidr', ex.cidr);
      if (cidrProblem) throw cidrProblem;
      validateExisting(ex);
      this.vpcId = ex.vpcId;
      this.vpcCidr = ex.cidr;
      this.subnetIds = Object.values(ex.subnetIds);
      // Keyed by id when plain (the addresses of 0.2), by position when an id
      // is a token: for_each keys must be known at plan.
      this.routeTables = Token.isUnresolved(ex.routeTableIds)
        ? Token.asStringMap(`\${{ for i, id in ${new TerraformLocal(this, 'route-table-ids', ex.routeTableIds).fqn} : tostring(i) => id }}`)
        : Object.fromEntries(ex.routeTableIds.map((rt, i) => [isPlainString(rt) ? rt : `route-table-${i}`, rt]));
      this.s3PrefixListId = ex.s3PrefixListId;
      this.zoneIds = new SubnetZones(this, 'existing-subnets', {
        subnetIds: this.subnetIds,
        vpcId: ex.vpcId,
        expectedZones: Token.isUnresolved(ex.subnetIds) ? undefined : ex.subnetIds,
      }).zoneIds;
      if (props.natFleet) this.addFleetEndpoints(props, ex.ssmEndpoints ?? false, ex.existingEndpoints);
      return;
    }

    const create = props.create!;
    const problem = check(RULES.vpcCidr, 'vpc.create.cidr', create.cidr);
    if (problem) throw problem;
    if (new Set(create.availabilityZones).size < 2) {
      throw new ValidationError(
        'vpc.create.availabilityZones',
        create.availabilityZones,
        'has fewer than 2 availability zones',
        'list at least two zones: the NLB and the NAT fleet must survive the loss of one',
      );
    }
    const foreign = Token.isUnresolved(props.region)
      ? undefined
      : create.availabilityZones.find((az) => !Token.isUnresolved(az) && !new RegExp(`^${props.region}[a-z]$`).test(az));
    if (foreign !== undefined) {
      throw new ValidationError(
        'vpc.create.availabilityZones',
        foreign,
        `is not an availability zone of region ${props.region}`,
        `use zones of ${props.region}, such as ${props.region}a`,
      );
    }
    const tags = (suffix: string) => ({ Name: `${props.name}-${suffix}` });
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: create.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags('vpc'),
    });
    // Subnet index per zone: stable as long as the zone list keeps its order.
    const zones = Object.fromEntries(create.availabilityZones.map((az, index) => [az, index]));
    const newBits = Math.max(2, Math.ceil(Math.log2(create.availabilityZones.length)));
    const zoneIt = TerraformIterator.fromMap(zones);
    const subnet = new Subnet(this, 'subnet', {
      forEach: zoneIt,
      vpcId: vpc.id,
      availabilityZone: zoneIt.key,
      cidrBlock: Fn.cidrsubnet(vpc.cidrBlock, newBits, zoneIt.value),
      mapPublicIpOnLaunch: false,
      tags: { Name: `${props.name}-\${each.key}` },
    });
    const routeTable = new RouteTable(this, 'route-table', {
      forEach: TerraformIterator.fromMap(zones),
      vpcId: vpc.id,
      tags: { Name: `${props.name}-\${each.key}` },
    });
    const association = new RouteTableAssociation(this, 'route-table-association', {
      forEach: TerraformIterator.fromMap(zones),
      subnetId: `\${${subnet.fqn}[each.key].id}`,
      routeTableId: `\${${routeTable.fqn}[each.key].id}`,
    });
    const s3 = new VpcEndpoint(this, 's3-endpoint', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: Token.asList(`\${[for rt in ${routeTable.fqn} : rt.id]}`),
      tags: tags('s3'),
    });

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.subnetIds = Token.asList(`\${[for s in ${subnet.fqn} : s.id]}`);
    this.routeTables = Token.asStringMap(`\${{ for az, rt in ${routeTable.fqn} : az => rt.id }}`);
    this.s3PrefixListId = s3.prefixListId;
    this.zoneIds = Token.asList(`\${[for s in ${subnet.fqn} : s.availability_zone_id]}`);
    this.bootDependencies.push(association, s3);
    this.endpointIngressMovedFrom = `aws_vpc_security_group_ingress_rule.${vpc.friendlyUniqueId.replace(/_vpc$/, '')}_endpoint_sg_https`;
    if (props.natFleet) this.addFleetEndpoints(props, create.ssmEndpoints ?? true, undefined);
  }

  /** The interface endpoints a NAT fleet calls: made here unless the VPC has them. */
  private addFleetEndpoints(props: ProviderNetworkProps, ssm: boolean, existing: ExistingEndpoints | undefined): void {
    const have = new Set<string>(Object.keys(existing?.endpointIds ?? {}));
    const wanted = FLEET_SERVICES.filter((s) => s === 'autoscaling' || (ssm && SESSION_MANAGER_SERVICES.includes(s)));
    const create = wanted.filter((s) => !have.has(s));
    if (props.existing && create.length > 0) {
      // Private DNS of an interface endpoint needs both DNS attributes of the VPC: say so at plan, not at apply.
      new DataAwsVpc(this, 'existing-vpc', {
        id: this.vpcId,
        lifecycle: {
          postcondition: [
            {
              condition: '${self.enable_dns_support && self.enable_dns_hostnames}',
              errorMessage: `\${format("vpc.existing.vpc_id: %s has enableDnsSupport %s and enableDnsHostnames %s; the interface endpoints made here (${create.join(', ')}) need both on for private DNS: turn them on, or list the VPC's own endpoints in vpc.existing.existing_endpoints", self.id, self.enable_dns_support, self.enable_dns_hostnames)}`,
            },
          ],
        },
      });
    }
    const endpoints = fleetEndpoints(this, {
      name: props.name,
      region: props.region,
      vpcId: this.vpcId,
      subnetIds: this.subnetIds,
      create,
      existing,
    });
    Object.assign(this.endpointSecurityGroups, endpoints.securityGroups);
    this.endpointServices.push(...new Set<FleetService>([...wanted, ...(have as Set<FleetService>)]));
    this.bootDependencies.push(...endpoints.dependables);
  }
}

/** The plain ids of an existing VPC, each of its AWS shape, and its subnets keyed by zone names. */
function validateExisting(ex: ExistingVpcSpec): void {
  const at = 'vpc.existing';
  const plain = isPlainString;
  const subnets = Token.isUnresolved(ex.subnetIds) ? [] : Object.entries(ex.subnetIds);
  const routeTables = Token.isUnresolved(ex.routeTableIds) ? [] : ex.routeTableIds;
  const problem =
    (plain(ex.vpcId) ? check(RULES.vpcId, `${at}.vpcId`, ex.vpcId) : undefined) ??
    subnets
      .map(
        ([zone, id]) =>
          check(RULES.availabilityZone, keyField(`${at}.subnetIds`, zone), zone) ??
          (plain(id) ? check(RULES.subnetId, keyField(`${at}.subnetIds`, zone), id) : undefined),
      )
      .find(Boolean) ??
    routeTables.map((id, i) => (plain(id) ? check(RULES.routeTableId, `${at}.routeTableIds[${i}]`, id) : undefined)).find(Boolean) ??
    (plain(ex.s3PrefixListId) ? check(RULES.prefixListId, `${at}.s3PrefixListId`, ex.s3PrefixListId) : undefined);
  if (problem) throw problem;
}
