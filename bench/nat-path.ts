/**
 * NAT data-path benchmark (root only): npx tsx bench/nat-path.ts
 *
 * Builds the namespace lab of the data-path tests (__tests__/support/netns.ts),
 * boots both NAT instances with the boot script Terraform renders for the
 * example config, and compares the NAT path (client → NAT instance → router →
 * broker) with the direct path (client → router → broker, no NAT): TCP
 * handshake latency over sequential connects and one-way throughput into a
 * byte-counting sink. Numbers are for comparison on one machine, not a
 * capacity claim about EC2. Bounded by:
 *   DXPL_BENCH_CONNECTS  connects per path (default 200, at most 5000)
 *   DXPL_BENCH_SECONDS   seconds of sending per path (default 3, at most 30)
 */
import globalSetup from '../__tests__/support/global-setup';
import globalTeardown from '../__tests__/support/global-teardown';
import { exampleNatForwards, renderedNatBootScript } from '../__tests__/support/nat-boot';
import { ADDR, NetnsLab } from '../__tests__/support/netns';

function bounded(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!(Number.isFinite(value) && value > 0 && value <= max)) throw new Error(`${name}=${raw}: use a number above 0 and at most ${max}`);
  return value;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const connects = Math.round(bounded('DXPL_BENCH_CONNECTS', 200, 5000));
  const seconds = bounded('DXPL_BENCH_SECONDS', 3, 30);

  // The boot script comes from a real terraform plan of the example config.
  await globalSetup();
  let lab: NetnsLab | undefined;
  try {
    const script = renderedNatBootScript();
    const forwards = exampleNatForwards();
    lab = await NetnsLab.create(forwards, { brokerMode: 'sink' });
    for (const ns of lab.ns.nats) {
      const boot = lab.runUserData(ns, script);
      if (boot.status !== 0) throw new Error(`boot script failed in ${ns} (exit ${boot.status}):\n${boot.stderr}`);
    }
    const f = forwards[0];
    const client = lab.agent(lab.ns.client);
    const paths = [
      { path: `NAT    ${ADDR.nats[0].vpc}:${f.listenPort} → ${f.targetIp}:${f.targetPort}`, host: ADDR.nats[0].vpc, port: f.listenPort },
      { path: `direct ${f.targetIp}:${f.targetPort} via the router`, host: f.targetIp, port: f.targetPort },
    ];
    const rows: string[][] = [];
    for (const p of paths) {
      const times = (await client.latency(p.host, p.port, connects)).sort((a, b) => a - b);
      const { bytes, ms } = await client.throughput(p.host, p.port, seconds, (seconds + 10) * 1000);
      rows.push([
        p.path,
        String(connects),
        percentile(times, 50).toFixed(3),
        percentile(times, 99).toFixed(3),
        ((bytes * 8) / (ms / 1000) / 1e9).toFixed(2),
        (ms / 1000).toFixed(1),
      ]);
    }
    const header = ['path', 'connects', 'connect p50 ms', 'connect p99 ms', 'Gbit/s', 'seconds'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
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
