import { Deployed } from './support/applied-state';
import { exampleDeployed } from './support/example';
import { Where, reachableCalls } from './support/flows';
import { exampleNatForwards, renderedNatBootScript, renderedNatRules } from './support/nat-boot';
import { NetnsLab, SKIP_NETNS, assertNetnsUsable } from './support/netns';

// Issue 19: the namespace lab's AWS CLI stand-in answers only what the flow
// model of the deployed example says is reachable and allowed; anything
// else times out as the real CLI does with no endpoint. So the real boot
// script meets the same world the instances would: it comes up with every
// hop, and fails closed when one is missing.

const WHERE: Where = { region: 'eu-west-2', account: '111111111111' };

/** The example as deployed, without some resources (by address). */
function without(...addresses: string[]): Deployed {
  const d = exampleDeployed();
  const resources = new Map(d.resources);
  for (const a of addresses) if (!resources.delete(a)) throw new Error(`no ${a} in the deployed example`);
  return { resources, schemas: d.schemas };
}

(SKIP_NETNS ? describe.skip : describe)('the lab boots what the model lets boot', () => {
  let lab: NetnsLab;
  const ipForward = (ns: string) => lab.execOk(ns, ['sysctl', '-n', 'net.ipv4.ip_forward']).trim();
  const lifecycle = (instance: string, result: string) =>
    `aws autoscaling complete-lifecycle-action --region eu-west-2 --auto-scaling-group-name fix-gw-nat --lifecycle-hook-name dx-privatelink-nat-ready --instance-id ${instance} --lifecycle-action-result ${result}`;

  beforeAll(async () => {
    assertNetnsUsable();
    lab = await NetnsLab.create(exampleNatForwards());
    const rules = renderedNatRules();
    await lab.putObject(rules.bucket, rules.key, rules.content);
  }, 600000);
  afterAll(() => lab?.destroy());

  test('with every hop of the example, an instance loads its rules and completes its launch', () => {
    lab.reachable = reachableCalls(exampleDeployed(), WHERE, 'fix-gw-nat');
    const boot = lab.runUserData(lab.ns.nats[0], renderedNatBootScript());
    expect(boot.status).toBe(0);
    expect(boot.systemctl.at(-1)).toBe(lifecycle('i-0nat1', 'CONTINUE'));
    expect(ipForward(lab.ns.nats[0])).toBe('1');
  });

  test('without the Auto Scaling endpoint, the lifecycle action times out: the instance abandons its launch and powers off, forwarding off', () => {
    lab.reachable = reachableCalls(without('aws_vpc_endpoint.network_ssm_endpoint["autoscaling"]'), WHERE, 'fix-gw-nat');
    expect(lab.reachable).toEqual(['s3api get-object']);
    const boot = lab.runUserData(lab.ns.nats[1], renderedNatBootScript());
    expect(boot.status).not.toBe(0);
    expect(boot.stderr).toContain('Connect timeout on endpoint URL: "https://autoscaling.eu-west-2.amazonaws.com/"');
    expect(boot.stderr).toContain('dx-privatelink: boot failed (exit 255); NAT rules are NOT in place; powering off for replacement');
    // CONTINUE failed, ABANDON fails the same way; then power off
    expect(boot.systemctl.slice(-3)).toEqual([
      lifecycle('i-0nat2', 'CONTINUE'),
      lifecycle('i-0nat2', 'ABANDON'),
      'systemctl --no-block poweroff',
    ]);
    expect(ipForward(lab.ns.nats[1])).toBe('0');
  });

  test('without the egress to S3, the rules fetch times out 24 times: the instance fails closed before loading anything', () => {
    lab.reachable = reachableCalls(without('aws_vpc_security_group_egress_rule.nat_sg_egress_s3[0]'), WHERE, 'fix-gw-nat');
    expect(lab.reachable).toEqual(['autoscaling complete-lifecycle-action']);
    lab.execOk(lab.ns.nats[1], ['nft', 'flush', 'ruleset']);
    const boot = lab.runUserData(lab.ns.nats[1], renderedNatBootScript());
    expect(boot.status).not.toBe(0);
    expect(boot.systemctl.filter((c) => c.startsWith('aws s3api get-object'))).toHaveLength(24);
    expect(boot.systemctl.slice(-2)).toEqual([lifecycle('i-0nat2', 'ABANDON'), 'systemctl --no-block poweroff']);
    expect(lab.execOk(lab.ns.nats[1], ['nft', 'list', 'ruleset'])).toBe('');
    expect(ipForward(lab.ns.nats[1])).toBe('0');
  });
});
