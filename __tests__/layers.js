/**
 * The test suite's layers. `npm test` runs every test file except the slow
 * ones below, in minutes, between two edits; `npm run test:slow` runs the
 * slow ones; `npm run test:all` (README, .ci/run) runs both and the cdktn
 * install before them. Each slow file is here with what it costs (CPU
 * seconds of the file and the Terraform processes it runs, measured with
 * DXPL_CPU_LOG on the 2-core machine, 2026-12-03) and why it is worth it.
 * layers.test.ts checks that every name is a test file.
 */
const SLOW = {
  'variants.test.ts': '~410 s: every config variant planned with the real provider, and their validate runs',
  'scale.test.ts': '~650 s: 1000 forwards and 100 consumers planned with the real provider',
  'module-examples.test.ts': '~150 s: each module example, README usage block and README module block planned',
  'modules.test.ts': '~145 s: the HCL modules planned against the cdktf stacks',
  'module-bad-inputs.test.ts': '~125 s: every module input validation planned to fail',
  'deletion-protection.test.ts': '~115 s: teardown planned against applied states',
  'modules-same-apply.test.ts': '~115 s: a root that creates its own VPC in the same apply, planned',
  'link-protection.test.ts': '~100 s: the link guards planned against an applied state',
  'module-locked-down.test.ts': '~90 s: locked-down module inputs planned',
  'module-upgrade.test.ts': '~90 s: the 0.2.0 modules applied offline, the current ones planned against them',
  'module-hcl.test.ts': '~85 s: HCL, JSON and constructs planned and compared',
  'package.test.ts': '~35 s: npm pack, installed into a fresh app, synthesized and planned',
  'cdktn.test.ts': '~35 s: the build under cdktn on Node 22 (packages installed by check:cdktn -- --install)',
  'stack-dirs.test.ts': '~30 s: terraform init kept across re-synths and the cdktf CLI',
  'fleet-refresh.test.ts': '~60 s: the provider stacks of three day-2 changes planned',
  'flows.test.ts': '~100 s: the example applied offline (terraform test) and its flows walked',
  'nat-boot-model.test.ts': '~10 s plus the applied example (shared with flows.test.ts)',
  'day2-hazards.test.ts': '~60 s plus the applied example: the NAT hook and BGP key changes planned against it',
  'nat-reload.test.ts': '~150 s: the day-2 provider plans (shared with fleet-refresh.test.ts) and rules reloaded under live connections',
};

module.exports = { SLOW };
