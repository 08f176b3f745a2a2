/**
 * What the benchmark measures, section by section: the main job on the
 * example against its floor, synth scaling, `terraform plan` scaling, and
 * the type-check and test suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Bench, ROOT, Series } from './bench';
import { compileProject } from './compile';
import { writeScaledConfig } from './scale-config';
import { Shape, providerModulesImported, resourceCount, shapeOf } from './shape';
import { terraformEnv, terraformOk, writeOfflineProviderOverride } from '../../__tests__/support/terraform';

const EXAMPLE = path.join(ROOT, 'config', 'example.yaml');
const NLB_CAPACITY = 50;

export interface ExampleResults {
  readonly main: Series;
  readonly cdktf?: Series;
  readonly floorCompiled: Series;
  readonly floorTsx: Series;
  readonly diagnostics: Series[];
  readonly shape: Shape;
  readonly floorModules: string[];
  readonly missingFromFloor: string[];
}

export async function exampleSection(bench: Bench): Promise<ExampleResults> {
  const { out, options } = bench;
  const js = path.join(out, 'js');
  bench.log('precompiling bench/floor.ts to bench/out/js (TypeScript transpileModule, no source maps)');
  compileProject(ROOT, js);

  // One run of the main job first: the floor builds what it wrote (same stacks, resource types and counts).
  const mainOut = path.join(out, 'example', 'main');
  // The main job as `npm run synth` runs it: the built JavaScript, after the check that the build is current.
  const mainArgv = ['node', 'scripts/synth.mjs', '--quiet', '--out', mainOut];
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
          { label: 'npm run synth', argv: ['npm', 'run', '--silent', 'synth', '--', '--quiet', '--out', diag] },
          { label: 'dist/main.js, no build check', argv: ['node', 'dist/main.js', 'config/example.yaml', '--quiet', '--out', diag] },
          {
            label: 'sources through tsx (0.1)',
            argv: ['node', '--import', 'tsx', 'main.ts', 'config/example.yaml', '--quiet', '--out', diag],
          },
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

export interface ScalePoint {
  readonly forwards: number;
  readonly consumers: number;
  readonly stacks: number;
  readonly shards: number;
  readonly resources: number;
  readonly jsonMb: number;
  readonly series: Series;
}

export async function scalingSection(bench: Bench): Promise<ScalePoint[]> {
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
        ['node', 'scripts/synth.mjs', config, '--quiet', '--out', target],
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

export interface PlanPoint {
  readonly forwards: number;
  /** Resource instances the plan creates. */
  readonly resources: number;
  readonly series: Series;
}

/**
 * Real `terraform plan` of the provider stack at several forward counts
 * (one tenant, one consumer; offline: the provider from the local mirror).
 */
export async function planSection(bench: Bench): Promise<PlanPoint[]> {
  const { out, options } = bench;
  const dir = path.join(out, 'plan');
  mkdirSync(dir, { recursive: true });
  const points: PlanPoint[] = [];
  for (const forwards of options.planForwards) {
    const name = `f${forwards}`;
    const config = writeScaledConfig(EXAMPLE, forwards, 1, path.join(dir, `${name}.yaml`));
    const target = path.join(dir, `${name}.out`);
    await bench.once(`plan synth ${forwards}`, ['node', 'scripts/synth.mjs', config, '--quiet', '--out', target]);
    const stack = path.join(target, 'stacks', 'provider');
    writeOfflineProviderOverride(stack);
    terraformOk(stack, ['init', '-input=false', '-no-color']);
    const series = await bench.series(
      `terraform plan ${forwards}`,
      ['terraform', 'plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=plan.bin'],
      { runs: options.planRuns, warmup: 0, cwd: stack, env: terraformEnv() },
    );
    const plan = JSON.parse(terraformOk(stack, ['show', '-json', '-no-color', 'plan.bin'])) as { resource_changes: unknown[] };
    points.push({ forwards, resources: plan.resource_changes.length, series });
  }
  return points;
}

export interface CheckResults {
  readonly tscCold?: Series;
  readonly tscWarm?: Series;
  readonly tscErrors?: [number, number];
  readonly jest?: Series;
  readonly jestSummary?: string;
  /** Per test file of the fast layer, when measured. */
  readonly testFiles?: TestFileCost[];
  /** The fast layer ran without a network. */
  readonly offline?: boolean;
}

export async function checksSection(bench: Bench): Promise<CheckResults> {
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
  let testFiles: TestFileCost[] | undefined;
  let offline = false;
  if (!options.skipTests) {
    // As from a clean clone: an empty fixture cache, so every plan the fast layer needs is built.
    // Offline when it can be: a network namespace with loopback only (root, util-linux unshare).
    const cpuLog = path.join(out, 'test-cpu');
    const cache = path.join(out, 'fixture-cache');
    rmSync(cpuLog, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    const env = { ...bench.env, DXPL_FIXTURE_CACHE: cache, DXPL_CPU_LOG: cpuLog };
    offline = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;
    const argv = offline ? ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec npx jest'] : ['npx', 'jest'];
    bench.log(`fast test layer (npm test${offline ? ', no network: unshare --net' : ''}, empty fixture cache): about 2 minutes`);
    jest = await bench.series('npm test', argv, { runs: 1, warmup: 0, allowFailure: true, env });
    const text = jest.runs[0].stdout + jest.runs[0].stderr;
    jestSummary = /^tests: .+$/m.exec(text)?.[0] ?? /^Tests: .+$/m.exec(text)?.[0] ?? `exit ${jest.runs[0].exitCode}`;
    testFiles = existsSync(cpuLog)
      ? readdirSync(cpuLog).map((f) => JSON.parse(readFileSync(path.join(cpuLog, f), 'utf8')) as TestFileCost)
      : undefined;
  }
  return { tscCold, tscWarm, tscErrors, jest, jestSummary, testFiles, offline };
}

/** What one test file cost (DXPL_CPU_LOG): its CPU with the processes it ran, and its wall time. */
export interface TestFileCost {
  readonly file: string;
  readonly cpu_s: number;
  readonly wall_s: number;
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
