/**
 * The markdown report of the benchmarks: targets and their verdicts, and a
 * table per section.
 */
import type { Series } from './bench';
import { Machine } from './machine';
import { code, megabytes, percent, ratio, seconds, table } from './markdown';
import { memoryMethod } from './measure';
import type { CheckResults, ExampleResults, PlanPoint, ScalePoint } from './sections';
import { resourceCount } from './shape';
import { Summary, leastSquares } from './stats';

const TARGETS = {
  floorRatio: 2,
  exampleMb: 150,
  bigSynthMs: 10_000,
  /** `npm test` (the fast layer) from an empty fixture cache, issue 20. */
  testMs: 3 * 60_000,
  testCpuMs: 300_000,
  bigForwards: 1000,
  bigConsumers: 100,
};

function seriesRow(s: Series, note = ''): string[] {
  const range = (x: Summary | undefined, f: (v: number) => string) => (x ? `${f(x.median)} (${f(x.min)}–${f(x.max)})` : 'n/a');
  return [
    s.label,
    code(s.command),
    range(s.wall, (v) => seconds(v)),
    s.cpu ? seconds(s.cpu.median) : 'n/a',
    megabytes(s.peak.median),
    s.largest ? megabytes(s.largest.median) : 'n/a',
    megabytes(s.tree.median),
    note,
  ];
}

const SERIES_HEADER = ['what', 'command', 'wall s, median (min–max)', 'CPU s', 'peak MB', 'largest process MB', 'tree sum MB', 'note'];
const SERIES_ALIGN = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'] as const;

export function exampleReport(r: ExampleResults, runs: number): string {
  const floor = r.floorCompiled;
  const rel = (s: Series) => `${ratio(s.wall.median / floor.wall.median)} floor wall`;
  const rows = [
    seriesRow(r.main, `(a) the main job; ${rel(r.main)}`),
    ...(r.cdktf ? [seriesRow(r.cdktf, `(b) through the cdktf CLI; ${rel(r.cdktf)}`)] : []),
    seriesRow(floor, 'the floor (transpiled once by TypeScript; no loader, no source maps)'),
    seriesRow(r.floorTsx, `the floor through tsx (the loader the 0.1 main job ran under); ${rel(r.floorTsx)}`),
    ...r.diagnostics.map((d) => seriesRow(d, `diagnostic; ${rel(d)}`)),
  ];
  const mainRatio = r.main.wall.median / floor.wall.median;
  const cpuRatio = r.main.cpu && floor.cpu ? r.main.cpu.median / floor.cpu.median : Number.NaN;
  const tsxRatio = r.main.wall.median / r.floorTsx.wall.median;
  const stacks = Object.entries(r.shape)
    .map(([stack, counts]) => `${stack} ${Object.values(counts).reduce((a, b) => a + b, 0)}`)
    .join(', ');
  return [
    `### Main job on config/example.yaml (median of ${runs} interleaved runs)`,
    '',
    table(SERIES_HEADER, rows, SERIES_ALIGN),
    '',
    `**Main job / floor:** ${ratio(mainRatio)} wall, ${ratio(cpuRatio)} CPU (the built main job, with its build check, against the precompiled floor); ${ratio(tsxRatio)} wall against the floor run through tsx.`,
    '',
    `The floor creates the same resources per stack as the main job writes (${resourceCount(r.shape)} resource and data blocks: ${stacks}) ` +
      `with ${r.floorModules.length} deep provider imports (${r.floorModules.join(', ')}), then calls app.synth().` +
      (r.missingFromFloor.length > 0
        ? ` **Warning:** constructs/ imports ${r.missingFromFloor.join(', ')}, which bench/floor.ts does not load: the floor is too low.`
        : ' It loads every provider module constructs/ imports.'),
  ].join('\n');
}

/** Rows whose forwards exceed the smallest count by less than this show no marginal cost: the difference is within the noise. */
const MIN_ADDED_FORWARDS = 100;

/** " + 1.5 ms·S" or " − 0.2 kB·F", for a model written out term by term. */
function term(value: number, digits: number, unit: string): string {
  return ` ${value < 0 ? '−' : '+'} ${Math.abs(value).toFixed(digits)} ${unit}`;
}

export function scalingReport(points: readonly ScalePoint[], runs: number): string {
  // The synth is single-threaded: its CPU time is what grows with the input, and
  // other load on the machine disturbs it far less than wall time.
  const useCpu = points.every((p) => p.series.cpu !== undefined);
  const metricName = useCpu ? 'CPU' : 'wall';
  const metric = (p: ScalePoint) => (useCpu && p.series.cpu ? p.series.cpu.median : p.series.wall.median);
  // t ≈ a + b·S + c·F + d·F·S: fixed, per stack, per forward (provider stack), per forward per stack (consumer ports and records).
  const x = points.map((p) => [1, p.stacks, p.forwards, p.forwards * p.stacks]);
  const canFit = points.length >= 6 && new Set(points.map((p) => p.forwards)).size > 1 && new Set(points.map((p) => p.stacks)).size > 1;
  const fit = (y: (p: ScalePoint) => number) => (canFit ? leastSquares(x, points.map(y)) : undefined);
  const time = fit(metric);
  const wallFit = fit((p) => p.series.wall.median);
  const memory = fit((p) => p.series.peak.median);
  const fewest = Math.min(...points.map((p) => p.forwards));

  const rows = points.map((p, i) => {
    const fitted = time?.fitted[i];
    // Cost of each forward·stack added since the config with the fewest forwards and the same consumers.
    const base = points.find((q) => q.consumers === p.consumers && q.forwards === fewest);
    const marginal =
      base && p.forwards - base.forwards >= MIN_ADDED_FORWARDS
        ? ((metric(p) - metric(base)) / ((p.forwards - base.forwards) * p.stacks)) * 1000
        : undefined;
    return [
      String(p.forwards),
      String(p.consumers),
      String(p.stacks),
      String(p.shards),
      String(p.resources),
      p.jsonMb.toFixed(2),
      seconds(p.series.wall.median),
      p.series.cpu ? seconds(p.series.cpu.median) : 'n/a',
      megabytes(p.series.peak.median),
      marginal === undefined ? '–' : marginal.toFixed(1),
      fitted === undefined ? 'n/a' : seconds(fitted),
      fitted === undefined ? 'n/a' : percent((metric(p) - fitted) / fitted),
    ];
  });
  const header = [
    'forwards F',
    'consumers',
    'stacks S',
    'shards',
    'resource blocks',
    'JSON MB',
    'wall s',
    'CPU s',
    'peak MB',
    `${metricName} µs per added F·S`,
    `${metricName} fit s`,
    'residual',
  ];
  const lines = [
    `### Scaling: forwards × consumer accounts (main job, median of ${runs} runs each)`,
    '',
    'All forwards in one tenant (sharded by 50), every consumer in it; listen ports 10000+i, targets from 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 with every fifth in 172.20.0.0/16 (direct), half the consumers with a DNS zone.',
    '',
    table(header, rows, ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    `"µs per added F·S": (${metricName} time − that of the ${fewest}-forward config with the same consumers) / (added forwards · S), ` +
      `shown from ${MIN_ADDED_FORWARDS} added forwards on; about constant for one consumer count when time grows linearly with forwards. ` +
      `"fit": the least-squares model below; "residual": measured against it.`,
    '',
  ];
  if (time && memory && wallFit) {
    const [a, b, c, d] = time.coefficients;
    const worst = Math.max(...points.map((p, i) => Math.abs(metric(p) - time.fitted[i]) / time.fitted[i]));
    const [ma, mb, mc, md] = memory.coefficients;
    const linear = time.r2 >= 0.98;
    lines.push(
      `**Linear-fit check.** ${metricName} time ≈ ${seconds(a)} s${term(b, 1, 'ms·S')}${term(c, 3, 'ms·F')}${term(d * 1000, 2, 'µs·F·S')} ` +
        `(R² = ${time.r2.toFixed(4)}, largest residual ${(worst * 100).toFixed(0)}%; the same model on wall time: R² = ${wallFit.r2.toFixed(4)}); ` +
        `peak memory ≈ ${ma.toFixed(0)} MB${term(mb, 2, 'MB·S')}${term(mc * 1024, 1, 'kB·F')}${term(md * 1024, 2, 'kB·F·S')} ` +
        `(R² = ${memory.r2.toFixed(4)}). ` +
        (linear
          ? 'Time is linear in stacks, forwards and forwards × stacks (R² ≥ 0.98): no faster-growing term shows.'
          : '**Time is not explained by a linear model (R² < 0.98)**: look for work that grows faster than forwards × stacks, or rerun on a quieter machine.'),
    );
  }
  return lines.join('\n');
}

export function planReport(points: readonly PlanPoint[], runs: number): string {
  const rows = points.map((p) => [
    String(p.forwards),
    String(p.resources),
    seconds(p.series.wall.median),
    p.series.cpu ? seconds(p.series.cpu.median) : 'n/a',
    megabytes(p.series.peak.median),
    p.series.cpu ? ((p.series.cpu.median / p.resources) * 1000).toFixed(0) : 'n/a',
  ]);
  return [
    `### \`terraform plan\` of the provider stack (${runs} run${runs === 1 ? '' : 's'} each)`,
    '',
    'The scaling config with one tenant and one consumer, planned offline by Terraform and the real `hashicorp/aws` provider (init not counted). "resource instances": what the plan creates.',
    '',
    table(['forwards', 'resource instances', 'wall s', 'CPU s', 'peak MB', 'CPU µs per instance'], rows, ['r', 'r', 'r', 'r', 'r', 'r']),
  ].join('\n');
}

export function checksReport(r: CheckResults): string {
  const rows: string[][] = [];
  const row = (s: Series, result: string) =>
    rows.push([s.label, code(s.command), seconds(s.wall.median), s.cpu ? seconds(s.cpu.median) : 'n/a', megabytes(s.peak.median), result]);
  const typeResult = (s: Series, errors = 0) =>
    errors === 0 && s.runs[0].exitCode === 0 ? 'clean' : `${errors} type error(s) (exit ${s.runs[0].exitCode})`;
  if (r.tscCold) row(r.tscCold, typeResult(r.tscCold, r.tscErrors?.[0]));
  if (r.tscWarm) row(r.tscWarm, typeResult(r.tscWarm, r.tscErrors?.[1]));
  if (r.jest) row(r.jest, `${r.jestSummary} (exit ${r.jest.runs[0].exitCode})`);
  if (rows.length === 0) return '';
  const files = [...(r.testFiles ?? [])].sort((a, b) => b.cpu_s - a.cpu_s);
  const perFile = files.length
    ? [
        '',
        `Each file of the fast layer (DXPL_CPU_LOG: the CPU of its jest worker and of every process it ran, terraform and the provider included; a fixture such as the example's plans counts once, in the file that built it): ${files.length} files, ${files.reduce((n, f) => n + f.cpu_s, 0).toFixed(0)} s CPU in all. The slow layer (\`npm run test:slow\`) is listed with its costs in \`__tests__/layers.js\`.`,
        '',
        table(
          ['test file', 'CPU s', 'wall s'],
          files.filter((f, i) => i < 12 || f.cpu_s >= 2).map((f) => [f.file, f.cpu_s.toFixed(1), f.wall_s.toFixed(1)]),
          ['l', 'r', 'r'],
        ),
        files.length > 12 ? `\n(${files.filter((f, i) => !(i < 12 || f.cpu_s >= 2)).length} more files under 2 s CPU each.)` : '',
      ]
    : [];
  return [
    '### Type-check and tests (one run each)',
    '',
    'Cold type-check: a fresh `--tsBuildInfoFile` in bench/out (the same as clearing `node_modules/.cache/tsbuildinfo`, without discarding that shared cache); warm: the same command again.',
    '',
    table(['what', 'command', 'wall s', 'CPU s', 'peak MB', 'result'], rows, ['l', 'l', 'r', 'r', 'r', 'l']),
    ...perFile,
  ].join('\n');
}

interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly status: string;
}

function verdict(target: string, value: number, limit: number, show: (v: number) => string, extra = ''): Verdict {
  const by = Math.abs(value - limit) / limit;
  return {
    target,
    measured: `${show(value)}${extra}`,
    status:
      value <= limit
        ? `**met**: ${show(value)} against ${show(limit)} (${(by * 100).toFixed(0)}% headroom)`
        : `**not met**: ${show(value)} against ${show(limit)} (${(by * 100).toFixed(0)}% over)`,
  };
}

export function targetsReport(example: ExampleResults | undefined, points: readonly ScalePoint[], checks: CheckResults): string {
  const verdicts: Verdict[] = [];
  if (example) {
    const { main, floorCompiled } = example;
    const against = (floor: Series) => {
      const cpu = main.cpu && floor.cpu ? `; CPU ${ratio(main.cpu.median / floor.cpu.median)}` : '';
      return ` (${seconds(main.wall.median)} s / ${seconds(floor.wall.median)} s${cpu})`;
    };
    const target = `main job on the example ≤ ${TARGETS.floorRatio}× the floor (wall)`;
    verdicts.push(verdict(target, main.wall.median / floorCompiled.wall.median, TARGETS.floorRatio, ratio, against(floorCompiled)));
    verdicts.push(
      verdict(`main job on the example ≤ ${TARGETS.exampleMb} MB peak`, main.peak.median, TARGETS.exampleMb, (v) => `${v.toFixed(0)} MB`),
    );
  }
  const big = points.find((p) => p.forwards === TARGETS.bigForwards && p.consumers === TARGETS.bigConsumers);
  const bigTarget = `${TARGETS.bigForwards} forwards × ${TARGETS.bigConsumers} consumers ≤ ${TARGETS.bigSynthMs / 1000} s`;
  if (big) {
    const cpu = big.series.cpu ? ` (CPU ${seconds(big.series.cpu.median)} s)` : '';
    verdicts.push(verdict(bigTarget, big.series.wall.median, TARGETS.bigSynthMs, (v) => `${seconds(v)} s`, cpu));
  } else verdicts.push({ target: bigTarget, measured: 'not measured', status: 'n/a (scaling skipped or that point not in the matrix)' });
  const testTarget = `\`npm test\` (the fast layer, empty fixture cache${checks.offline ? ', no network' : ''}) ≤ ${TARGETS.testMs / 60_000} minutes wall`;
  const testCpuTarget = `\`npm test\` ≤ ${TARGETS.testCpuMs / 1000} s CPU`;
  if (checks.jest) {
    verdicts.push(verdict(testTarget, checks.jest.wall.median, TARGETS.testMs, (v) => `${seconds(v)} s`, ` (${checks.jestSummary})`));
    if (checks.jest.cpu) verdicts.push(verdict(testCpuTarget, checks.jest.cpu.median, TARGETS.testCpuMs, (v) => `${seconds(v)} s`));
  } else verdicts.push({ target: testTarget, measured: 'not measured', status: 'n/a (--skip-tests)' });
  return [
    '### Targets',
    '',
    table(
      ['target', 'measured', 'status'],
      verdicts.map((v) => [v.target, v.measured, v.status]),
    ),
  ].join('\n');
}

export function machineReport(m: Machine, loadBefore: string, loadAfter: string, minutes: number): string {
  const pkgs = Object.entries(m.packages)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ');
  return [
    '### Machine',
    '',
    `- ${m.date}; ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb.toFixed(1)} GB memory, ${m.kernel}`,
    `- node ${m.node}, npm ${m.npm}, ${m.terraform}; ${pkgs}`,
    `- load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after; the benchmark took ${minutes.toFixed(1)} minutes`,
    `- memory: ${memoryMethod()}`,
    '- wall time: measured by the benchmark around each process (spawn to exit); CPU: user + system of the whole tree from GNU time',
  ].join('\n');
}
