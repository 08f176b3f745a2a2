/**
 * From a validated config to a cdktf App: the provider stack, then one stack
 * per consumer account wired to the tenant shards the provider stack laid out.
 */
import { App } from 'cdktf';
import { ConsumerStack } from '../constructs/consumer-stack';
import { ProviderStack } from '../constructs/provider-stack';
import { PROVIDER_STACK, consumerStackId, consumerStackProps, providerStackProps } from './props';
import { Config } from './schema';

export interface DxApp {
  readonly app: App;
  readonly provider: ProviderStack;
  readonly consumers: Record<string, ConsumerStack>;
}

export function buildApp(config: Config, outdir: string): DxApp {
  const app = new App({ outdir });
  const provider = new ProviderStack(app, PROVIDER_STACK, providerStackProps(config));
  const shardsOf = (tenant: string) => provider.dx.tenants[tenant].shards;
  const consumers = Object.fromEntries(
    config.consumers.map((c) => [c.name, new ConsumerStack(app, consumerStackId(c), consumerStackProps(config, c, shardsOf))]),
  );
  return { app, provider, consumers };
}
