/**
 * Module calls with every locked-down input set, to the values the config
 * variant v-locked sets (variants.ts): the same options through the HCL
 * modules and through the config file.
 */
import { consumerModule, forwardsOfTenant, hclForwards, networkModule, serviceModule } from './module-roots';
import { VARIANTS } from './variants';

const LOCKED = VARIANTS.find((v) => v.name === 'v-locked')!.config;

/** The v-locked config, and its locked-down values. */
export const LOCKED_CONFIG: Record<string, any> = LOCKED;
export const BOUNDARY: string = LOCKED.iam.permissions_boundary;
export const IAM_PATH: string = LOCKED.iam.path;
export const KEY: string = LOCKED.kms_key_arn;
export const NAT_SGS: string[] = LOCKED.nat_fleet.security_group_ids;
/** The clients tenant's NLB groups: those of every tenant, then its own. */
export const NLB_SGS: string[] = [
  ...LOCKED.endpoint_service.nlb_security_group_ids,
  ...LOCKED.tenants.find((t: { name: string }) => t.name === 'clients').nlb_security_group_ids,
];
export const ZONE_ID: string = LOCKED.consumers.find((c: { name: string }) => c.name === 'desk-eu').dns_zone_id;

const IAM = `{ permissions_boundary = "${BOUNDARY}", path = "${IAM_PATH}" }`;

/** HCL of a list or string value. */
export const hcl = (v: unknown): string => JSON.stringify(v);
/** A module block with more arguments. */
export const withArgs = (block: string, args: string): string => block.replace(/\n}$/, `\n${args}\n}`);
/** A module block under another label. */
export const relabel = (block: string, label: string): string => block.replace(/^module "[^"]+"/, `module "${label}"`);

/** The VPC module (module.network unless relabelled) with iam and kms_key_arn. */
export function lockedNetworkModule(label = 'network'): string {
  return relabel(networkModule(undefined, `  iam         = ${IAM}\n  kms_key_arn = "${KEY}"`), label);
}

/** The service module in module.network's VPC with iam, kms_key_arn and the account's groups on the NAT instances and NLB. */
export function lockedServiceModule(label: string): string {
  return serviceModule(
    label,
    hclForwards(forwardsOfTenant('clients')),
    `{ security_group_ids = ${hcl(NAT_SGS)} }`,
    `  iam                    = ${IAM}\n  kms_key_arn            = "${KEY}"\n  nlb_security_group_ids = ${hcl(NLB_SGS)}`,
  );
}

/** The consumer module with dns_zone "fix.internal" in the existing zone ZONE_ID. */
export function lockedConsumerModule(label: string): string {
  return withArgs(consumerModule(label, '["10.1.0.0/16"]', '"fix.internal"'), `  dns_zone_id = "${ZONE_ID}"`);
}

/** Every locked-down input of the three modules, under labels of their own (module.network must be in the root too). */
export function lockedDownCalls(): string[] {
  return [lockedNetworkModule('locked_network'), lockedServiceModule('locked'), lockedConsumerModule('locked_consumer')];
}
