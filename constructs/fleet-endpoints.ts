/**
 * The AWS APIs a NAT instance calls, and the interface endpoints that carry
 * them in a VPC without internet: made here, or checked when the VPC already
 * has them. Functions, not a construct: the resources are made in the
 * caller's scope, so their Terraform addresses stay those they had when they
 * lived in provider-network.ts (a new address would replace an endpoint, and
 * a second endpoint with private DNS for the same service cannot be created).
 */
import { Construct } from 'constructs';
import { ITerraformDependable, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { DataAwsVpcEndpoint } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';

export { BOOT_SERVICES, FLEET_SERVICES, type FleetService, SESSION_MANAGER_SERVICES } from './private/fleet-services';

/** Interface endpoints a VPC already has, with private DNS, for some of FLEET_SERVICES. */
export interface ExistingEndpoints {
  /** A security group on each of those endpoints: the NAT instances are admitted to it on 443. */
  readonly securityGroupId: string;
  /** The endpoints' ids keyed by service (`autoscaling`, `ssm`, `ssmmessages`, `ec2messages`; keys known at plan). */
  readonly endpointIds: Readonly<Record<string, string>>;
}

export interface FleetEndpointsProps {
  /** Prefix of resource names. */
  readonly name: string;
  readonly region: string;
  readonly vpcId: string;
  /** Subnets of the endpoints' network interfaces (the NAT subnets). */
  readonly subnetIds: string[];
  /** Services to make an endpoint for (a plain list, or a Terraform list known at plan). */
  readonly create: readonly string[];
  /** Endpoints the VPC already has: checked at plan (they exist, private DNS on, carrying the group). */
  readonly existing?: ExistingEndpoints;
}

export interface FleetEndpoints {
  /**
   * Security groups of the endpoints, keyed by a name known at plan
   * (`created`, `existing`): the NAT groups reach them on 443, and are
   * admitted by them.
   */
  readonly securityGroups: Record<string, string>;
  /** What must exist before an instance boots. */
  readonly dependables: ITerraformDependable[];
  /** HCL expressions: the created group's id (null when none) and the created endpoints' ids by service. */
  readonly createdSecurityGroupRef?: string;
  readonly createdIdsRef?: string;
}

/**
 * The fleet's interface endpoints in `scope`: one security group (no rule of
 * its own: each NAT group adds its own ingress) and an endpoint per service,
 * private DNS on, in the NAT subnets; and for endpoints that exist already,
 * a plan-time check of each.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-vpc-endpoints.html
 */
export function fleetEndpoints(scope: Construct, props: FleetEndpointsProps): FleetEndpoints {
  const securityGroups: Record<string, string> = {};
  const dependables: ITerraformDependable[] = [];
  let createdSecurityGroupRef: string | undefined;
  let createdIdsRef: string | undefined;
  const plainCreate = Token.isUnresolved(props.create) ? undefined : props.create;
  if (plainCreate === undefined || plainCreate.length > 0) {
    // Ids (and the group's name and description) of when it carried SSM alone: a rename would replace it.
    // A list known only to Terraform (a module's choice): the group exists while it is not empty.
    const sg = new SecurityGroup(scope, 'endpoint-sg', {
      count:
        plainCreate === undefined
          ? Token.asNumber(`\${length(${new TerraformLocal(scope, 'endpoint-services', props.create).fqn}) > 0 ? 1 : 0}`)
          : undefined,
      name: `${props.name}-ssm-endpoints`,
      description: 'SSM interface endpoints: HTTPS from inside the VPC',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-ssm-endpoints` },
    });
    const sgId = plainCreate === undefined ? Token.asString(`\${one(${sg.fqn}[*].id)}`) : sg.id;
    const services = TerraformIterator.fromList(props.create as string[]);
    const endpoint = new VpcEndpoint(scope, 'ssm-endpoint', {
      forEach: services,
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.\${each.value}`,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      subnetIds: props.subnetIds,
      securityGroupIds: [sgId],
      tags: { Name: `${props.name}-\${each.value}` },
    });
    securityGroups.created = sgId;
    createdSecurityGroupRef = plainCreate === undefined ? `one(${sg.fqn}[*].id)` : `${sg.fqn}.id`;
    createdIdsRef = `{ for k, e in ${endpoint.fqn} : k => e.id }`;
    dependables.push(endpoint);
  }
  if (props.existing) {
    const sgId = new TerraformLocal(scope, 'existing-endpoint-sg', props.existing.securityGroupId).fqn;
    const vpcId = new TerraformLocal(scope, 'existing-endpoint-vpc', props.vpcId).fqn;
    const ids = TerraformIterator.fromMap(props.existing.endpointIds as Record<string, string>);
    const found = new DataAwsVpcEndpoint(scope, 'existing-endpoint', {
      forEach: ids,
      id: ids.value,
      lifecycle: {
        postcondition: [
          {
            // (References first: cdktf ends an expression at its first "}".)
            condition: `\${self.vpc_id == ${vpcId} && endswith(self.service_name, format(".%s", each.key))}`,
            errorMessage: `\${format("%s endpoint %s: is an endpoint of %s in %s, not of the %s API in this VPC; give the id of this VPC's %s endpoint", each.key, self.id, self.service_name, self.vpc_id, each.key, each.key)}`,
          },
          {
            condition: '${self.vpc_endpoint_type == "Interface" && self.private_dns_enabled}',
            errorMessage: `\${format("%s endpoint %s: has no private DNS, so the instances would not reach it by its usual name; turn private DNS on", each.key, self.id)}`,
          },
          {
            condition: `\${contains(self.security_group_ids, ${sgId})}`,
            errorMessage: `\${format("%s endpoint %s: does not carry security group %s (it has %s); give a group that is on every listed endpoint", each.key, self.id, ${sgId}, join(", ", self.security_group_ids))}`,
          },
        ],
      },
    });
    securityGroups.existing = props.existing.securityGroupId;
    dependables.push(found);
  }
  return { securityGroups, dependables, createdSecurityGroupRef, createdIdsRef };
}
