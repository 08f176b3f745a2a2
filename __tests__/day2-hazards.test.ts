/**
 * Issue 21, point 4: the changes that used to take down the NAT group or
 * the link without saying so, planned by the real provider against the
 * example's provider stack as its first apply leaves it (applied-state.ts).
 *
 * - The Auto Scaling group's initial_lifecycle_hook is ForceNew: a release
 *   that changes the hook (its heartbeat, say) replaced the group, a full
 *   NAT outage. The hook now lives in its own resource after creation.
 * - The private VIF's bgp_auth_key is ForceNew: rotating the key
 *   (TF_VAR_bgp_auth_key) replaces the VIF. README "Rotating the BGP key"
 *   says so; this shows it.
 *
 * These are the provider's plans (-refresh=false) against a modelled state:
 * they do not run the provider's read, nor AWS's PutLifecycleHook on an
 * existing hook (an AWS review of the provider source and API reference
 * covers those: it reads back no change, and Put creates or updates).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlanJson, isNoOp, planJson, settle } from './support/applied-state';
import { exampleDeployed, exampleStackDir } from './support/example';
import { FakeAwsProcess, startFakeAwsProcess } from './support/fake-aws-process';
import { terraformOk, writeOfflineProviderOverride } from './support/terraform';

let tmp: string;
let dir: string;
let aws: FakeAwsProcess;
let original: string;
const env = (extra: NodeJS.ProcessEnv = {}) => ({ DXPL_FAKE_AWS_URL: aws.url, ...extra });
const STACK = 'cdk.tf.json';

/** What a plan does, resource by resource, leaving out no-ops: `address actions`. */
function changes(plan: PlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((c) => c.mode === 'managed' && !isNoOp(c.change.actions))
    .map((c) => `${c.address} ${c.change.actions.join(',')}`)
    .sort();
}

/** The example's provider stack with `edit` applied to its JSON. */
function withStack(edit: (stack: Record<string, any>) => void): void {
  const stack = JSON.parse(original);
  edit(stack);
  writeFileSync(path.join(dir, STACK), JSON.stringify(stack, null, 2));
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-day2-hazards-'));
  aws = await startFakeAwsProcess();
  dir = path.join(tmp, 'provider');
  cpSync(exampleStackDir('provider'), dir, { recursive: true, filter: (src) => !/\/(\.terraform|\.dxpl-apply|plan\.bin)/.test(src) });
  original = readFileSync(path.join(dir, STACK), 'utf8');
  writeOfflineProviderOverride(dir, aws.url);
  terraformOk(dir, ['init', '-input=false', '-no-color'], env());
  settle(dir, exampleDeployed(), { env: env() });
}, 600000);
afterAll(async () => {
  await aws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const hook = (heartbeat: number) => (stack: Record<string, any>) => {
  stack.resource.aws_autoscaling_group.nat_asg.initial_lifecycle_hook[0].heartbeat_timeout = heartbeat;
  stack.resource.aws_autoscaling_lifecycle_hook.nat_ready_hook.heartbeat_timeout = heartbeat;
};

describe('against the applied example', () => {
  test('a release that changes the NAT ready hook (heartbeat 600 → 900) updates the hook in place; the group stays', () => {
    withStack(hook(900));
    expect(changes(planJson(dir, env(), 'hook.plan'))).toEqual(['aws_autoscaling_lifecycle_hook.nat_ready_hook update']);
  });

  test('without the hook resource taking over (the group not ignoring initial_lifecycle_hook), the same change replaces the group', () => {
    // The check can fail: this is the 0.2 behaviour it guards against.
    withStack((stack) => {
      hook(900)(stack);
      const lifecycle = stack.resource.aws_autoscaling_group.nat_asg.lifecycle;
      lifecycle.ignore_changes = lifecycle.ignore_changes.filter((k: string) => k !== 'initial_lifecycle_hook');
    });
    expect(changes(planJson(dir, env(), 'hook-0.2.plan'))).toContain('aws_autoscaling_group.nat_asg delete,create');
  });

  test('rotating the BGP key (TF_VAR_bgp_auth_key) replaces the private VIF; what names its id is updated, nothing else replaced', () => {
    withStack(() => undefined);
    const all = changes(planJson(dir, env({ TF_VAR_bgp_auth_key: 'rotated-key-2026' }), 'bgp.plan'));
    expect(all.filter((c) => c.includes('delete'))).toEqual([
      'aws_dx_private_virtual_interface.direct_connect_private_vif[0] delete,create',
    ]);
    expect(all.filter((c) => !c.includes('delete')).every((c) => c.endsWith(' update'))).toBe(true);
  });
});
