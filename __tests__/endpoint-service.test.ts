import { VpcEndpointService } from '@cdktf/provider-aws/lib/vpc-endpoint-service';
import { Testing } from 'cdktf';
import { EndpointService, EndpointServiceProps } from '../constructs/endpoint-service';
import { testStack } from './support/stack';

function build(props: Partial<EndpointServiceProps> = {}) {
  const stack = testStack();
  new EndpointService(stack, 'service', {
    name: 'fix',
    region: 'eu-west-2',
    loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-2:111111111111:loadbalancer/net/fix/1',
    allowedPrincipals: ['arn:aws:iam::222222222222:root'],
    ...props,
  });
  return Testing.synth(stack);
}

describe('EndpointService', () => {
  test('requires acceptance by default and lists the allowed principals', () => {
    expect(build()).toHaveResourceWithProperties(VpcEndpointService, {
      acceptance_required: true,
      allowed_principals: ['arn:aws:iam::222222222222:root'],
      network_load_balancer_arns: ['arn:aws:elasticloadbalancing:eu-west-2:111111111111:loadbalancer/net/fix/1'],
    });
  });

  test("supported regions are passed through, after the service's own", () => {
    expect(build({ supportedRegions: ['eu-west-1'] })).toHaveResourceWithProperties(VpcEndpointService, {
      supported_regions: ['eu-west-2', 'eu-west-1'],
    });
  });

  test('fails when a principal is a wildcard', () => {
    expect(() => build({ allowedPrincipals: ['*'] })).toThrow(
      'allowedPrincipals: contains a wildcard (got "*"); list each consumer account ARN, such as arn:aws:iam::222222222222:root',
    );
  });

  test('fails when no principal is allowed', () => {
    expect(() => build({ allowedPrincipals: [] })).toThrow(
      'allowedPrincipals: is empty (got []); allow at least one consumer account; nobody could connect otherwise',
    );
  });

  test('fails when a principal is in a made-up partition', () => {
    expect(() => build({ allowedPrincipals: ['arn:aws-evil:iam::222222222222:root'] })).toThrow(
      'allowedPrincipals[0]: is not an IAM principal ARN (got "arn:aws-evil:iam::222222222222:root")',
    );
  });
});
