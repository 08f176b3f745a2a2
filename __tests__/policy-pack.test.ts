import { Lb } from '@cdktf/provider-aws/lib/lb';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Aspects, Testing } from 'cdktf';
import { buildApp } from '../config/app';
import { loadConfig } from '../config/load';
import { PolicyPack, PolicyViolationError } from '../constructs/policy-pack';
import { testStack } from './support/stack';

function openStack() {
  const stack = testStack();
  const sg = new SecurityGroup(stack, 'sg', { name: 'open', vpcId: 'vpc-1' });
  new VpcSecurityGroupIngressRule(stack, 'open-ingress', {
    securityGroupId: sg.id,
    ipProtocol: 'tcp',
    fromPort: 22,
    toPort: 22,
    cidrIpv4: '0.0.0.0/0',
  });
  new Lb(stack, 'public-lb', { internal: false, loadBalancerType: 'network', subnets: ['s'] });
  return stack;
}

describe('PolicyPack', () => {
  test('the example config passes every rule with no suppression', () => {
    const built = buildApp(loadConfig(), Testing.app().outdir);
    built.app.synth();
    expect(built.policy.findings).toEqual([]);
  });

  test('fails synth with the rule id, the resource path and the fix of every violation', () => {
    const stack = openStack();
    Aspects.of(stack).add(new PolicyPack());
    expect(() => Testing.synth(stack)).toThrow(PolicyViolationError);
    expect(() => Testing.synth(stack)).toThrow(
      [
        'policy: 2 violations',
        '  DXPL-SG1 test/open-ingress (aws_vpc_security_group_ingress_rule.open_ingress): ingress from 0.0.0.0/0; fix: admit only the CIDRs or security groups that need the port',
        '  DXPL-LB1 test/public-lb (aws_lb.public_lb): load balancer is internet-facing; fix: set internal = true; consumers reach the NLB through the endpoint service only',
      ].join('\n'),
    );
  });

  test('a suppression with a reason accepts a finding and keeps it listed', () => {
    const stack = openStack();
    const pack = new PolicyPack({
      suppressions: [
        { ruleId: 'DXPL-SG1', reason: 'bastion for the broker onboarding window only', path: 'test/open-ingress' },
        { ruleId: 'DXPL-LB1', reason: 'lab account, no real brokers behind it' },
      ],
    });
    Aspects.of(stack).add(pack);
    Testing.synth(stack);
    expect(pack.findings.map((f) => [f.ruleId, f.path, f.suppressed?.reason])).toEqual([
      ['DXPL-SG1', 'test/open-ingress', 'bastion for the broker onboarding window only'],
      ['DXPL-LB1', 'test/public-lb', 'lab account, no real brokers behind it'],
    ]);
    expect(pack.unusedSuppressions()).toEqual([]);
  });

  test('a suppression for another path does not apply', () => {
    const stack = openStack();
    Aspects.of(stack).add(
      new PolicyPack({
        suppressions: [
          { ruleId: 'DXPL-SG1', reason: 'only the bastion group, not this one', path: 'test/elsewhere' },
          { ruleId: 'DXPL-LB1', reason: 'lab account, no real brokers behind it' },
        ],
      }),
    );
    expect(() => Testing.synth(stack)).toThrow('DXPL-SG1 test/open-ingress');
  });

  test('fails when a suppression names no rule', () => {
    expect(() => new PolicyPack({ suppressions: [{ ruleId: 'DXPL-NOPE', reason: 'because we said so, twice' }] })).toThrow(
      'policy.suppressions[0].rule: is not a policy rule id (got "DXPL-NOPE"); use one of: DXPL-LB1, DXPL-VPCE1, DXPL-SG1, DXPL-SG2, DXPL-EC2-1, DXPL-EC2-2, DXPL-EC2-3, DXPL-DX1, DXPL-VPCE2',
    );
  });

  test('fails when a suppression has no real reason', () => {
    expect(() => new PolicyPack({ suppressions: [{ ruleId: 'DXPL-SG1', reason: 'ok' }] })).toThrow(
      'policy.suppressions[0].reason: is too short (got "ok"); write why the finding is acceptable, in at least 10 characters',
    );
  });
});
