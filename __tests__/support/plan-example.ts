/**
 * node --import tsx plan-example.ts OUTDIR PLANDIR
 * Synthesizes the example config into OUTDIR and plans every stack into PLANDIR.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { loadConfig } from '../../config/load';
import { synthesize } from '../../main';
import { initValidatePlan, writeOfflineProviderOverride } from './terraform';

const [out, plans] = process.argv.slice(2);
synthesize(loadConfig(), out);
const stacks = readdirSync(path.join(out, 'stacks'));
for (const stack of stacks) {
  const dir = path.join(out, 'stacks', stack);
  try {
    writeOfflineProviderOverride(dir);
    const plan = initValidatePlan(dir);
    writeFileSync(path.join(plans, `${stack}.json`), JSON.stringify(plan));
  } catch (error) {
    writeFileSync(path.join(plans, `${stack}.error`), error instanceof Error ? error.message : String(error));
  }
}
