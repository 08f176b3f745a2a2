/**
 * NAT data-path benchmark (root only): npm run bench:nat
 *
 * Builds the namespace lab of the data-path tests (__tests__/support/netns.ts),
 * boots both NAT instances with the boot script and the rules object
 * Terraform renders for the example config, and compares three paths to the
 * same broker:
 *   direct  client → router → broker (no NAT instance at all)
 *   routed  client → NAT instance → router → broker, plain routing, no
 *           nftables: what the extra hop alone costs
 *   NAT     client → NAT instance (DNAT + masquerade, the rendered rules) → router → broker
 * FIX traffic is small messages on long-lived connections, so the main
 * figure is the round trip of a 120-byte message over an established
 * connection (p50, p99); TCP connect latency and bulk throughput follow.
 * It also says whether this kernel has nftables flowtables (the software
 * fast path for established flows). Numbers compare paths on one machine;
 * they are not a capacity claim about EC2. Bounded by:
 *   DXPL_BENCH_ROUND_TRIPS  round trips per path and round (default 10000, at most 100000)
 *   DXPL_BENCH_ROUNDS       interleaved rounds; medians are reported (default 3, at most 20)
 *   DXPL_BENCH_CONNECTS     connects per path (default 200, at most 5000)
 *   DXPL_BENCH_SECONDS      seconds of sending per path (default 3, at most 30)
 */
import globalSetup from '../__tests__/support/global-setup';
import globalTeardown from '../__tests__/support/global-teardown';
import { bootedNatLab, exampleNatForwards } from '../__tests__/support/nat-boot';
import { ADDR, NetnsLab, run } from '../__tests__/support/netns';

function bounded(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!(Number.isFinite(value) && value > 0 && value <= max)) throw new Error(`${name}=${raw}: use a number above 0 and at most ${max}`);
  return value;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const roundTrips = Math.round(bounded('DXPL_BENCH_ROUND_TRIPS', 10000, 100000));
  const rounds = Math.round(bounded('DXPL_BENCH_ROUNDS', 3, 20));
  const connects = Math.round(bounded('DXPL_BENCH_CONNECTS', 200, 5000));
  const seconds = bounded('DXPL_BENCH_SECONDS', 3, 30);

  // The artifacts come from a real terraform plan of the example config.
  await globalSetup();
  const f = exampleNatForwards()[0];
  const nat = ADDR.nats[0];
  let lab: NetnsLab | undefined;
  try {
    // Round trips and connects against echoing brokers.
    lab = await bootedNatLab(exampleNatForwards(), undefined, { brokerMode: 'echo' });
    const client = lab.agent(lab.ns.client);
    const natNs = lab.ns.nats[0];
    const flowtables = run([
      'ip',
      'netns',
      'exec',
      lab.ns.scratch,
      'nft',
      'add table ip probe; add flowtable ip probe ft { hook ingress priority 0; devices = { lo }; }',
    ]);
    const rtt: Record<string, number[][]> = { direct: [], routed: [], NAT: [] };
    const routeVia = (on: boolean) => {
      const verb = on ? 'replace' : 'del';
      lab!.execOk(lab!.ns.client, ['ip', 'route', verb, `${f.targetIp}/32`, ...(on ? ['via', nat.vpc] : [])]);
      lab!.execOk(lab!.ns.router, ['ip', 'route', verb, `${ADDR.client}/32`, ...(on ? ['via', nat.dx] : [])]);
    };
    const measure = async (path: string, host: string, port: number) => {
      const t = (await client.rtt(host, port, roundTrips, 120)).sort((a, b) => a - b);
      rtt[path].push([percentile(t, 50), percentile(t, 99)]);
    };
    await client.rtt(f.targetIp, f.targetPort, 1000, 120); // warm-up
    const saved = lab.execOk(natNs, ['nft', 'list', 'ruleset']);
    for (let r = 0; r < rounds; r++) {
      await measure('direct', f.targetIp, f.targetPort);
      await measure('NAT', nat.vpc, f.listenPort);
      // routed: the same instance without its nftables table (restored after)
      lab.execOk(natNs, ['nft', 'flush', 'ruleset']);
      routeVia(true);
      await measure('routed', f.targetIp, f.targetPort);
      routeVia(false);
      const restore = lab.instanceExec(natNs, ['nft', '-f', '/etc/nftables/dx-privatelink.nft']);
      if (restore.status !== 0 || lab.execOk(natNs, ['nft', 'list', 'ruleset']) !== saved)
        throw new Error(`could not restore the rules: ${restore.stderr}`);
    }
    const connect: Record<string, number[]> = {};
    for (const [path, host, port] of [
      ['direct', f.targetIp, f.targetPort],
      ['NAT', nat.vpc, f.listenPort],
    ] as const) {
      connect[path] = (await client.latency(host, port, connects)).sort((a, b) => a - b);
    }
    lab.destroy();

    // Throughput into byte-counting sinks.
    lab = await bootedNatLab(exampleNatForwards(), undefined, { brokerMode: 'sink' });
    const sinkClient = lab.agent(lab.ns.client);
    const gbits: Record<string, number> = {};
    for (const [path, host, port] of [
      ['direct', f.targetIp, f.targetPort],
      ['NAT', nat.vpc, f.listenPort],
    ] as const) {
      const { bytes, ms } = await sinkClient.throughput(host, port, seconds, (seconds + 10) * 1000);
      gbits[path] = (bytes * 8) / (ms / 1000) / 1e9;
    }

    const p50 = (path: string) => median(rtt[path].map((x) => x[0]));
    const p99 = (path: string) => median(rtt[path].map((x) => x[1]));
    const vs = (value: number, base: number) => `${value >= base ? '+' : ''}${(((value - base) / base) * 100).toFixed(1)}%`;
    console.log(`Round trip of a 120-byte message over an established connection, ms (median of ${rounds} rounds of ${roundTrips}):\n`);
    console.log(
      table(
        ['path', 'p50', 'p99', 'p50 vs direct', 'p99 vs direct'],
        ['direct', 'routed', 'NAT'].map((p) => [
          p,
          p50(p).toFixed(4),
          p99(p).toFixed(4),
          vs(p50(p), p50('direct')),
          vs(p99(p), p99('direct')),
        ]),
      ),
    );
    console.log(`\nTCP connect (${connects} sequential) and throughput (${seconds} s into a sink):\n`);
    console.log(
      table(
        ['path', 'connect p50 ms', 'connect p99 ms', 'Gbit/s'],
        ['direct', 'NAT'].map((p) => [
          p,
          percentile(connect[p], 50).toFixed(3),
          percentile(connect[p], 99).toFixed(3),
          gbits[p].toFixed(2),
        ]),
      ),
    );
    console.log(
      `\nnftables flowtables (fast path for established flows) in this kernel: ${
        flowtables.status === 0 ? 'available' : `not available (${flowtables.stderr.trim().split('\n')[0]})`
      }`,
    );
  } finally {
    lab?.destroy();
    await globalTeardown();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
