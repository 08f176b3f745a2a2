/**
 * The example config's fixtures, each a step run in a child process so the
 * test worker stays small (example.ts asks for them, shared-fixture.ts
 * keeps them):
 *
 *   node --import tsx plan-example.ts synth EXAMPLEDIR
 *     the example into EXAMPLEDIR/cdktf.out, each day-2 change (day2.ts)
 *     into EXAMPLEDIR/<change>.out
 *   node --import tsx plan-example.ts example-plans OUTDIR PLANDIR
 *     real terraform init and plan (which validates first) of every stack
 *     in OUTDIR, in parallel (plan-stack.ts): PLANDIR/<stack>.json or .error
 *   node --import tsx plan-example.ts day2-plans EXAMPLEDIR PLANDIR
 *     the provider stack of each day-2 change: PLANDIR/<change>-provider.json
 *   node --import tsx plan-example.ts deployed STACKDIR PLANBASE DESTDIR
 *     the provider stack applied offline from its plan (applied-state.ts):
 *     DESTDIR/provider.deployed.json or .error
 *
 * The consumer stacks read their handoff objects, which the provider stack
 * publishes once applied. Nothing is applied here, so a loopback S3
 * (fake-aws.ts) holds them, built from the synthesized provider stack.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { EXAMPLE_CONFIG, loadConfig } from '../../config/load';
import { synthesize } from '../../main';
import { applyFromPlan, writeDeployed } from './applied-state';
import { DAY2_CHANGES } from './day2';
import { fakeSubnetOf, startFakeAws } from './fake-aws';
import { fakeHandoffObjects } from './state';
import { planInParallel, readPlan, terraformOk, writeOfflineProviderOverride } from './terraform';

function synth(exampleDir: string): void {
  synthesize(loadConfig(EXAMPLE_CONFIG), path.join(exampleDir, 'cdktf.out'));
  for (const [name, config] of Object.entries(DAY2_CHANGES)) {
    const file = path.join(exampleDir, `${name}.yaml`);
    writeFileSync(file, stringify(config()));
    synthesize(loadConfig(file), path.join(exampleDir, `${name}.out`));
  }
}

async function examplePlans(out: string, plans: string): Promise<void> {
  const providerJson = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
  const aws = await startFakeAws({ defaultSubnet: (id, region) => fakeSubnetOf(id, region) });
  for (const [key, body] of fakeHandoffObjects(providerJson)) aws.objects.set(key, body);
  try {
    const stacks = readdirSync(path.join(out, 'stacks'));
    await planInParallel(
      stacks.map((stack) => ({ dir: path.join(out, 'stacks', stack), base: path.join(plans, stack) })),
      aws,
      // plan validates the configuration first: a separate validate would only start the provider once more.
      { validate: false },
    );
  } finally {
    await aws.close();
  }
}

async function day2Plans(exampleDir: string, plans: string): Promise<void> {
  await planInParallel(
    Object.keys(DAY2_CHANGES).map((name) => ({
      dir: path.join(exampleDir, `${name}.out`, 'stacks', 'provider'),
      base: path.join(plans, `${name}-provider`),
    })),
    undefined,
    { validate: false },
  );
}

async function deployed(stackDir: string, planBase: string, dest: string): Promise<void> {
  try {
    const plan = readPlan(planBase);
    // The plans may come from an earlier run's cache: this run's copy of the stack is not initialized yet.
    if (!existsSync(path.join(stackDir, '.terraform'))) {
      writeOfflineProviderOverride(stackDir);
      terraformOk(stackDir, ['init', '-input=false', '-no-color'], {});
    }
    writeDeployed(path.join(dest, 'provider.deployed.json'), await applyFromPlan(stackDir, plan.json as never));
  } catch (error) {
    writeFileSync(path.join(dest, 'provider.deployed.error'), error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const [step, ...args] = process.argv.slice(2);
  if (step === 'synth') synth(args[0]);
  else if (step === 'example-plans') await examplePlans(args[0], args[1]);
  else if (step === 'day2-plans') await day2Plans(args[0], args[1]);
  else if (step === 'deployed') await deployed(args[0], args[1], args[2]);
  else throw new Error(`plan-example.ts: unknown step ${step}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
