/**
 * Benchmarks of dx-privatelink: synth time and memory of the main job
 * against a floor, scaling with forwards and consumer accounts, type-check
 * and test-suite time. Prints a markdown report and refreshes the generated
 * part of bench/RESULTS.md.
 *
 *   npx tsx bench/run.ts [--runs N] [--skip-tests] ...     (see --help)
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileProject } from './lib/compile';
import { Machine, describeMachine, loadAverage } from './lib/machine';
import { code, megabytes, percent, ratio, seconds, table } from './lib/markdown';
import { Measurement, hasGnuTime, measure, memoryMethod } from './lib/measure';
import { writeScaledConfig } from './lib/scale-config';
import { Shape, providerModulesImported, resourceCount, shapeOf } from './lib/shape';
import { Summary, leastSquares, summarize } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'config', 'example.yaml');
const NLB_CAPACITY = 50;

export const USAGE = `usage: npx tsx bench/run.ts [options]

Measures (medians of several runs) the main job on config/example.yaml
against a floor, the cdktf CLI synth, scaling with forwards × consumers,
type-check time (cold and warm) and the full test suite, then prints a
markdown report and rewrites the generated part of bench/RESULTS.md.

  --runs N             measured runs per example command (default 5; $BENCH_RUNS)
  --scale-runs N       measured runs per scaling config (default 3; $BENCH_SCALE_RUNS)
  --warmup N           unmeasured runs before each series (default 1; $BENCH_WARMUP)
  --forwards LIST      scaling forward counts (default 1,10,50,200,1000)
  --consumers LIST     scaling consumer counts (default 1,10,100)
  --skip-cdktf         skip \`npx cdktf synth\`
  --skip-diagnostics   skip the diagnostic variants of the main job
  --skip-scaling       skip the scaling matrix
  --skip-typecheck     skip \`tsc --noEmit\`
  --skip-tests         skip the full \`npx jest\` run ($BENCH_SKIP_TESTS=1)
  --results FILE       results file to refresh (default bench/RESULTS.md)
  --no-results         print the report only
  --help               show this text

Scratch files (generated configs, outputs, logs, precompiled JS) go to bench/out/.`;

export interface Options {
  readonly runs: number;
  readonly scaleRuns: number;
  readonly warmup: number;
  readonly forwards: number[];
  readonly consumers: number[];
  readonly skipCdktf: boolean;
  readonly skipDiagnostics: boolean;
  readonly skipScaling: boolean;
  readonly skipTypecheck: boolean;
  readonly skipTests: boolean;
  readonly results?: string;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options | 'help' {
  const count = (name: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min} (got ${text})`);
    return n;
  };
  const list = (name: string, text: string): number[] => text.split(',').map((t) => count(name, t.trim(), 0, 1));
  let runs = count('BENCH_RUNS', env.BENCH_RUNS, 5, 1);
  let scaleRuns = count('BENCH_SCALE_RUNS', env.BENCH_SCALE_RUNS, 3, 1);
  let warmup = count('BENCH_WARMUP', env.BENCH_WARMUP, 1, 0);
  let forwards = [1, 10, 50, 200, 1000];
  let consumers = [1, 10, 100];
  const skip = new Set<string>(env.BENCH_SKIP_TESTS === '1' ? ['tests'] : []);
  let results: string | undefined = path.join(ROOT, 'bench', 'RESULTS.md');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value; see --help`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--runs') runs = count(arg, value(), runs, 1);
    else if (arg === '--scale-runs') scaleRuns = count(arg, value(), scaleRuns, 1);
    else if (arg === '--warmup') warmup = count(arg, value(), warmup, 0);
    else if (arg === '--forwards') forwards = list(arg, value());
    else if (arg === '--consumers') consumers = list(arg, value());
    else if (arg === '--results') results = path.resolve(value());
    else if (arg === '--no-results') results = undefined;
    else if (/^--skip-(cdktf|diagnostics|scaling|typecheck|tests)$/.test(arg)) skip.add(arg.slice('--skip-'.length));
    else throw new Error(`unknown argument ${arg}; see --help`);
  }
  return {
    runs,
    scaleRuns,
    warmup,
    forwards,
    consumers,
    skipCdktf: skip.has('cdktf'),
    skipDiagnostics: skip.has('diagnostics'),
    skipScaling: skip.has('scaling'),
    skipTypecheck: skip.has('typecheck'),
    skipTests: skip.has('tests'),
    results,
  };
}

/** A measured series: every run and the medians. */
interface Series {
  readonly label: string;
  readonly command: string;
  readonly runs: Measurement[];
  readonly wall: Summary;
  readonly cpu?: Summary;
  readonly peak: Summary;
  readonly largest?: Summary;
  readonly tree: Summary;
}

class Bench {
  readonly out = path.join(ROOT, 'bench', 'out');
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly options: Options) {
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' };
    delete env.DXPL_CONFIG; // the example runs must read the bundled example
    delete env.CDKTF_OUTDIR;
    this.env = env;
  }

  log(message: string): void {
    process.stderr.write(`[bench] ${message}\n`);
  }

  /**
   * `warmup` unmeasured runs, then `runs` measured ones. A failing run stops
   * the benchmark unless `allowFailure` (type-check and tests report their status instead).
   */
  async series(
    label: string,
    argv: readonly string[],
    { runs, warmup = this.options.warmup, allowFailure = false }: { runs: number; warmup?: number; allowFailure?: boolean },
  ): Promise<Series> {
    for (let i = 0; i < warmup; i++) await this.once(label, argv, allowFailure);
    const measured: Measurement[] = [];
    for (let i = 0; i < runs; i++) measured.push(await this.once(label, argv, allowFailure, `run ${i + 1}/${runs}`));
    return this.toSeries(label, argv, measured);
  }

  /**
   * Several commands in rounds, each round running every command once, so
   * that load from elsewhere on the machine falls on all of them alike: the
   * ratios between them are what the report compares.
   */
  async interleaved(commands: readonly { label: string; argv: readonly string[] }[], runs: number): Promise<Series[]> {
    const measured = commands.map((): Measurement[] => []);
    for (let i = 0; i < this.options.warmup; i++) for (const c of commands) await this.once(c.label, c.argv);
    for (let round = 0; round < runs; round++) {
      for (const [j, c] of commands.entries()) measured[j].push(await this.once(c.label, c.argv, false, `round ${round + 1}/${runs}`));
    }
    return commands.map((c, j) => this.toSeries(c.label, c.argv, measured[j]));
  }

  /** One run; logs it when `progress` is given. */
  async once(label: string, argv: readonly string[], allowFailure = false, progress?: string): Promise<Measurement> {
    const [command, ...args] = argv;
    const slug = label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const log = path.join(this.out, 'logs', `${slug}.log`);
    const m = await measure(command, args, { cwd: ROOT, env: this.env, scratch: path.join(this.out, 'tmp'), log });
    if (m.exitCode !== 0 && !allowFailure) {
      throw new Error(`${label}: \`${argv.join(' ')}\` exited with ${m.exitCode}; see ${log}\n${m.stderr.slice(-2000)}`);
    }
    if (progress) this.log(`${label}: ${progress}: ${seconds(m.wallMs)} s, peak ${megabytes(m.peakMb)} MB`);
    return m;
  }

  private toSeries(label: string, argv: readonly string[], measured: Measurement[]): Series {
    const cpu = measured.map((m) => m.cpuMs).filter((v): v is number => v !== undefined);
    const largest = measured.map((m) => m.maxRssMb).filter((v): v is number => v !== undefined);
    return {
      label,
      command: argv.map((a) => (a.startsWith(ROOT) ? path.relative(ROOT, a) || '.' : a)).join(' '),
      runs: measured,
      wall: summarize(measured.map((m) => m.wallMs)),
      cpu: cpu.length === measured.length ? summarize(cpu) : undefined,
      peak: summarize(measured.map((m) => m.peakMb)),
      largest: largest.length === measured.length ? summarize(largest) : undefined,
      tree: summarize(measured.map((m) => m.treeRssMb)),
    };
  }
}

// ---------------------------------------------------------------- sections

interface ExampleResults {
  readonly main: Series;
  readonly cdktf?: Series;
  readonly floorCompiled: Series;
  readonly floorTsx: Series;
  readonly diagnostics: Series[];
  readonly shape: Shape;
  readonly floorModules: string[];
  readonly missingFromFloor: string[];
}

async function exampleSection(bench: Bench): Promise<ExampleResults> {
  const { out, options } = bench;
  const js = path.join(out, 'js');
  bench.log('precompiling main.ts, config/, constructs/ and bench/floor.ts to bench/out/js (TypeScript transpileModule, no source maps)');
  compileProject(ROOT, js);

  // One run of the main job first: the floor builds what it wrote (same stacks, resource types and counts).
  const mainOut = path.join(out, 'example', 'main');
  const mainArgv = ['node', '--import', 'tsx', 'main.ts', '--quiet', '--out', mainOut];
  await bench.once('main job', mainArgv);
  const shape = shapeOf(mainOut);
  const shapeFile = path.join(out, 'example', 'shape.json');
  writeFileSync(shapeFile, `${JSON.stringify(shape, null, 2)}\n`);
  const floorOut = path.join(out, 'example', 'floor');
  const floorArgs = ['--shape', shapeFile, '--out', floorOut];

  const diag = path.join(out, 'example', 'diag');
  const commands = [
    { label: 'main job', argv: mainArgv },
    { label: 'floor, precompiled', argv: ['node', path.join(js, 'bench', 'floor.js'), ...floorArgs] },
    { label: 'floor, through tsx', argv: ['node', '--import', 'tsx', 'bench/floor.ts', ...floorArgs] },
    ...(options.skipCdktf
      ? []
      : [{ label: 'cdktf synth', argv: ['npx', 'cdktf', 'synth', '--output', path.join(out, 'example', 'cdktf')] }]),
    ...(options.skipDiagnostics
      ? []
      : [
          { label: 'tsx CLI (npm run synth)', argv: ['npx', 'tsx', 'main.ts', '--quiet', '--out', diag] },
          {
            label: 'tsx, source maps off',
            argv: ['node', '--import', 'tsx', '--import', './bench/no-source-maps.ts', 'main.ts', '--quiet', '--out', diag],
          },
          { label: 'precompiled JS', argv: ['node', path.join(js, 'main.js'), '--quiet', '--out', diag] },
        ]),
  ];
  const [main, floorCompiled, floorTsx, ...rest] = await bench.interleaved(commands, options.runs);
  const cdktf = options.skipCdktf ? undefined : rest.shift();
  const diagnostics = rest;

  if (resourceCount(shapeOf(floorOut)) !== resourceCount(shape)) {
    throw new Error(`the floor wrote ${resourceCount(shapeOf(floorOut))} resources, the main job ${resourceCount(shape)}`);
  }
  const used = providerModulesImported(tsFiles(path.join(ROOT, 'constructs')));
  const floorModules = [...providerModulesImported([path.join(ROOT, 'bench', 'floor.ts')])].sort();
  const missingFromFloor = [...used].filter((m) => !floorModules.includes(m)).sort();
  return { main, cdktf, floorCompiled, floorTsx, diagnostics, shape, floorModules, missingFromFloor };
}

interface ScalePoint {
  readonly forwards: number;
  readonly consumers: number;
  readonly stacks: number;
  readonly shards: number;
  readonly resources: number;
  readonly jsonMb: number;
  readonly series: Series;
}

async function scalingSection(bench: Bench): Promise<ScalePoint[]> {
  const { out, options } = bench;
  const dir = path.join(out, 'scale');
  mkdirSync(dir, { recursive: true });
  const points: ScalePoint[] = [];
  for (const consumers of options.consumers) {
    for (const forwards of options.forwards) {
      const name = `f${forwards}-c${consumers}`;
      const config = writeScaledConfig(EXAMPLE, forwards, consumers, path.join(dir, `${name}.yaml`));
      const target = path.join(dir, `${name}.out`);
      const series = await bench.series(
        `scale ${forwards}×${consumers}`,
        ['node', '--import', 'tsx', 'main.ts', config, '--quiet', '--out', target],
        { runs: options.scaleRuns },
      );
      const shape = shapeOf(target);
      points.push({
        forwards,
        consumers,
        stacks: Object.keys(shape).length,
        shards: Math.ceil(forwards / NLB_CAPACITY),
        resources: resourceCount(shape),
        jsonMb: jsonBytes(path.join(target, 'stacks')) / 1024 ** 2,
        series,
      });
      rmSync(target, { recursive: true, force: true });
    }
  }
  return points;
}

interface CheckResults {
  readonly tscCold?: Series;
  readonly tscWarm?: Series;
  readonly tscErrors?: [number, number];
  readonly jest?: Series;
  readonly jestSummary?: string;
}

async function checksSection(bench: Bench): Promise<CheckResults> {
  const { out, options } = bench;
  let tscCold: Series | undefined;
  let tscWarm: Series | undefined;
  let tscErrors: [number, number] | undefined;
  if (!options.skipTypecheck) {
    // A private build-info file instead of deleting node_modules/.cache/tsbuildinfo:
    // the same cold start, without discarding the cache other checkouts' runs share.
    const info = path.join(out, 'tsbuildinfo');
    rmSync(info, { force: true });
    const tsc = ['npx', 'tsc', '--noEmit', '-p', '.', '--tsBuildInfoFile', info];
    tscCold = await bench.series('tsc cold', tsc, { runs: 1, warmup: 0, allowFailure: true });
    tscWarm = await bench.series('tsc warm', tsc, { runs: 1, warmup: 0, allowFailure: true });
    const errors = (s: Series) => (s.runs[0].stdout.match(/error TS\d+/g) ?? []).length;
    tscErrors = [errors(tscCold), errors(tscWarm)];
  }
  let jest: Series | undefined;
  let jestSummary: string | undefined;
  if (!options.skipTests) {
    bench.log('full test suite (npx jest): this takes a few minutes');
    jest = await bench.series('npx jest', ['npx', 'jest'], { runs: 1, warmup: 0, allowFailure: true });
    const text = jest.runs[0].stdout + jest.runs[0].stderr;
    jestSummary = /^tests: .+$/m.exec(text)?.[0] ?? /^Tests: .+$/m.exec(text)?.[0] ?? `exit ${jest.runs[0].exitCode}`;
  }
  return { tscCold, tscWarm, tscErrors, jest, jestSummary };
}

// ---------------------------------------------------------------- report

const TARGETS = {
  floorRatio: 2,
  exampleMb: 150,
  bigSynthMs: 10_000,
  testMs: 3 * 60_000,
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

function exampleReport(r: ExampleResults, runs: number): string {
  const floor = r.floorCompiled;
  const rel = (s: Series) => `${ratio(s.wall.median / floor.wall.median)} floor wall`;
  const rows = [
    seriesRow(r.main, `(a) the main job; ${rel(r.main)}`),
    ...(r.cdktf ? [seriesRow(r.cdktf, `(b) through the cdktf CLI; ${rel(r.cdktf)}`)] : []),
    seriesRow(floor, 'the floor (transpiled once by TypeScript; no loader, no source maps)'),
    seriesRow(r.floorTsx, `the floor through the same loader as (a); ${rel(r.floorTsx)}`),
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
    `**Main job / floor:** ${ratio(mainRatio)} wall, ${ratio(cpuRatio)} CPU (against the precompiled floor); ${ratio(tsxRatio)} wall against the floor run through tsx.`,
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

function scalingReport(points: readonly ScalePoint[], runs: number): string {
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

function checksReport(r: CheckResults): string {
  const rows: string[][] = [];
  const row = (s: Series, result: string) =>
    rows.push([s.label, code(s.command), seconds(s.wall.median), s.cpu ? seconds(s.cpu.median) : 'n/a', megabytes(s.peak.median), result]);
  const typeResult = (s: Series, errors = 0) =>
    errors === 0 && s.runs[0].exitCode === 0 ? 'clean' : `${errors} type error(s) (exit ${s.runs[0].exitCode})`;
  if (r.tscCold) row(r.tscCold, typeResult(r.tscCold, r.tscErrors?.[0]));
  if (r.tscWarm) row(r.tscWarm, typeResult(r.tscWarm, r.tscErrors?.[1]));
  if (r.jest) row(r.jest, `${r.jestSummary} (exit ${r.jest.runs[0].exitCode})`);
  if (rows.length === 0) return '';
  return [
    '### Type-check and tests (one run each)',
    '',
    'Cold type-check: a fresh `--tsBuildInfoFile` in bench/out (the same as clearing `node_modules/.cache/tsbuildinfo`, without discarding that shared cache); warm: the same command again.',
    '',
    table(['what', 'command', 'wall s', 'CPU s', 'peak MB', 'result'], rows, ['l', 'l', 'r', 'r', 'r', 'l']),
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

function targetsReport(example: ExampleResults | undefined, points: readonly ScalePoint[], checks: CheckResults): string {
  const verdicts: Verdict[] = [];
  if (example) {
    const { main, floorCompiled, floorTsx } = example;
    const against = (floor: Series) => {
      const cpu = main.cpu && floor.cpu ? `; CPU ${ratio(main.cpu.median / floor.cpu.median)}` : '';
      return ` (${seconds(main.wall.median)} s / ${seconds(floor.wall.median)} s${cpu})`;
    };
    const target = `main job on the example ≤ ${TARGETS.floorRatio}× the floor (wall)`;
    verdicts.push(verdict(target, main.wall.median / floorCompiled.wall.median, TARGETS.floorRatio, ratio, against(floorCompiled)));
    // The same target with the loader's cost on both sides: what the project's own code adds.
    verdicts.push(
      verdict(
        `${target}, floor also run through tsx`,
        main.wall.median / floorTsx.wall.median,
        TARGETS.floorRatio,
        ratio,
        against(floorTsx),
      ),
    );
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
  const testTarget = `\`npm test\` (= jest) ≤ ${TARGETS.testMs / 60_000} minutes`;
  if (checks.jest)
    verdicts.push(verdict(testTarget, checks.jest.wall.median, TARGETS.testMs, (v) => `${seconds(v)} s`, ` (${checks.jestSummary})`));
  else verdicts.push({ target: testTarget, measured: 'not measured', status: 'n/a (--skip-tests)' });
  return [
    '### Targets',
    '',
    table(
      ['target', 'measured', 'status'],
      verdicts.map((v) => [v.target, v.measured, v.status]),
    ),
  ].join('\n');
}

function machineReport(m: Machine, loadBefore: string, loadAfter: string, minutes: number): string {
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

// ---------------------------------------------------------------- main

const BEGIN = '<!-- bench:begin (generated by bench/run.ts; edit outside these markers) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated block of the results file, keeping what is written around it. */
function writeResults(file: string, report: string): void {
  const block = `${BEGIN}\n\n${report}\n\n${END}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = old.indexOf(BEGIN.slice(0, BEGIN.indexOf(' (')));
  const end = old.indexOf(END);
  const text = start >= 0 && end > start ? old.slice(0, start) + block + old.slice(end + END.length) : `# Benchmark results\n\n${block}\n`;
  writeFileSync(file, text);
}

async function run(options: Options): Promise<string> {
  const started = performance.now();
  const loadBefore = loadAverage();
  const bench = new Bench(options);
  mkdirSync(bench.out, { recursive: true });
  if (!hasGnuTime()) bench.log('GNU time not found (/usr/bin/time): peak memory is sampled from /proc only');
  const machine = describeMachine(ROOT);

  const example = await exampleSection(bench);
  const points = options.skipScaling ? [] : await scalingSection(bench);
  const checks = await checksSection(bench);

  const minutes = (performance.now() - started) / 60_000;
  const sections = [
    targetsReport(example, points, checks),
    exampleReport(example, options.runs),
    points.length > 0 ? scalingReport(points, options.scaleRuns) : '',
    checksReport(checks),
    machineReport(machine, loadBefore, loadAverage(), minutes),
  ];
  return sections.filter(Boolean).join('\n\n');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function jsonBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

async function cli(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    const report = await run(options);
    console.log(report);
    if (options.results) {
      writeResults(options.results, report);
      process.stderr.write(`[bench] wrote ${path.relative(process.cwd(), options.results)}\n`);
    }
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void cli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
