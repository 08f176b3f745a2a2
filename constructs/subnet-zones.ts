import { Construct } from 'constructs';
import { TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { refuseTemplates } from './props-check';

export interface SubnetZonesProps {
  /** Subnet ids (a plain list or a Terraform list known at plan time). */
  readonly subnetIds: string[];
  /**
   * The VPC the subnets must be in: the plan fails, naming the subnet, when one is not.
   * @default - not checked
   */
  readonly vpcId?: string;
  /**
   * Zone name per subnet id, as the config states it: the plan fails, naming
   * the subnet, when a subnet is in another zone.
   * @default - not checked
   */
  readonly expectedZones?: Readonly<Record<string, string>>;
}

/**
 * Looks up existing subnets (`data.aws_subnet`, read at plan time with the
 * stack's own credentials) for their availability zone ids: zone names are
 * per account, ids are the same in every account. Checks, as postconditions,
 * that each subnet is where the config says it is.
 */
export class SubnetZones extends Construct {
  /** Zone id per subnet id (a Terraform map). */
  public readonly zoneIdBySubnet: Record<string, string>;
  /** The distinct zone ids (a Terraform list). */
  public readonly zoneIds: string[];

  constructor(scope: Construct, id: string, props: SubnetZonesProps) {
    super(scope, id);
    refuseTemplates(props);
    // Keyed by position, not by id: an id created in the same apply is
    // unknown at plan, and for_each keys must be known then.
    const ids = new TerraformLocal(this, 'subnet-ids', props.subnetIds).fqn;
    const it = TerraformIterator.fromMap(Token.asStringMap(`\${{ for i, id in ${ids} : tostring(i) => id }}`));
    const postconditions = [];
    if (props.vpcId !== undefined) {
      const vpc = new TerraformLocal(this, 'vpc-id', props.vpcId).fqn;
      postconditions.push({
        condition: `\${self.vpc_id == ${vpc}}`,
        errorMessage: `\${format("subnet %s is in %s, not in the VPC %s; give subnets of that VPC", self.id, self.vpc_id, ${vpc})}`,
      });
    }
    if (props.expectedZones !== undefined) {
      const zones = JSON.stringify(Object.fromEntries(Object.entries(props.expectedZones).map(([az, subnet]) => [subnet, az])));
      postconditions.push({
        condition: `\${lookup(${zones}, self.id, self.availability_zone) == self.availability_zone}`,
        errorMessage: `\${format("vpc.existing.subnet_ids.%s: subnet %s is in zone %s; key each subnet by its own zone", lookup(${zones}, self.id, ""), self.id, self.availability_zone)}`,
      });
    }
    const subnet = new DataAwsSubnet(this, 'subnet', {
      forEach: it,
      id: it.value,
      lifecycle: postconditions.length > 0 ? { postcondition: postconditions } : undefined,
    });
    this.zoneIdBySubnet = Token.asStringMap(`\${{ for s in ${subnet.fqn} : s.id => s.availability_zone_id }}`);
    this.zoneIds = Token.asList(`\${distinct([for s in ${subnet.fqn} : s.availability_zone_id])}`);
  }
}
