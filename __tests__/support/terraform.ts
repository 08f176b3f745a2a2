/**
 * Runs the real Terraform CLI against synthesized stacks, offline: providers
 * come from a local filesystem mirror through a CLI config file this project
 * writes (TF_CLI_CONFIG_FILE is set for the child process only), and a
 * `*_override.tf.json` gives the AWS provider fake credentials and its skip_*
 * flags so validate and plan make no AWS call.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAws, fakeSubnetOf, startFakeAws } from './fake-aws';

/** Where the machine image keeps the mirror; override with DXPL_TF_PROVIDER_MIRROR. */
const MIRROR_CANDIDATES = ['/opt/tf-plugins', '/usr/share/terraform/plugins', path.join(os.homedir(), '.terraform.d', 'plugins')];
const AWS_PROVIDER_DIR = path.join('registry.terraform.io', 'hashicorp', 'aws');

export function providerMirror(): string {
  const explicit = process.env.DXPL_TF_PROVIDER_MIRROR;
  const candidates = explicit ? [explicit] : MIRROR_CANDIDATES;
  for (const dir of candidates) {
    const aws = path.join(dir, AWS_PROVIDER_DIR);
    if (existsSync(aws) && readdirSync(aws).length > 0) return dir;
  }
  throw new Error(
    `no local Terraform provider mirror with hashicorp/aws in ${candidates.join(', ')}; ` +
      'set DXPL_TF_PROVIDER_MIRROR to a filesystem mirror directory (terraform providers mirror DIR)',
  );
}

let cliConfig: string | undefined;

/** A CLI config that installs hashicorp/* providers from the mirror only. */
export function cliConfigFile(): string {
  if (cliConfig) return cliConfig;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-tfrc-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const mirror = providerMirror();
  const file = path.join(dir, 'terraformrc');
  writeFileSync(
    file,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`,
  );
  cliConfig = file;
  return file;
}

export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile(),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export interface TfResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in `dir`; never throws on a non-zero exit. */
export function terraform(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): TfResult {
  const result = spawnSync('terraform', [...args], {
    cwd: dir,
    input,
    env: terraformEnv(env),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs terraform in `dir` without blocking this process (a fake AWS here keeps answering); never rejects on a non-zero exit. */
export function terraformAsync(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<TfResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd: dir, env: terraformEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** Runs terraform and throws with its output when it fails. */
export function terraformOk(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
  const r = terraform(dir, args, env, input);
  if (r.status !== 0) {
    throw new Error(`terraform ${args.join(' ')} failed in ${dir} (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  }
  return r.stdout;
}

/**
 * Lets a root configuration plan offline: fake credentials, no account
 * lookup, no role assumption, and (with `fakeAwsUrl`, see fake-aws.ts) the
 * S3 and EC2 APIs on loopback, for every AWS provider of the root (aliases
 * included) and for an S3 state backend. Written as override files so the
 * synthesized JSON stays as users get it.
 */
export function writeOfflineProviderOverride(dir: string, fakeAwsUrl: string | undefined = process.env.DXPL_FAKE_AWS_URL): void {
  const stackFile = path.join(dir, 'cdk.tf.json');
  const stack = existsSync(stackFile) ? (JSON.parse(readFileSync(stackFile, 'utf8')) as Record<string, any>) : {};
  const aliases: (string | undefined)[] = (stack.provider?.aws ?? [{}]).map((p: { alias?: string }) => p.alias);
  const offline = (alias: string | undefined) => ({
    ...(alias ? { alias } : {}),
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    // allowed_account_ids needs the account id, which is not requested offline.
    allowed_account_ids: null,
    // An empty role_arn makes the provider skip assume_role (it would call STS).
    assume_role: [{ role_arn: '' }],
    ...(fakeAwsUrl ? { endpoints: [{ s3: fakeAwsUrl, ec2: fakeAwsUrl }], s3_use_path_style: true } : {}),
  });
  const override: Record<string, unknown> = { provider: { aws: aliases.map(offline) } };
  const s3 = stack.terraform?.backend?.s3;
  if (s3 && fakeAwsUrl) {
    // An overriding backend block replaces the original: repeat what locates the state.
    override.terraform = {
      backend: {
        s3: {
          bucket: s3.bucket,
          key: s3.key,
          region: s3.region,
          encrypt: s3.encrypt,
          use_lockfile: s3.use_lockfile,
          endpoints: { s3: fakeAwsUrl },
          use_path_style: true,
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
        },
      },
    };
  }
  writeFileSync(path.join(dir, 'zz_offline_override.tf.json'), JSON.stringify(override, null, 2));
}

export interface PlanResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
}

export interface Plan {
  readonly json: {
    planned_values: { root_module: PlanModule; outputs?: Record<string, { value?: unknown; sensitive: boolean }> };
    resource_changes: { address: string; type: string; change: { actions: string[] } }[];
    configuration: unknown;
    variables?: Record<string, { value: unknown }>;
  };
  /** Every planned resource, also inside child modules. */
  readonly resources: PlanResource[];
}

interface PlanModule {
  resources?: PlanResource[];
  child_modules?: PlanModule[];
}

function flatten(module: PlanModule): PlanResource[] {
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(flatten)];
}

/**
 * init, validate and plan a root configuration; returns the plan as JSON.
 * `validate: false` leaves out the separate `terraform validate` (plan
 * validates the same configuration first; this saves a provider start).
 */
export function initValidatePlan(dir: string, env: NodeJS.ProcessEnv = {}, options: { validate?: boolean } = {}): Plan {
  // -reconfigure: a root may have been initialized against another fake S3 endpoint.
  terraformOk(dir, ['init', '-input=false', '-no-color', '-reconfigure'], env);
  const validate = (
    options.validate === false
      ? { valid: true, diagnostics: [] }
      : JSON.parse(terraform(dir, ['validate', '-json', '-no-color'], env).stdout)
  ) as {
    valid: boolean;
    diagnostics: { severity: string; summary: string; detail?: string }[];
  };
  if (!validate.valid) {
    throw new Error(
      `terraform validate failed in ${dir}:\n${validate.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`).join('\n')}`,
    );
  }
  terraformOk(dir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=plan.bin'], env);
  const json = JSON.parse(terraformOk(dir, ['show', '-json', '-no-color', 'plan.bin'], env)) as Plan['json'];
  return { json, resources: flatten(json.planned_values.root_module) };
}

export function resourcesOfType(plan: Plan, type: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/**
 * init, validate and plan several roots at once, each in a child process
 * (plan-stack.ts), which writes `<base>.json` or `<base>.error`. The roots
 * reach AWS APIs on `fake` (started here for the run when not given).
 */
export async function planInParallel(
  jobs: readonly { dir: string; base: string }[],
  fake?: FakeAws,
  options: { validate?: boolean } = {},
): Promise<void> {
  const aws = fake ?? (await startFakeAws({ defaultSubnet: (id, region) => fakeSubnetOf(id, region) }));
  try {
    const planOne = ({ dir, base }: { dir: string; base: string }) =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'plan-stack.ts'), dir, base], {
          stdio: 'inherit',
          env: { ...process.env, DXPL_FAKE_AWS_URL: aws.url, DXPL_SKIP_VALIDATE: options.validate === false ? '1' : '' },
        });
        child.on('exit', (code) => {
          // (The suite may have timed out and removed its directory meanwhile.)
          if (code !== 0 && existsSync(path.dirname(base))) writeFileSync(`${base}.error`, `plan-stack.ts exited with ${code}`);
          resolve();
        });
      });
    // A few at a time: each plan runs the provider plugin, a CPU-heavy process.
    const queue = [...jobs];
    const lanes = Math.max(2, Math.min(4, os.cpus().length * 2));
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await planOne(job);
      }),
    );
  } finally {
    if (!fake) await aws.close();
  }
}

/** The plan written by planInParallel; throws what the run hit. */
export function readPlan(base: string): Plan {
  if (existsSync(`${base}.error`)) throw new Error(readFileSync(`${base}.error`, 'utf8'));
  return JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Plan;
}
