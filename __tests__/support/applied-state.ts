/**
 * A Terraform root "applied" offline, as AWS would leave it after a first
 * apply: every resource with every value, ids and references included.
 *
 *   1. The first plan (the real provider, offline) says what is created and
 *      which values only AWS knows (unknown until apply).
 *   2. `terraform test` applies the root with every created instance
 *      overridden (`override_resource`): Terraform itself evaluates every
 *      expression, so each reference gets the id of what it names, while the
 *      ids, ARNs and generated names of the overrides are made up in AWS's
 *      formats (fake-values.ts). Nothing calls AWS; data sources are read
 *      from the root's fake AWS as in any offline plan.
 *   3. The state is the first plan's values (what the provider plans,
 *      defaults included) with the values test (2) resolved for everything
 *      the plan left unknown.
 *
 * settle() then writes it as the root's state and plans against it with the
 * real provider (`-refresh=false`) until the same configuration plans no
 * change: the starting point for day-2 plans.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FakeContext, knownFake } from './fake-values';
import { stateV4, withoutDynamicTypes } from './state-v4';
import { terraformEnv, terraformOk } from './terraform';

type Json = Record<string, any>;

/** The JSON of `terraform show -json` of a plan. */
export interface PlanJson {
  readonly resource_changes?: ResourceChange[];
  readonly prior_state?: { values?: { root_module: StateModule } };
  readonly planned_values: { root_module: StateModule };
  readonly configuration: { provider_config?: Json; root_module: ConfigModule };
  readonly variables?: Json;
}

export interface ResourceChange {
  readonly address: string;
  /** The address the instance had in the prior state, when a moved block moves it. */
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly change: {
    actions: string[];
    before: Json | null;
    after: Json | null;
    after_unknown?: Json;
    after_sensitive?: Json | boolean;
    replace_paths?: unknown[][];
  };
  readonly action_reason?: string;
}

/** A state in `terraform show -json` form (`values`). */
export interface StateModule {
  readonly address?: string;
  readonly resources?: StateResource[];
  readonly child_modules?: StateModule[];
}

export interface StateResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly schema_version?: number;
  readonly values: Json;
  readonly sensitive_values?: Json;
}

interface ConfigResource {
  readonly address: string;
  readonly type: string;
  readonly mode: string;
  readonly provider_config_key?: string;
  readonly schema_version?: number;
  readonly expressions?: Json;
}

interface ConfigModule {
  readonly resources?: ConfigResource[];
  readonly module_calls?: Record<string, { module: ConfigModule }>;
}

/** A deployed system: every resource instance (managed and data) with its values, by address. */
export interface Deployed {
  readonly resources: Map<string, StateResource & { module?: string }>;
  /** Resource schemas of the provider (attribute types), for values made up later. */
  readonly schemas: Schemas;
}

/** Attribute types of each resource type (`terraform providers schema -json`). */
type Schemas = Record<string, { block: { attributes?: Record<string, { type?: unknown }> } }>;

/** What AWS reports for a value of `type` that it leaves alone: an empty collection, or null. */
function emptyOf(type: unknown): unknown {
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map') return {};
  return null;
}

const TEST_DIR = '.dxpl-apply';

/** Every resource of a state module tree, with the module address it is in. */
export function stateResources(root: StateModule): (StateResource & { module?: string })[] {
  const walk = (m: StateModule): (StateResource & { module?: string })[] => [
    ...(m.resources ?? []).map((r) => ({ ...r, module: m.address })),
    ...(m.child_modules ?? []).flatMap(walk),
  ];
  return walk(root);
}

/**
 * Applies `dir` offline from its first plan (steps 1 to 3 above). The root
 * must be initialized for offline plans already (terraform.ts).
 */
export async function applyFromPlan(dir: string, plan: PlanJson, env: NodeJS.ProcessEnv = {}): Promise<Deployed> {
  const created = (plan.resource_changes ?? []).filter((c) => c.mode === 'managed' && c.change.actions.includes('create'));
  const overrides = madeUpValues(plan, created);
  const testDir = path.join(dir, TEST_DIR);
  rmSync(testDir, { recursive: true, force: true });
  mkdirSync(testDir, { recursive: true });
  writeFileSync(
    path.join(testDir, 'apply.tftest.json'),
    JSON.stringify({
      // No call to the provider: every created instance is overridden, and
      // every data source reads what the first plan read.
      mock_provider: { aws: {} },
      override_resource: [...overrides].map(([target, values]) => ({ target, values })),
      override_data: stateResources(plan.prior_state?.values?.root_module ?? {})
        .filter((r) => r.mode === 'data')
        .map((r) => ({ target: r.address, values: r.values })),
      run: { apply: { command: 'apply' } },
    }),
  );
  const { events, status, stderr } = await runUntilState(dir, env);
  const state = events.find((e) => e.type === 'test_state')?.test_state as {
    values?: { root_module: StateModule };
    root_module?: StateModule;
    provider_schemas?: Record<string, { resource_schemas: Schemas }>;
  };
  if (!state) {
    const errors = events
      .filter((e) => e['@level'] === 'error')
      .map((e) =>
        [
          e['@message'],
          e.diagnostic?.address,
          e.diagnostic?.range ? `${e.diagnostic.range.filename}:${e.diagnostic.range.start.line}` : undefined,
          e.diagnostic?.snippet?.code?.trim(),
          e.diagnostic?.detail,
        ]
          .filter(Boolean)
          .join(' '),
      );
    throw new Error(`terraform test could not apply ${dir} (exit ${status}):\n${[...new Set(errors)].slice(0, 20).join('\n')}\n${stderr}`);
  }
  const applied = new Map(stateResources(state.root_module ?? state.values!.root_module).map((res) => [res.address, res]));
  const resources = new Map<string, StateResource & { module?: string }>();
  // Data sources as the plan read them.
  for (const res of stateResources(plan.prior_state?.values?.root_module ?? {})) if (res.mode === 'data') resources.set(res.address, res);
  const configs = configIndex(plan.configuration.root_module);
  const schemas = state.provider_schemas?.['registry.terraform.io/hashicorp/aws']?.resource_schemas ?? {};
  for (const c of created) {
    const done = applied.get(c.address);
    if (!done) throw new Error(`terraform test did not apply ${c.address}`);
    const expressions = configs.get(configAddress(c))?.expressions ?? {};
    resources.set(c.address, {
      ...done,
      module: c.module_address,
      // terraform_data is applied for real (only aws is mocked): its state is the truth.
      values:
        c.type === 'terraform_data'
          ? withoutDynamicTypes(done.values)
          : merged(
              c.change.after ?? {},
              c.change.after_unknown ?? {},
              done.values,
              expressions,
              overrides.get(c.address) ?? {},
              schemas[c.type]?.block.attributes ?? {},
            ),
      sensitive_values: typeof c.change.after_sensitive === 'object' ? c.change.after_sensitive : undefined,
    });
  }
  for (const res of applied.values()) if (res.mode === 'data' && !resources.has(res.address)) resources.set(res.address, res);
  return { resources, schemas };
}

/**
 * Runs the test file and stops it as soon as it has printed the state it
 * applied: its cleanup (a destroy of everything, refused anyway where
 * prevent_destroy guards a resource) would cost as long as the apply.
 */
function runUntilState(dir: string, env: NodeJS.ProcessEnv): Promise<{ events: Json[]; status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group: stopping it also stops the provider plugins it
    // started (killing terraform alone left them running, one per apply).
    const child = spawn('terraform', ['test', `-test-directory=${TEST_DIR}`, '-verbose', '-json', '-no-color'], {
      cwd: dir,
      env: terraformEnv(env),
      detached: true,
    });
    const events: Json[] = [];
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const event = JSON.parse(line) as Json;
        events.push(event);
        if (event.type === 'test_state') process.kill(-child.pid!, 'SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ events, status, stderr }));
  });
}

/**
 * The planned values, with what the plan left unknown filled: from the
 * configuration as Terraform evaluated it (`resolved`), a made-up value,
 * or, for a value AWS computes and nothing here names, null (what AWS
 * reports for a setting it leaves alone; test's own random value would be
 * checked by the provider as if it were configured).
 */
function merged(after: Json, unknown: Json, resolved: Json, expressions: Json, made: Json, types: Json = {}): Json {
  const out: Json = Array.isArray(after) ? [...after] : { ...after };
  for (const [k, u] of Object.entries(unknown)) {
    if (u === true) {
      out[k] = expressions?.[k] !== undefined || made?.[k] !== undefined ? (resolved?.[k] ?? null) : emptyOf(types[k]?.type);
    } else if (u && typeof u === 'object' && after[k] && typeof after[k] === 'object') {
      const expr = expressions?.[k];
      if (Array.isArray(u) && Array.isArray(after[k]))
        out[k] = after[k].map((item: Json, i: number) =>
          u[i] && typeof u[i] === 'object'
            ? merged(item, u[i], resolved?.[k]?.[i], Array.isArray(expr) ? (expr[i] ?? expr[0]) : undefined, undefined as never)
            : item,
        );
      else out[k] = merged(after[k], u, resolved?.[k], expr, undefined as never);
    }
  }
  return out;
}

/**
 * Values AWS would give each created instance for what the plan left
 * unknown and the configuration does not set: ids, ARNs, generated names
 * (fake-values.ts). A value made of another (a listener's ARN of its load
 * balancer's) is made once the other is.
 */
function madeUpValues(plan: PlanJson, created: ResourceChange[]): Map<string, Json> {
  const ctxOf = contextsOf(plan);
  const configs = configIndex(plan.configuration.root_module);
  const values = new Map(created.map((c) => [c.address, { ...(c.change.after ?? {}) }]));
  const out = new Map<string, Json>(created.map((c) => [c.address, {}]));
  for (let pass = 0; pass < 3; pass++) {
    for (const c of created) {
      const config = configs.get(configAddress(c));
      const known = values.get(c.address)!;
      // A plain reference to another created instance: its value, once made up.
      for (const [attr, u] of Object.entries(c.change.after_unknown ?? {})) {
        if (u !== true) continue;
        const ref = plainReference(config?.expressions?.[attr]?.constant_value, c);
        if (ref) {
          const v = values.get(ref.address)?.[ref.attr];
          if (v !== undefined && v !== null) known[attr] = v;
          continue;
        }
        const fake = knownFake(c.type, c.address, attr, known, ctxOf(config?.provider_config_key));
        if (config?.expressions?.[attr] !== undefined) {
          // Set in the configuration but unknown: what it evaluates to at
          // apply wins over an override; when that is null, AWS computes
          // the value, and the override says what AWS would (64512 for a
          // VGW's ASN), not the mock's random string.
          if (fake !== undefined && fake !== null && !JSON.stringify(fake).includes('undefined')) out.get(c.address)![attr] = fake;
          continue;
        }
        if (fake !== undefined && fake !== null && !JSON.stringify(fake).includes('undefined')) {
          known[attr] = fake;
          out.get(c.address)![attr] = fake;
        }
      }
    }
  }
  return out;
}

/** `${aws_x.y.attr}` or `${aws_x.y[each.key].attr}` (same module): what it names. */
function plainReference(expression: unknown, self: ResourceChange): { address: string; attr: string } | undefined {
  if (typeof expression !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[(each\.key|count\.index|\d+|"[^"]*")\])?\.([a-z0-9_]+)\}$/.exec(expression);
  if (!m) return undefined;
  const [, type, name, , index, attr] = m;
  let key = '';
  if (index === 'each.key') key = `[${JSON.stringify(self.index)}]`;
  else if (index === 'count.index') key = `[${self.index}]`;
  else if (index !== undefined) key = `[${index}]`;
  return { address: `${self.module_address ? `${self.module_address}.` : ''}${type}.${name}${key}`, attr };
}

// ---- settling against the real provider ------------------------------------

export interface Settled {
  /** The last plan: no change. */
  readonly plan: PlanJson;
  readonly stateFile: string;
  /** Plans it took. */
  readonly rounds: number;
}

const BACKEND_OVERRIDE = 'zzz_applied_state_override.tf.json';
const STATE_FILE = 'applied.tfstate';

/**
 * Writes `deployed` as the root's state (a local file, through a backend
 * override) and plans against it with `-refresh=false` until nothing
 * changes, taking each round's planned values (what is still unknown made
 * up again, the same way). Throws, naming what still changes, when it does
 * not settle within `maxRounds` plans.
 */
export function settle(dir: string, deployed: Deployed, options: { maxRounds?: number; env?: NodeJS.ProcessEnv } = {}): Settled {
  const env = options.env ?? {};
  const stateFile = path.join(dir, STATE_FILE);
  writeFileSync(path.join(dir, BACKEND_OVERRIDE), JSON.stringify({ terraform: { backend: { local: { path: stateFile } } } }, null, 2));
  let current = new Map([...deployed.resources].filter(([, r]) => r.mode === 'managed'));
  let serial = 1;
  writeFileSync(stateFile, JSON.stringify(stateV4(current, serial++)));
  terraformOk(dir, ['init', '-input=false', '-no-color', '-reconfigure'], env);
  const maxRounds = options.maxRounds ?? 4;
  for (let round = 1; ; round++) {
    const plan = planJson(dir, env);
    const changes = (plan.resource_changes ?? []).filter((c) => c.mode === 'managed' && !isNoOp(c.change.actions));
    if (changes.length === 0) return { plan, stateFile, rounds: round };
    if (round === maxRounds) {
      throw new Error(
        `${dir} does not settle after ${maxRounds} plans; still changing:\n${changes
          .slice(0, 20)
          .map((c) => `  ${c.address}: ${c.change.actions.join(',')} ${changedKeys(c).join(', ')}`)
          .join('\n')}`,
      );
    }
    current = nextRound(plan, current, changes, deployed.schemas);
    writeFileSync(stateFile, JSON.stringify(stateV4(current, serial++)));
  }
}

/** plan -refresh=false against the root's current state, as JSON. */
export function planJson(dir: string, env: NodeJS.ProcessEnv = {}, out = 'applied.plan'): PlanJson {
  terraformOk(dir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', `-out=${out}`], env);
  return JSON.parse(terraformOk(dir, ['show', '-json', '-no-color', out], env)) as PlanJson;
}

export const isNoOp = (actions: string[]) => actions.length === 1 && (actions[0] === 'no-op' || actions[0] === 'read');

/** Attributes a change touches: changed values and values unknown until apply. */
export function changedKeys(c: ResourceChange): string[] {
  const before = c.change.before ?? {};
  const after = c.change.after ?? {};
  const unknown = c.change.after_unknown ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
}

/** The planned values of each change, with what is unknown made up as in the first apply (kept from before where it can be). */
function nextRound(plan: PlanJson, current: Map<string, StateResource & { module?: string }>, changes: ResourceChange[], schemas: Schemas) {
  const ctxOf = contextsOf(plan);
  const configs = configIndex(plan.configuration.root_module);
  const next = new Map(current);
  for (const c of changes) {
    if (c.change.actions.includes('delete') && !c.change.actions.includes('create')) {
      next.delete(c.address);
      continue;
    }
    const config = configs.get(configAddress(c));
    const before = current.get(c.address);
    const values: Json = { ...(c.change.after ?? {}) };
    for (const [attr, u] of Object.entries(c.change.after_unknown ?? {})) {
      if (u !== true) continue;
      const ref = plainReference(config?.expressions?.[attr]?.constant_value, c);
      const fake = ref
        ? next.get(ref.address)?.values[ref.attr]
        : knownFake(c.type, c.address, attr, values, ctxOf(config?.provider_config_key));
      values[attr] = fake ?? before?.values[attr] ?? emptyOf(schemas[c.type]?.block.attributes?.[attr]?.type);
    }
    next.set(c.address, {
      address: c.address,
      mode: 'managed',
      type: c.type,
      name: c.name,
      index: c.index,
      module: c.module_address,
      schema_version: config?.schema_version ?? before?.schema_version ?? 0,
      values,
      sensitive_values: typeof c.change.after_sensitive === 'object' ? c.change.after_sensitive : undefined,
    });
  }
  return next;
}

// ---- addresses, providers, regions ----------------------------------------

/** Config address of a resource change: module instance keys and the resource's own key dropped. */
function configAddress(c: { module_address?: string; type: string; name: string }): string {
  const modules = (c.module_address ?? '').replace(/\[[^\]]*\]/g, '');
  return `${modules ? `${modules}.` : ''}${c.type}.${c.name}`;
}

function configIndex(root: ConfigModule, prefix = ''): Map<string, ConfigResource> {
  const index = new Map<string, ConfigResource>();
  for (const r of root.resources ?? []) index.set(`${prefix}${r.address}`, r);
  for (const [name, call] of Object.entries(root.module_calls ?? {}))
    for (const [k, v] of configIndex(call.module, `${prefix}module.${name}.`)) index.set(k, v);
  return index;
}

/** Region, account and partition per provider configuration key (the region as configured; the account from allowed_account_ids). */
export function contextsOf(plan: PlanJson): (configKey: string | undefined) => FakeContext {
  const providers = plan.configuration.provider_config ?? {};
  return (configKey) => {
    const key = (configKey ?? 'aws').split(':').pop()!;
    const p = providers[key] ?? providers.aws ?? {};
    const region = String(p.expressions?.region?.constant_value ?? 'eu-west-2');
    const accounts = p.expressions?.allowed_account_ids?.constant_value;
    const account = Array.isArray(accounts) && accounts.length > 0 ? String(accounts[0]) : '111111111111';
    const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    return { region, account, partition };
  };
}

// ---- writing the state ------------------------------------------------------

export { readDeployed, readStateFile, writeDeployed } from './state-v4';
