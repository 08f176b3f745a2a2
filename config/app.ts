/**
 * From a validated config to a cdktf App: the provider stack, then one stack
 * per consumer account wired to the tenant shards the provider stack laid out,
 * all checked by the policy pack when synthesized.
 */
import { Aspects, App } from 'cdktf';
import { ConsumerStack } from '../constructs/consumer-stack';
import { PolicyPack } from '../constructs/policy-pack';
import { ProviderStack } from '../constructs/provider-stack';
import { PROVIDER_STACK, consumerStackId, consumerStackProps, providerStackProps } from './props';
import { Config } from './schema';

export interface DxApp {
  readonly app: App;
  readonly provider: ProviderStack;
  readonly consumers: Record<string, ConsumerStack>;
  /** The security policy checked on every stack at synth; its findings after synth. */
  readonly policy: PolicyPack;
}

export function buildApp(config: Config, outdir: string): DxApp {
  const app = new App({ outdir });
  const policy = new PolicyPack({
    suppressions: config.policy?.suppressions?.map((s) => ({ ruleId: s.rule, reason: s.reason, path: s.resource })),
  });
  const provider = new ProviderStack(app, PROVIDER_STACK, providerStackProps(config));
  const shardsOf = (tenant: string) => provider.dx.tenants[tenant].shards;
  const consumers = Object.fromEntries(
    config.consumers.map((c) => [c.name, new ConsumerStack(app, consumerStackId(c), consumerStackProps(config, c, shardsOf))]),
  );
  // cdktf runs the aspects of each stack and its children, not the app's.
  for (const stack of [provider, ...Object.values(consumers)]) Aspects.of(stack).add(policy);
  return { app, provider, consumers, policy };
}
