/**
 * A picture of what a config builds, as a Mermaid flowchart in Markdown
 * (GitHub and GitLab render it): consumer accounts → endpoint services (one
 * per tenant shard) → NLB listeners → NAT fleet or IP target → broker.
 * Written by the main job beside the stacks (`<out>/diagram.md`). Large
 * configs are drawn per shard rather than per listener, so the picture stays
 * readable and within what renderers accept.
 */
import { targetPath } from '../constructs/private/rules';
import type { DxApp } from './app';
import { tenantsOf } from './props';
import type { Config } from './schema';

/** Above this many listeners in all, each shard is drawn as one node. */
export const DIAGRAM_LISTENER_LIMIT = 40;

/** A Mermaid node id from parts: letters, digits and underscores only. */
function id(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9]/g, '_')).join('__');
}

export function diagram(config: Config, built: DxApp): string {
  const forwards = new Map(config.forwards.map((f) => [f.name, f]));
  const fleetOf = new Map<string, string>();
  built.provider.dx.natFleetForwards.forEach((names, i) => names.forEach((n) => fleetOf.set(n, built.provider.dx.natFleets[i].fleetName)));
  const tenants = tenantsOf(config);
  const shards = tenants.flatMap((t) => built.provider.dx.tenants[t.name].shards.map((s) => ({ tenant: t.name, shard: s })));
  const detailed = shards.reduce((n, s) => n + s.shard.forwardNames.length, 0) <= DIAGRAM_LISTENER_LIMIT;

  const lines = ['flowchart LR'];
  const edges = new Set<string>();
  const edge = (from: string, to: string, label?: string) => edges.add(`  ${from} -->${label ? `|${label}|` : ''} ${to}`);

  lines.push('  subgraph consumers["consumer accounts"]');
  for (const c of config.consumers) lines.push(`    ${id('c', c.name)}["${c.name}<br/>${c.account_id}, ${c.region ?? config.region}"]`);
  lines.push('  end');

  lines.push(`  subgraph provider["provider ${config.provider_account_id}, ${config.region}"]`);
  for (const { tenant, shard } of shards) {
    const service = id('svc', shard.key);
    lines.push(
      `    ${service}["endpoint service ${tenant}${built.provider.dx.tenants[tenant].shards.length > 1 ? ` shard ${shard.index}` : ''}"]`,
    );
    if (detailed) {
      for (const name of shard.forwardNames) {
        const f = forwards.get(name)!;
        lines.push(`    ${id('l', shard.key, name)}["${shard.loadBalancerName} :${f.listen_port}<br/>${name}"]`);
        edge(service, id('l', shard.key, name));
      }
    } else {
      const ports = shard.forwardNames.map((n) => forwards.get(n)!.listen_port).sort((a, b) => a - b);
      lines.push(
        `    ${id('l', shard.key)}["${shard.loadBalancerName}<br/>${ports.length} listeners :${ports[0]}–${ports[ports.length - 1]}"]`,
      );
      edge(service, id('l', shard.key));
    }
  }
  for (const fleet of built.provider.dx.natFleets) lines.push(`    ${id('nat', fleet.fleetName)}[["NAT fleet ${fleet.fleetName}"]]`);
  lines.push('  end');

  lines.push('  subgraph brokers["behind Direct Connect"]');
  const targets = new Set(config.forwards.map((f) => `${f.target_ip}:${f.target_port}`));
  if (detailed) for (const t of targets) lines.push(`    ${id('t', t)}["${t}"]`);
  else {
    const nat = config.forwards.filter((f) => targetPath(f.target_ip) === 'nat').length;
    if (nat > 0) lines.push(`    ${id('t', 'public')}["${nat} public targets"]`);
    if (nat < config.forwards.length) lines.push(`    ${id('t', 'private')}["${config.forwards.length - nat} private targets"]`);
  }
  lines.push('  end');

  for (const t of tenants) {
    for (const c of t.consumers) {
      for (const s of built.provider.dx.tenants[t.name].shards) edge(id('c', c), id('svc', s.key));
    }
  }
  for (const { shard } of shards) {
    for (const name of shard.forwardNames) {
      const f = forwards.get(name)!;
      const from = detailed ? id('l', shard.key, name) : id('l', shard.key);
      const fleet = fleetOf.get(name);
      const to = detailed ? id('t', `${f.target_ip}:${f.target_port}`) : id('t', fleet ? 'public' : 'private');
      if (fleet) {
        edge(from, id('nat', fleet));
        edge(id('nat', fleet), to, detailed ? name : undefined);
      } else edge(from, to, 'IP target');
    }
  }
  return [
    `# What ${config.name} builds`,
    '',
    `Written by dx-privatelink from the config at synth; ${detailed ? 'one node per listener' : 'one node per NLB shard'}.`,
    '',
    '```mermaid',
    ...lines,
    ...edges,
    '```',
    '',
  ].join('\n');
}
