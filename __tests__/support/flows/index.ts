/**
 * The flow model of a deployed system: topology.ts reads it, model.ts lists
 * every flow it needs with its hops, scripts.ts reads the rendered NAT
 * artifacts. flowsOf() is the one entry point the tests use.
 */
import type { Deployed } from '../applied-state';
import { Flow, brokenHops, providerFlows } from './model';
import { Topology } from './topology';

export { type Flow, type Hop, brokenHops, iamAction } from './model';
export { Topology } from './topology';
export { bootCalls, bootSettings, natTranslations } from './scripts';

/** The region and account the deployed system is in: those of its provider configuration. */
export interface Where {
  readonly region: string;
  readonly account: string;
}

/** Every flow of a deployed provider side. */
export function flowsOf(deployed: Deployed, where: Where): Flow[] {
  return providerFlows(new Topology(deployed, where));
}

/** The hops that are missing, one line each (empty when every flow has every hop). */
export function missingHops(deployed: Deployed, where: Where): string[] {
  return brokenHops(flowsOf(deployed, where));
}

/**
 * The AWS CLI calls a fleet's boot script makes that reach their API and are
 * allowed, as `<service> <operation>`: what a stand-in for the CLI may answer.
 */
export function reachableCalls(deployed: Deployed, where: Where, fleet: string): string[] {
  const prefix = `NAT fleet ${fleet}: aws `;
  return flowsOf(deployed, where)
    .filter((f) => f.kind === 'boot' && f.name.startsWith(prefix) && f.hops.every((h) => h.ok))
    .map((f) => f.name.slice(prefix.length));
}
