import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { buildApp } from '../config/app';
import { DIAGRAM_LISTENER_LIMIT, diagram } from '../config/diagram';
import { parseConfig } from '../config/load';
import { ROOT } from './support/cli';
import { exampleOut } from './support/example';
import { config150 } from './support/scale';

// Issue 14: the synth writes a picture of what the config builds, and the
// README shows the example's as the synth writes it.

const mermaid = (markdown: string) => /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';

/** Node ids declared in a flowchart, and the edges as [from, to]. */
function graph(chart: string): { nodes: Set<string>; edges: [string, string][] } {
  const nodes = new Set<string>();
  const edges: [string, string][] = [];
  for (const line of chart.split('\n').map((l) => l.trim())) {
    const edge = /^(\w+) -->(?:\|[^|]*\|)? (\w+)$/.exec(line);
    if (edge) edges.push([edge[1], edge[2]]);
    else {
      const node = /^(\w+)(\[\[|\[)"/.exec(line);
      if (node) nodes.add(node[1]);
    }
  }
  return { nodes, edges };
}

describe('the diagram', () => {
  test("the README shows the example's diagram exactly as the synth writes it", () => {
    const written = readFileSync(path.join(exampleOut(), 'diagram.md'), 'utf8');
    expect(mermaid(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))).toBe(mermaid(written));
  });

  test('the example: consumers → services → listeners → NAT fleet or IP target → broker, every edge between declared nodes', () => {
    const { nodes, edges } = graph(mermaid(readFileSync(path.join(exampleOut(), 'diagram.md'), 'utf8')));
    for (const [from, to] of edges) expect({ from: nodes.has(from), to: nodes.has(to) }).toEqual({ from: true, to: true });
    const has = (from: string, to: string) => edges.some(([a, b]) => a === from && b === to);
    // client-acme is a consumer of tenant clients only: it reaches broker-b-fix and nothing else
    expect(edges.filter(([a]) => a === 'c__client_acme')).toEqual([['c__client_acme', 'svc__clients_0']]);
    expect(has('svc__clients_0', 'l__clients_0__broker_b_fix')).toBe(true);
    expect(has('l__clients_0__broker_b_fix', 'nat__fix_gw_nat')).toBe(true);
    expect(has('nat__fix_gw_nat', 't__198_51_100_20_4500')).toBe(true);
    // the private target is an NLB IP target: no NAT fleet on its way
    expect(has('l__internal_0__clearing_api', 't__172_20_5_15_8443')).toBe(true);
    expect(has('l__internal_0__clearing_api', 'nat__fix_gw_nat')).toBe(false);
  });

  test('a large config is drawn per NLB shard, within what renderers accept', () => {
    const config = parseConfig(stringify(config150()), '150.yaml');
    const built = buildApp(config, path.join(os.tmpdir(), 'dxpl-diagram-unused'));
    const chart = mermaid(diagram(config, built));
    const { nodes, edges } = graph(chart);
    expect(config.forwards.length).toBeGreaterThan(DIAGRAM_LISTENER_LIMIT);
    // 3 tenants in 7 shards, 5 consumers, 7 NAT fleets, public and private targets
    expect(nodes.size).toBe(5 + 7 * 2 + 7 + 2);
    expect(edges.length).toBeLessThan(200);
    for (const [from, to] of edges) expect(nodes.has(from) && nodes.has(to)).toBe(true);
    expect(chart).toContain('listeners :10000–10049');
  });
});
