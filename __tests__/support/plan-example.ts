/**
 * node --import tsx plan-example.ts OUTDIR PLANDIR
 * Synthesizes the example config into OUTDIR and runs real terraform init,
 * validate and plan on every stack in parallel (plan-stack.ts), writing
 * PLANDIR/<stack>.json or PLANDIR/<stack>.error.
 *
 * Then applies the provider stack offline (applied-state.ts), writing
 * PLANDIR/provider.deployed.json.
 *
 * The consumer stacks read their handoff objects, which the provider stack
 * publishes once applied. Nothing is applied here, so a loopback S3
 * (fake-aws.ts) holds them, built from the synthesized provider stack.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { synthesize } from '../../main';
import { stringify } from 'yaml';
import { DAY2_CHANGES } from './day2';
import { fakeSubnetOf, startFakeAws } from './fake-aws';
import { fakeHandoffObjects } from './state';
import { planInParallel, readPlan } from './terraform';
import { applyFromPlan, writeDeployed } from './applied-state';

async function main(): Promise<void> {
  const [out, plans] = process.argv.slice(2);
  synthesize(loadConfig(), out);
  // The day-2 changes: only their provider stacks are planned.
  const day2Dirs = Object.entries(DAY2_CHANGES).map(([name, config]) => {
    const file = path.join(out, '..', `${name}.yaml`);
    writeFileSync(file, stringify(config()));
    const dir = path.join(out, '..', `${name}.out`);
    synthesize(loadConfig(file), dir);
    return { dir: path.join(dir, 'stacks', 'provider'), base: path.join(plans, `${name}-provider`) };
  });
  const providerJson = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
  const aws = await startFakeAws({ defaultSubnet: (id, region) => fakeSubnetOf(id, region) });
  for (const [key, body] of fakeHandoffObjects(providerJson)) aws.objects.set(key, body);
  try {
    const stacks = readdirSync(path.join(out, 'stacks'));
    await planInParallel(
      [...stacks.map((stack) => ({ dir: path.join(out, 'stacks', stack), base: path.join(plans, stack) })), ...day2Dirs],
      aws,
    );
  } finally {
    await aws.close();
  }
  // The provider stack as its first apply would leave it (applied-state.ts).
  try {
    const plan = readPlan(path.join(plans, 'provider'));
    writeDeployed(
      path.join(plans, 'provider.deployed.json'),
      await applyFromPlan(path.join(out, 'stacks', 'provider'), plan.json as never),
    );
  } catch (error) {
    writeFileSync(path.join(plans, 'provider.deployed.error'), error instanceof Error ? error.message : String(error));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
