/**
 * The measuring harness of the benchmarks: commands run as series (warm-up,
 * then measured runs) or interleaved in rounds, with wall time, CPU time and
 * peak memory of the whole process tree.
 */
import * as path from 'node:path';
import { megabytes, seconds } from './markdown';
import { Measurement, measure } from './measure';
import { Summary, summarize } from './stats';
import type { Options } from '../run';

export const ROOT = path.resolve(__dirname, '..', '..');

/** A measured series: every run and the medians. */
export interface Series {
  readonly label: string;
  readonly command: string;
  readonly runs: Measurement[];
  readonly wall: Summary;
  readonly cpu?: Summary;
  readonly peak: Summary;
  readonly largest?: Summary;
  readonly tree: Summary;
}

export class Bench {
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
    {
      runs,
      warmup = this.options.warmup,
      allowFailure = false,
      cwd = ROOT,
      env = this.env,
    }: { runs: number; warmup?: number; allowFailure?: boolean; cwd?: string; env?: NodeJS.ProcessEnv },
  ): Promise<Series> {
    for (let i = 0; i < warmup; i++) await this.once(label, argv, allowFailure, undefined, cwd, env);
    const measured: Measurement[] = [];
    for (let i = 0; i < runs; i++) measured.push(await this.once(label, argv, allowFailure, `run ${i + 1}/${runs}`, cwd, env));
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
  async once(
    label: string,
    argv: readonly string[],
    allowFailure = false,
    progress?: string,
    cwd = ROOT,
    env = this.env,
  ): Promise<Measurement> {
    const [command, ...args] = argv;
    const slug = label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const log = path.join(this.out, 'logs', `${slug}.log`);
    const m = await measure(command, args, { cwd, env, scratch: path.join(this.out, 'tmp'), log });
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
