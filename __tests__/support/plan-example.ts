/**
 * node --import tsx plan-example.ts OUTDIR PLANDIR
 * Synthesizes the example config into OUTDIR and runs real terraform init,
 * validate and plan on every stack in parallel (plan-stack.ts), writing
 * PLANDIR/<stack>.json or PLANDIR/<stack>.error.
 *
 * The consumer stacks read the provider stack's `services` output from its
 * state. Nothing is applied here, so this first writes a provider state
 * holding only that output, shaped exactly as the synthesized output
 * (tenants, shards, ports), with made-up service names.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { synthesize } from '../../main';
import { fakeProviderState } from './state';
import { planInParallel } from './terraform';

async function main(): Promise<void> {
  const [out, plans] = process.argv.slice(2);
  synthesize(loadConfig(), out);
  const providerJson = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
  writeFileSync(path.join(out, '..', 'terraform.provider.tfstate'), JSON.stringify(fakeProviderState(providerJson), null, 2));
  const stacks = readdirSync(path.join(out, 'stacks'));
  await planInParallel(stacks.map((stack) => ({ dir: path.join(out, 'stacks', stack), base: path.join(plans, stack) })));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
