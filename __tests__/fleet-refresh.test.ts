import { NAT_INSTANCE_WARMUP_SECONDS, NAT_LAUNCH_DIGEST_TAG } from '../constructs/nat-fleet';
import { TARGET_HEALTH_CHECK } from '../constructs/forwarding-nlb';
import { examplePlan, FIXTURE_TIMEOUT } from './support/example';
import { day2Plan } from './support/nat-boot';
import { Plan, resourcesOfType } from './support/terraform';

// The example's plans (and applied state) are built on first use, shared by every file (support/example.ts): here, with time for it.
beforeAll(() => {
  examplePlan('provider');
  day2Plan();
}, FIXTURE_TIMEOUT);

// Issue 12: an instance refresh cuts every FIX session on the instances it
// replaces, so only a change of what an instance is made of (image, instance
// type, user data) may start one, and a forward change touches neither the
// launch templates nor the groups. Read from real plans of the example and of
// the example with one thing changed (support/day2.ts).

/** The planned values of the NAT fleet's resources of one type, by address. */
function nat(plan: Plan, type: string): Record<string, Record<string, any>> {
  return Object.fromEntries(
    resourcesOfType(plan, type)
      .filter((r) => r.address.includes('nat'))
      .map((r) => [r.address, r.values]),
  );
}

const group = (plan: Plan) => nat(plan, 'aws_autoscaling_group')['aws_autoscaling_group.nat_asg'];
const template = (plan: Plan) => nat(plan, 'aws_launch_template')['aws_launch_template.nat_launch_template'];
const digestOf = (plan: Plan) => group(plan).tag.find((t: { key: string }) => t.key === NAT_LAUNCH_DIGEST_TAG)?.value;

describe('what starts an instance refresh of a NAT fleet', () => {
  test('the group launches the newest template version and refreshes on its tags, which carry a digest of the instance and nothing else', () => {
    const asg = group(examplePlan('provider'));
    expect(asg.launch_template).toEqual([expect.objectContaining({ version: '$Latest' })]);
    expect(asg.instance_refresh).toEqual([
      expect.objectContaining({
        strategy: 'Rolling',
        triggers: ['tag'],
        preferences: [expect.objectContaining({ min_healthy_percentage: 100, max_healthy_percentage: 200 })],
      }),
    ]);
    expect(asg.tag.map((t: { key: string; propagate_at_launch: boolean }) => [t.key, t.propagate_at_launch]).sort()).toEqual([
      ['Name', false],
      [NAT_LAUNCH_DIGEST_TAG, false],
    ]);
    // known at plan time, so a change shows in the plan before apply
    expect(digestOf(examplePlan('provider'))).toMatch(/^[0-9a-f]{40}$/);
  });

  test('a change of the config tags alone: the new tags are in the launch template, the group is planned unchanged (no refresh)', () => {
    const [before, after] = [examplePlan('provider'), day2Plan('retagged')];
    const tagsOf = (plan: Plan) =>
      template(plan).tag_specifications.map((s: { resource_type: string; tags: Record<string, string> }) => [s.resource_type, s.tags]);
    expect(tagsOf(after)).toEqual(
      ['instance', 'volume', 'network-interface'].map((type) => [
        type,
        expect.objectContaining({ team: 'trading-network', 'cost-centre': 'fx-desk-2', owner: 'network-team' }),
      ]),
    );
    expect(tagsOf(before)).not.toEqual(tagsOf(after));
    // (tags_all is the template's own tags with the provider's default tags)
    const untagged = (plan: Plan) => ({ ...template(plan), tag_specifications: undefined, tags_all: undefined });
    expect(untagged(after)).toEqual(untagged(before));
    expect(group(after)).toEqual(group(before));
  });

  test('a change of the instance type: the digest tag changes, which starts the refresh', () => {
    const [before, after] = [examplePlan('provider'), day2Plan('resized')];
    expect(template(after).instance_type).toBe('t4g.medium');
    expect(digestOf(after)).toMatch(/^[0-9a-f]{40}$/);
    expect(digestOf(after)).not.toBe(digestOf(before));
    const withoutTags = (plan: Plan) => ({ ...group(plan), tag: undefined });
    expect(withoutTags(after)).toEqual(withoutTags(before));
  });

  test('a forward change leaves the digest as it was', () => {
    expect(digestOf(day2Plan())).toBe(digestOf(examplePlan('provider')));
  });

  test('every replacement waits for the NLB to register the new instance and pass it three health checks before an old one goes', () => {
    const asg = group(examplePlan('provider'));
    // 4 minutes for the NLBs to register it, then three passed checks 10 s apart (as the README says)
    expect(TARGET_HEALTH_CHECK).toMatchObject({ interval: 10, healthyThreshold: 3 });
    expect(NAT_INSTANCE_WARMUP_SECONDS).toBe(240 + 30);
    expect(asg.default_instance_warmup).toBe(270);
    // the refresh takes the group's warmup rather than a shorter one of its own
    expect(asg.instance_refresh[0].preferences[0].instance_warmup ?? '').toBe('');
    expect(asg.instance_maintenance_policy).toEqual([{ min_healthy_percentage: 100, max_healthy_percentage: 200 }]);
  });
});

describe('a forward change on a live system', () => {
  test('removing one public forward and adding another leaves every launch template planned value unchanged', () => {
    // GIVEN the real plans of the example and of the example with broker-b-fix removed and broker-c-fix added
    const [before, after] = [examplePlan('provider'), day2Plan()];
    // THEN the launch templates, instance profiles and Auto Scaling groups plan the same
    expect(Object.keys(nat(before, 'aws_launch_template'))).toEqual(['aws_launch_template.nat_launch_template']);
    expect(nat(after, 'aws_launch_template')).toEqual(nat(before, 'aws_launch_template'));
    expect(nat(after, 'aws_autoscaling_group')).toEqual(nat(before, 'aws_autoscaling_group'));
    // and what changes is the rules object
    const rules = (plan: Plan) => nat(plan, 'aws_s3_object')['aws_s3_object.nat_rules'].content as string;
    expect(rules(before)).toContain('comment "broker-b-fix"');
    expect(rules(after)).not.toContain('broker-b-fix');
    expect(rules(after)).toContain('dnat to 203.0.113.30:5000 comment "broker-c-fix"');
  });
});
