#!/usr/bin/env node
/**
 * dx-privatelink: synthesize Terraform JSON for sharing endpoints behind a
 * Direct Connect link through PrivateLink, from one YAML config file.
 *
 *   npm run synth -- [CONFIG] [--out DIR] [--quiet]   (a checkout: dist/main.js, rebuilt when stale)
 *   npx dx-privatelink CONFIG [--out DIR] [--quiet]   (the installed package)
 *
 * Reads CONFIG (or $DXPL_CONFIG; in a checkout, config/example.yaml when
 * neither is given), validates it,
 * builds the provider stack and one stack per consumer account, and synthesizes into DIR (default: cdktf.out, or
 * $CDKTF_OUTDIR when run by `cdktf synth`). The output directory is replaced
 * only when synthesis succeeds.
 */
// First: switches source maps off before cdktf loads (see the file).
import './config/no-source-maps';
import './config/no-token-stack-traces';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DxApp, buildApp } from './config/app';
import { diagram } from './config/diagram';
import { ConfigError, EXAMPLE_CONFIG, loadConfig } from './config/load';
import { OutputDirContext, OutputDirError, checkOutputDir, replaceOutputDir } from './config/output-dir';
import { PACKAGE_ROOT, PACKAGE_VERSION } from './constructs/private/package-root';
import { Config } from './config/schema';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from './constructs/flow-logs';
import { monthlyAlarmCost } from './constructs/private/alarms';
import { PolicyViolationError } from './constructs/policy-pack';
import { ValidationError, targetPath } from './constructs/private/rules';

export const USAGE = `usage: dx-privatelink CONFIG [--out DIR] [--quiet]

Synthesizes Terraform JSON from a YAML config: the provider account's stack
(stacks/provider) and one stack per consumer account (stacks/consumer-NAME),
and diagram.md, a Mermaid picture of what the config builds.

  CONFIG      config file (default: $DXPL_CONFIG; in a checkout, npm run synth
              uses config/example.yaml when neither is given)
  --out DIR   output directory (default: $CDKTF_OUTDIR, else cdktf.out); only
              a directory this tool created, an empty one, or a new path
  --quiet     print nothing on success
  --version   print the version
  --help      show this text

Every stack is checked against the security policy pack (README: Policy).

Exit status: 0 on success; 2 for a bad config or bad arguments; 3 when a
stack violates a policy rule; 1 for any other failure. On any failure
nothing is written and a previous output directory is left as it was.`;

export interface Options {
  readonly config: string;
  readonly outdir: string;
  readonly quiet: boolean;
}

export class UsageError extends Error {}

/** The picture of what the config builds, beside the stacks. */
export const DIAGRAM_FILE = 'diagram.md';

/** This checkout: never an output directory. */
const TOOL_ROOT = PACKAGE_ROOT;

/** How the main job was started. */
export interface Entry {
  /**
   * The config used when neither CONFIG nor $DXPL_CONFIG is given: the
   * bundled example in a checkout (`npm run synth`, `cdktf synth`); none for
   * the installed command, which must not synthesize made-up account ids.
   */
  readonly defaultConfig?: string;
}

/** The checkout's entry (scripts/synth.mjs): the bundled example is the default config. */
export const CHECKOUT: Entry = { defaultConfig: EXAMPLE_CONFIG };

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, entry: Entry = {}): Options | 'help' | 'version' {
  let config: string | undefined;
  let outdir: string | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--version' || arg === '-V') return 'version';
    else if (arg === '--quiet' || arg === '-q') quiet = true;
    else if (arg === '--out') {
      outdir = argv[++i];
      if (!outdir) throw new UsageError('--out needs a directory; give one such as --out cdktf.out');
      refuseOption(outdir);
    } else if (arg.startsWith('--out=')) {
      outdir = arg.slice('--out='.length);
      if (!outdir) throw new UsageError('--out needs a directory (got --out= with nothing after it); give one such as --out=cdktf.out');
      refuseOption(outdir);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}; see --help`);
    else if (config !== undefined) throw new UsageError(`only one config file may be given (got ${config} and ${arg})`);
    else config = arg;
  }
  config ??= env.DXPL_CONFIG || entry.defaultConfig;
  if (config === undefined) {
    throw new UsageError(
      `give the config file: dx-privatelink CONFIG (or set DXPL_CONFIG); copy the example in the package (${shortPath(EXAMPLE_CONFIG)}) and edit it`,
    );
  }
  return {
    config,
    outdir: outdir ?? env.CDKTF_OUTDIR ?? 'cdktf.out',
    quiet,
  };
}

/** `p` relative to the current directory when that is shorter (and the directory still exists). */
function shortPath(p: string): string {
  try {
    const rel = path.relative(process.cwd(), p);
    return rel.length < p.length ? rel : p;
  } catch {
    return p;
  }
}

/** `--out --quiet` names no directory: an option, or a directory name only a path (./-x) may start with. */
function refuseOption(outdir: string): void {
  if (outdir.startsWith('-')) {
    throw new UsageError(
      `--out needs a directory, not the option ${outdir}; give one such as --out cdktf.out (write ./${outdir} for a directory whose name starts with -)`,
    );
  }
}

/** The current directory; a usage error when it was deleted under the shell (a stack trace otherwise). */
function currentDirectory(): string {
  try {
    return process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UsageError('the current directory no longer exists (it was deleted or moved); cd into an existing directory and run again');
  }
}

/**
 * Synthesizes into a fresh sibling directory, then swaps it into place, so a
 * failure at any point leaves an existing `outdir` untouched. `outdir` must
 * pass checkOutputDir: the tool replaces only a directory it created.
 */
export function synthesize(config: Config, outdir: string, context: OutputDirContext = {}): DxApp {
  const target = checkOutputDir(outdir, { toolRoot: TOOL_ROOT, ...context });
  // Run by `cdktf synth|deploy`: the CLI removes stacks that went away itself.
  const cdktfCli = process.env.CDKTF_OUTDIR !== undefined && path.resolve(process.env.CDKTF_OUTDIR) === path.resolve(outdir);
  return replaceOutputDir(
    target,
    context.configFile ?? '(construct API)',
    (staging) => {
      const built = buildApp(config, staging);
      built.app.synth();
      writeFileSync(path.join(staging, DIAGRAM_FILE), diagram(config, built));
      return built;
    },
    { keepOrphanStacks: cdktfCli },
  );
}

/** A list of forward names, shortened when long: `50 forwards: a, b, ... z`. */
function names(list: readonly string[]): string {
  return list.length <= 8 ? list.join(', ') : `${list.length} forwards: ${list.slice(0, 3).join(', ')}, ..., ${list[list.length - 1]}`;
}

/** The NAT fleets: how many, their sizes, and each one's target groups and forwards. */
function fleetLines(config: Config, built: DxApp): string[] {
  const fleets = built.provider.dx.natFleetForwards;
  if (fleets.length === 0) return ['  nat fleets: none (every target is private: NLB IP targets)'];
  const min = config.nat_fleet?.min_size ?? 2;
  const max = config.nat_fleet?.max_size ?? min;
  const shards = Object.values(built.provider.dx.tenants).flatMap((t) => t.shards);
  const width = Math.max(...built.provider.dx.natFleets.map((f) => f.fleetName.length));
  return [
    `  nat fleets: ${fleets.length} (${min} to ${max} instances each)`,
    ...fleets.map((forwards, i) => {
      const groups = shards.reduce((n, s) => n + s.forwardNames.filter((f) => forwards.includes(f)).length, 0);
      return `    ${built.provider.dx.natFleets[i].fleetName.padEnd(width)}  ${groups} target groups, ${forwards.length} forwards`;
    }),
  ];
}

/** Alarms, dashboard, flow logs, protection and image: what operates the deployment. */
function operationLines(config: Config, built: DxApp): string[] {
  const m = config.monitoring ?? {};
  const counts = built.provider.dx.monitoring?.alarmCounts;
  const lines: string[] = [];
  if (m.alarms === false) lines.push('  alarms: off (monitoring.alarms: false)');
  else if (counts) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const topic = m.topic_arn ?? `${config.name}-alarms (created)`;
    const emails = m.emails?.length ?? 0;
    lines.push(
      `  alarms: ${total} to topic ${topic}, ${emails} e-mail subscription${emails === 1 ? '' : 's'}; about $${monthlyAlarmCost(counts).toFixed(2)} a month at CloudWatch list prices`,
      `    ${counts.noHealthyTarget} no healthy target (per forward and NLB), ${counts.natPathDegraded} NAT degraded (per NAT target group), ${counts.fleetBelowMinimum} fleet below minimum, ${counts.connectionDown + counts.vifTrafficStopped} Direct Connect`,
      '    notifications: Auto Scaling launch errors and terminations, endpoint connection requests',
    );
  }
  lines.push(`  dashboard: ${m.dashboard === false ? 'off (monitoring.dashboard: false)' : `${config.name}-dx-privatelink`}`);
  const f = config.flow_logs ?? {};
  lines.push(
    f.enabled === false
      ? '  flow logs: off (flow_logs.enabled: false)'
      : `  flow logs: NLB and NAT subnets, to ${f.destination === 's3' ? f.s3_bucket_arn : `CloudWatch Logs /dx-privatelink/${config.name}/flow-logs, kept ${f.retention_days ?? DEFAULT_FLOW_LOG_RETENTION_DAYS} days`}`,
  );
  lines.push(
    config.deletion_protection === false
      ? '  protection: off (deletion_protection: false): NLBs and endpoint services can be destroyed'
      : '  protection: NLB deletion protection, endpoint services prevent_destroy (deletion_protection: false to tear down)',
  );
  if (built.provider.dx.natFleets.length > 0) {
    const fleet = config.nat_fleet ?? {};
    const image = fleet.ami_id ? `${fleet.ami_id} (pinned)` : 'latest Amazon Linux 2023 (tracked)';
    const lifetime = fleet.max_instance_lifetime_days ? `replaced after ${fleet.max_instance_lifetime_days} days` : 'no maximum lifetime';
    lines.push(`  nat image: ${image}; ${lifetime}`);
  }
  return lines;
}

export function summary(config: Config, built: DxApp, options: Options): string {
  const width = Math.max(...config.forwards.map((f) => f.name.length));
  const stacks = path.join(options.outdir, 'stacks');
  const lines = [
    `dx-privatelink: synthesized ${options.config}`,
    `  forwards:`,
    ...config.forwards.map((f) => {
      const via = targetPath(f.target_ip) === 'nat' ? 'via NAT fleet' : 'direct IP target';
      return `    ${f.name.padEnd(width)}  :${f.listen_port} -> ${f.target_ip}:${f.target_port}  (${via})`;
    }),
    `  stacks:`,
    `    ${built.provider.node.id.padEnd(24)} account ${config.provider_account_id}, ${config.region}`,
    ...Object.entries(built.provider.dx.tenants).flatMap(([tenant, t]) =>
      t.shards.map((s) => `      tenant ${tenant}${t.shards.length > 1 ? ` shard ${s.index}` : ''}: ${names(s.forwardNames)}`),
    ),
    ...config.consumers.map((c) => {
      const stack = built.consumers[c.name];
      const keys = (stack.endpoint.serviceKeys ?? []).join(', ');
      return `    ${stack.node.id.padEnd(24)} account ${c.account_id}, ${c.region ?? config.region}: endpoints ${keys}`;
    }),
    ...fleetLines(config, built),
    ...operationLines(config, built),
    `  policy: ${built.policy.findings.length === 0 ? 'every rule passed' : `${built.policy.findings.length} finding(s), all suppressed`}`,
    ...built.policy.findings.map((f) => `    suppressed ${f.ruleId} ${f.path}: ${f.problem} (reason: ${f.suppressed?.reason})`),
    ...built.policy
      .unusedSuppressions()
      .map((s) => `    unused suppression ${s.ruleId}${s.path ? ` ${s.path}` : ''}: matches nothing; remove it`),
    `  output: ${stacks}/<stack>/cdk.tf.json`,
    `  diagram: ${path.join(options.outdir, DIAGRAM_FILE)}`,
  ];
  return lines.join('\n');
}

export function main(argv: readonly string[], entry: Entry = {}): number {
  let config: string | undefined;
  try {
    const options = parseArgs(argv, process.env, entry);
    if (options === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (options === 'version') {
      console.log(`dx-privatelink ${PACKAGE_VERSION}`);
      return 0;
    }
    // The output directory is checked before the config is read: a bad --out
    // is a usage error whatever the config holds.
    currentDirectory();
    const context = { configFile: options.config };
    checkOutputDir(options.outdir, { toolRoot: TOOL_ROOT, ...context });
    config = options.config;
    const loaded = loadConfig(options.config);
    const built = synthesize(loaded, options.outdir, context);
    if (!options.quiet) console.log(summary(loaded, built, options));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      // Every problem, one per line, most important first.
      for (const line of error.lines()) console.error(`error: ${line}`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof OutputDirError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    // Found while building the stacks (layout, quotas): still about the config.
    if (error instanceof ValidationError) {
      console.error(`error: ${config ?? '(config)'}: ${error.message}`);
      return 2;
    }
    if (error instanceof PolicyViolationError) {
      console.error(`error: ${error.message}`);
      return 3;
    }
    console.error(`error: synthesis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
