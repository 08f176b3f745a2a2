/**
 * Benchmarks of dx-privatelink: synth time and memory of the main job
 * against a floor, scaling with forwards and consumer accounts, type-check
 * and test-suite time. Prints a markdown report and refreshes the generated
 * part of bench/RESULTS.md.
 *
 *   npx tsx bench/run.ts [--runs N] [--skip-tests] ...     (see --help)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Bench, ROOT } from './lib/bench';
import { describeMachine, loadAverage } from './lib/machine';
import { hasGnuTime } from './lib/measure';
import { checksReport, exampleReport, machineReport, planReport, scalingReport, targetsReport } from './lib/report';
import { checksSection, exampleSection, planSection, scalingSection } from './lib/sections';

export const USAGE = `usage: npx tsx bench/run.ts [options]

Measures (medians of several runs) the main job on config/example.yaml
against a floor, the cdktf CLI synth, scaling with forwards × consumers,
type-check time (cold and warm) and the fast test layer (npm test), then prints a
markdown report and rewrites the generated part of bench/RESULTS.md.

  --runs N             measured runs per example command (default 5; $BENCH_RUNS)
  --scale-runs N       measured runs per scaling config (default 3; $BENCH_SCALE_RUNS)
  --warmup N           unmeasured runs before each series (default 1; $BENCH_WARMUP)
  --forwards LIST      scaling forward counts (default 1,10,50,200,1000)
  --consumers LIST     scaling consumer counts (default 1,10,100)
  --skip-cdktf         skip \`npx cdktf synth\`
  --skip-diagnostics   skip the diagnostic variants of the main job
  --skip-scaling       skip the scaling matrix
  --plan-forwards LIST forward counts for \`terraform plan\` timing (default 50,200,1000)
  --plan-runs N        measured plans per count (default 1; $BENCH_PLAN_RUNS)
  --skip-plan          skip the \`terraform plan\` timing
  --skip-typecheck     skip \`tsc --noEmit\`
  --skip-tests         skip the \`npm test\` run (the fast layer; $BENCH_SKIP_TESTS=1)
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
  readonly planForwards: number[];
  readonly planRuns: number;
  readonly skipPlan: boolean;
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
  let planForwards = [50, 200, 1000];
  let planRuns = count('BENCH_PLAN_RUNS', env.BENCH_PLAN_RUNS, 1, 1);
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
    else if (arg === '--plan-forwards') planForwards = list(arg, value());
    else if (arg === '--plan-runs') planRuns = count(arg, value(), planRuns, 1);
    else if (arg === '--results') results = path.resolve(value());
    else if (arg === '--no-results') results = undefined;
    else if (/^--skip-(cdktf|diagnostics|scaling|plan|typecheck|tests)$/.test(arg)) skip.add(arg.slice('--skip-'.length));
    else throw new Error(`unknown argument ${arg}; see --help`);
  }
  return {
    runs,
    scaleRuns,
    warmup,
    forwards,
    consumers,
    planForwards,
    planRuns,
    skipPlan: skip.has('plan'),
    skipCdktf: skip.has('cdktf'),
    skipDiagnostics: skip.has('diagnostics'),
    skipScaling: skip.has('scaling'),
    skipTypecheck: skip.has('typecheck'),
    skipTests: skip.has('tests'),
    results,
  };
}

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
  const plans = options.skipPlan ? [] : await planSection(bench);
  const checks = await checksSection(bench);

  const minutes = (performance.now() - started) / 60_000;
  const sections = [
    targetsReport(example, points, checks),
    exampleReport(example, options.runs),
    points.length > 0 ? scalingReport(points, options.scaleRuns) : '',
    plans.length > 0 ? planReport(plans, options.planRuns) : '',
    checksReport(checks),
    machineReport(machine, loadBefore, loadAverage(), minutes),
  ];
  return sections.filter(Boolean).join('\n\n');
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
