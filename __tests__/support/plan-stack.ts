/**
 * node --import tsx plan-stack.ts STACKDIR OUTBASE
 * Real terraform init, validate and plan of one synthesized stack, offline;
 * writes OUTBASE.json (the plan) or OUTBASE.error (what failed).
 */
import { writeFileSync } from 'node:fs';
import { initValidatePlan, writeOfflineProviderOverride } from './terraform';

const [dir, base] = process.argv.slice(2);
try {
  writeOfflineProviderOverride(dir);
  writeFileSync(`${base}.json`, JSON.stringify(initValidatePlan(dir, {}, { validate: process.env.DXPL_SKIP_VALIDATE !== '1' })));
} catch (error) {
  writeFileSync(`${base}.error`, error instanceof Error ? error.message : String(error));
}
