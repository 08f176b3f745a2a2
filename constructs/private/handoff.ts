/**
 * Names both sides of the consumer handoff agree on. Pure: no cdktf import,
 * so the config loader can use them without loading the constructs.
 */

/** Key of a tenant shard's endpoint service, in the handoff and the consumer's endpoints: `<tenant>-<shard>`. */
export function serviceKey(tenant: string, shard: number): string {
  return `${tenant}-${shard}`;
}

/** Where the handoff of a deployment lives: one bucket per deployment name, provider account and region. */
export function handoffBucketName(name: string, accountId: string, region: string): string {
  return `${name}-handoff-${accountId}-${region}`;
}

/** The object a consumer account reads. */
export function handoffKey(accountId: string): string {
  return `consumers/${accountId}.json`;
}
