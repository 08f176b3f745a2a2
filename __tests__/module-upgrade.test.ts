/**
 * Upgrading a root from the 0.2.0 service module (Direct Connect and flow
 * logs inside it) to the VPC module plus the service module: the 0.2.0
 * module (from git history) is planned and applied offline, then the root
 * is rewritten the way CHANGELOG.md's upgrade note says, with its `moved`
 * blocks read from the note itself, and planned against that state. The
 * link, the VGW, the flow logs and every stateful resource must stay; what
 * is replaced must be exactly what the note's machine-readable line lists.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFromPlan, changedKeys, isNoOp, planJson, settle } from './support/applied-state';
import { ROOT } from './support/cli';
import { FakeAwsProcess, startFakeAwsProcess } from './support/fake-aws-process';
import { consumerModule, moduleRoot } from './support/module-roots';
import { terraformOk, writeOfflineProviderOverride } from './support/terraform';

/** The commit that released 0.2.0 (CHANGELOG "## [0.2.0]"). */
const RELEASE_0_2_0 = 'b012698';
/** Its two modules, as `git archive` gave them: a clone without that history (--depth) still runs the test. */
const RELEASE_MODULES = path.join(ROOT, '__tests__', 'fixtures', 'release-0.2.0-modules.tar.gz');

function extractRelease(into: string): void {
  const r = spawnSync('tar', ['-xzf', RELEASE_MODULES, '-C', into], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -xzf ${RELEASE_MODULES}: ${r.stderr}`);
}

test('the 0.2.0 modules the upgrade starts from are the released ones (when the clone has that history)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-release-0.2.0-'));
  try {
    extractRelease(dir);
    const files = spawnSync(
      'git',
      ['-C', ROOT, 'ls-tree', '-r', '--name-only', RELEASE_0_2_0, 'modules/dx-privatelink-service', 'modules/dx-privatelink-consumer'],
      {
        encoding: 'utf8',
      },
    );
    if (files.status !== 0) return; // a shallow clone: the fixture is all there is
    const names = files.stdout.trim().split('\n');
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) {
      const released = spawnSync('git', ['-C', ROOT, 'show', `${RELEASE_0_2_0}:${name}`], { encoding: 'utf8' }).stdout;
      expect({ name, same: readFileSync(path.join(dir, name), 'utf8') === released }).toEqual({ name, same: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const FORWARDS = `{
    broker-a-fix = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 9876 }
    clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 }
  }`;
const VIF = `{
    private_vif = { connection_id = "dxcon-fgexampl", vlan = 101, bgp_asn = 65010, amazon_address = "169.254.100.1/30", customer_address = "169.254.100.2/30" }
  }`;

/** The same consumer call before and after (its interface did not change). */
const CONSUMER = consumerModule('consumer', '["10.0.0.0/24"]', '"fix.internal"');
const NEW_CONSUMER_SOURCE = path.join(ROOT, 'modules', 'dx-privatelink-consumer');

/** Resource types whose replacement loses state or cuts traffic. */
const STATEFUL =
  /^aws_(vpc_endpoint_service|lb|autoscaling_group|dx_private_virtual_interface|dx_hosted_private_virtual_interface_accepter|dx_gateway_association|vpn_gateway|vpn_gateway_attachment|s3_bucket|sns_topic|cloudwatch_log_group|flow_log)$/;

/** The "Upgrading the modules from 0.2.0" note: its HCL moved blocks and its `upgrade-replaces:` line. */
function upgradeNote(): { moved: string; replaces: string[] } {
  const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  const unreleased = changelog.slice(changelog.indexOf('## [Unreleased]'), changelog.indexOf('## [0.2.0]'));
  const note = unreleased.slice(unreleased.indexOf('Upgrading the modules from 0.2.0'));
  const moved = /```hcl\n([\s\S]*?)```/.exec(note)?.[1];
  const line = /<!-- upgrade-replaces: (\[.*\]) -->/.exec(note)?.[1];
  if (!moved || !line)
    throw new Error('CHANGELOG.md: the modules upgrade note has no ```hcl moved block or no <!-- upgrade-replaces: [...] --> line');
  return { moved, replaces: JSON.parse(line) as string[] };
}

let tmp: string;
let aws: FakeAwsProcess;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-upgrade-'));
  aws = await startFakeAwsProcess();
});
afterAll(async () => {
  await aws.close();
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
});

test('the 0.2.0 modules upgrade as CHANGELOG says: the link moves to the VPC module, every stateful resource stays, the consumer is unchanged', async () => {
  const old = path.join(tmp, 'release');
  mkdirSync(old);
  extractRelease(old);
  const env = { DXPL_FAKE_AWS_URL: aws.url };
  const dir = path.join(tmp, 'root');
  moduleRoot(
    dir,
    `module "service" {
  source             = "${path.join(old, 'modules', 'dx-privatelink-service')}"
  name               = "fix-gw-internal"
  vpc_id             = "vpc-0123456789abcdef0"
  vpc_cidr           = "10.42.0.0/24"
  subnet_ids         = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  route_table_ids    = { a = "rtb-0aaaaaaaaaaaaaaaa" }
  s3_prefix_list_id  = "pl-7ca54015"
  allowed_principals = ["arn:aws:iam::222222222222:root"]
  forwards           = ${FORWARDS}
  direct_connect     = ${VIF}
}

${CONSUMER.replace(NEW_CONSUMER_SOURCE, path.join(old, 'modules', 'dx-privatelink-consumer'))}`,
  );
  writeOfflineProviderOverride(dir, aws.url);
  terraformOk(dir, ['init', '-input=false', '-no-color'], env);
  const deployed = await applyFromPlan(dir, planJson(dir, env, 'release.plan'), env);
  settle(dir, deployed, { env });

  const note = upgradeNote();
  moduleRoot(
    dir,
    `module "network" {
  source          = "${path.join(ROOT, 'modules', 'dx-privatelink-vpc')}"
  name            = "fix-gw-internal"
  vpc_id          = "vpc-0123456789abcdef0"
  vpc_cidr        = "10.42.0.0/24"
  subnet_ids      = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  route_table_ids = { a = "rtb-0aaaaaaaaaaaaaaaa" }
  direct_connect  = ${VIF}
}

module "service" {
  source             = "${path.join(ROOT, 'modules', 'dx-privatelink-service')}"
  name               = "fix-gw-internal"
  network            = module.network.network
  allowed_principals = ["arn:aws:iam::222222222222:root"]
  forwards           = ${FORWARDS}
}

${CONSUMER}

${note.moved}`,
  );
  writeOfflineProviderOverride(dir, aws.url);
  terraformOk(dir, ['init', '-input=false', '-no-color'], env);
  const upgrade = planJson(dir, env, 'upgrade.plan');
  const changes = (upgrade.resource_changes ?? []).filter((c) => c.mode === 'managed' && !isNoOp(c.change.actions));
  const destroyed = changes.filter((c) => c.change.actions.includes('delete'));
  // The link and the flow logs moved, not replaced.
  for (const moved of ['aws_dx_private_virtual_interface.direct_connect_private_vif[0]', 'aws_vpn_gateway.direct_connect_vgw[0]']) {
    const c = (upgrade.resource_changes ?? []).find((r) => r.address === `module.network.${moved}`);
    expect({ moved, previous: c?.previous_address, actions: c?.change.actions, changed: c && changedKeys(c) }).toEqual({
      moved,
      previous: `module.service.${moved}`,
      actions: ['no-op'],
      changed: [],
    });
  }
  expect(destroyed.filter((c) => STATEFUL.test(c.type)).map((c) => c.address)).toEqual([]);
  // The consumer module's interface and resources did not change: at most its tags (the new tags input) are set in place.
  expect(
    changes
      .filter((c) => c.address.startsWith('module.consumer.'))
      .filter((c) => c.change.actions.join() !== 'update' || changedKeys(c).some((k) => !/^tags(_all)?$/.test(k)))
      .map((c) => `${c.address} ${c.change.actions} ${changedKeys(c)}`),
  ).toEqual([]);
  const generic = (address: string) => address.replace(/\["[^"]*"\]|\[\d+\]/g, '');
  expect([...new Set(destroyed.map((c) => generic(c.address)))].sort()).toEqual([...note.replaces].sort());
}, 600000);
