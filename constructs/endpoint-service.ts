import { Construct } from 'constructs';
import { DataResource, Fn, Token } from 'cdktf';
import { VpcEndpointService } from '@cdktf/provider-aws/lib/vpc-endpoint-service';
import { refuseTemplates } from './props-check';
import { RULES, ValidationError, check } from './private/rules';

export interface EndpointServiceProps {
  /** Prefix of resource names. */
  readonly name: string;
  /** The service's own region: AWS always lists it among the supported regions. */
  readonly region: string;
  /** The NLB behind the service (an NLB belongs to at most one service). */
  readonly loadBalancerArn: string;
  /** IAM principals (account root ARNs) allowed to create endpoints. */
  readonly allowedPrincipals: string[];
  /**
   * Require the provider to accept each endpoint connection.
   * @default true
   */
  readonly acceptanceRequired?: boolean;
  /**
   * Regions consumers may connect from (cross-region PrivateLink). The
   * service's own region is always added: AWS lists it whether asked or
   * not, and a list without it would plan a change on every run. A
   * Terraform expression is used as it is: it must hold the home region.
   * @default - the service's own region only
   */
  readonly supportedRegions?: string[];
  /**
   * Refuse to destroy or replace the service: a new service has a new name,
   * and every consumer's endpoint to the old one stops working. Plain `true`
   * sets `prevent_destroy` on the service (set `false` and synthesize again
   * to tear down). A Terraform expression (the module, where lifecycle
   * arguments cannot be variables) adds a `terraform_data` guard that is
   * replaced with the service and has `prevent_destroy`: to tear down, turn
   * protection off in the same apply that moves the guard out of the module
   * (a `moved` block to an undeclared address, or `terraform state rm`).
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * A VPC endpoint service (PrivateLink) on the forwarding NLB. Consumers in
 * the allowed accounts create interface endpoints to it.
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html
 */
export class EndpointService extends Construct {
  public readonly serviceName: string;
  public readonly serviceId: string;
  public readonly serviceArn: string;
  public readonly availabilityZones: string[];

  constructor(scope: Construct, id: string, props: EndpointServiceProps) {
    super(scope, id);
    refuseTemplates(props);
    if (!Token.isUnresolved(props.allowedPrincipals)) {
      if (props.allowedPrincipals.length === 0) {
        throw new ValidationError(
          'allowedPrincipals',
          [],
          'is empty',
          'allow at least one consumer account; nobody could connect otherwise',
        );
      }
      const wildcard = props.allowedPrincipals.find((p) => !Token.isUnresolved(p) && p.includes('*'));
      if (wildcard !== undefined) {
        throw new ValidationError(
          'allowedPrincipals',
          wildcard,
          'contains a wildcard',
          'list each consumer account ARN, such as arn:aws:iam::222222222222:root',
        );
      }
      props.allowedPrincipals.forEach((p, i) => {
        const problem = Token.isUnresolved(p) ? undefined : check(RULES.principal, `allowedPrincipals[${i}]`, p);
        if (problem) throw problem;
      });
    }
    if (props.supportedRegions && !Token.isUnresolved(props.supportedRegions))
      props.supportedRegions.forEach((region, i) => {
        const problem = Token.isUnresolved(region) ? undefined : check(RULES.region, `supportedRegions[${i}]`, region);
        if (problem) throw problem;
      });
    const protection = props.deletionProtection ?? true;
    const service = new VpcEndpointService(this, 'Default', {
      acceptanceRequired: props.acceptanceRequired ?? true,
      networkLoadBalancerArns: [props.loadBalancerArn],
      allowedPrincipals: props.allowedPrincipals,
      supportedRegions: withHomeRegion(props.region, props.supportedRegions),
      tags: { Name: `${props.name}-service` },
      lifecycle: protection === true ? { preventDestroy: true } : undefined,
    });
    if (Token.isUnresolved(protection)) {
      new DataResource(this, 'guard', {
        count: Token.asNumber(Fn.conditional(protection, 1, 0)),
        triggersReplace: { service: service.id },
        lifecycle: { preventDestroy: true },
      });
    }
    this.serviceName = service.serviceName;
    this.serviceId = service.id;
    this.serviceArn = service.arn;
    this.availabilityZones = service.availabilityZones;
  }
}

/**
 * The supported regions as AWS reports them: the home region first, each
 * region once. A Terraform expression (the module) is used as it is, and
 * must hold the home region itself.
 */
function withHomeRegion(region: string, regions: string[] | undefined): string[] | undefined {
  if (regions === undefined || Token.isUnresolved(regions)) return regions;
  return [...new Set([region, ...regions])];
}
