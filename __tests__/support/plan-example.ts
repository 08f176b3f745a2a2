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
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { synthesize } from '../../main';
import { fakeProviderState } from './state';

async function main(): Promise<void> {
  const [out, plans] = process.argv.slice(2);
  synthesize(loadConfig(), out);
  const providerJson = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
  writeFileSync(path.join(out, '..', 'terraform.provider.tfstate'), JSON.stringify(fakeProviderState(providerJson), null, 2));
  const stacks = readdirSync(path.join(out, 'stacks'));
  await Promise.all(
    stacks.map(
      (stack) =>
        new Promise<void>((resolve) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', path.join(__dirname, 'plan-stack.ts'), path.join(out, 'stacks', stack), path.join(plans, stack)],
            {
              stdio: 'inherit',
            },
          );
          child.on('exit', (code) => {
            if (code !== 0) writeFileSync(path.join(plans, `${stack}.error`), `plan-stack.ts exited with ${code}`);
            resolve();
          });
        }),
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
