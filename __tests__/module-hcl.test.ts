import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MODULES, moduleDocument, moduleTemplates } from '../modules/generate';
import { ROOT } from './support/cli';
import {
  PRIVATE_VIF,
  consumerModule,
  forwardsOfTenant,
  hclForwards,
  moduleRoot,
  networkModule,
  serviceModule,
} from './support/module-roots';
import { Plan, planInParallel, readPlan, terraform } from './support/terraform';
import { lockedDownCalls } from './support/module-locked-down';

// The generated modules are HCL a reviewer reads: terraform fmt leaves them
// as they are, and Terraform plans them exactly as it plans the JSON
// document they are written from (and as the constructs synthesize it,
// before repeated expressions move to locals).

/** The module written three ways: the generated HCL, its JSON document, and the JSON before locals are shared. */
const FORMS = ['hcl', 'json', 'unshared'] as const;
type Form = (typeof FORMS)[number];

/** Module calls of the root planned in every form: each module, and the VPC and service modules' main options. */
const CALLS = [
  networkModule(
    `{
    hosted_vif     = { id = "dxvif-ffhhk74f" }
    dx_gateway     = { id = "5f1c4e1e-0000-4000-8000-000000000000" }
    routing        = "static"
  }`,
    `  static_targets = ["172.20.5.15", "192.0.2.10", "198.51.100.20"]
  monitoring = { topic_arn = "arn:aws:sns:eu-west-2:111111111111:noc-alarms", emails = ["noc@example.com"] }
  flow_logs  = { destination = "s3", s3_bucket_arn = "arn:aws:s3:::acme-flow-logs/dx/" }`,
  ),
  // the VPC module's own fleet endpoints, Session Manager's included
  networkModule(PRIVATE_VIF, '', { label: 'network_own_endpoints', replace: { fleet_endpoints: '{ session_manager = true }' } }),
  serviceModule('service', hclForwards(forwardsOfTenant('internal'))),
  serviceModule(
    'hosted_static',
    hclForwards(forwardsOfTenant('clients')),
    '{ instance_type = "c6in.large", architecture = "x86_64", ami_id = "ami-0123456789abcdef0", max_instance_lifetime_days = 7 }',
    `  monitoring          = { topic_arn = "arn:aws:sns:eu-west-2:111111111111:noc-alarms", emails = ["noc@example.com"], dashboard = false }
  deletion_protection = false`,
  ),
  consumerModule('consumer', '["10.1.0.0/16", "10.2.0.0/16"]', '"fix.internal"'),
  // every locked-down input of the three modules
  ...lockedDownCalls(),
];

/** Writes one form of every module under `dir`/modules. */
function writeModules(dir: string, form: Form): void {
  for (const m of MODULES) {
    const target = path.join(dir, 'modules', m.name);
    if (form === 'hcl') {
      cpSync(path.join(ROOT, 'modules', m.name), target, { recursive: true });
      continue;
    }
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'main.tf.json'), JSON.stringify(moduleDocument(m, { shared: form === 'json' }), null, 2));
    for (const [file, text] of Object.entries(moduleTemplates(m))) {
      mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      writeFileSync(path.join(target, file), text);
    }
  }
}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/**
 * An expression in `terraform show -json`'s configuration, as both syntaxes
 * give it: its references, sorted. (A JSON-syntax string evaluated without
 * a context is its own text, so the JSON form reports a constant_value for
 * templates the HCL form does not.)
 */
function normalizeConfiguration(v: Value): Value {
  if (Array.isArray(v)) return v.map(normalizeConfiguration);
  if (v === null || typeof v !== 'object') return v;
  if ('references' in v || 'constant_value' in v) return { references: [...((v.references as string[] | undefined) ?? [])].sort() };
  return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, normalizeConfiguration(e)]));
}

/** The parts of a plan that say what Terraform would do; with the configuration, what it read. */
function comparable(plan: Plan['json'], configuration: boolean): Value {
  const json = plan as unknown as Record<string, Value>;
  const parts: Record<string, Value> = {
    variables: json.variables ?? null,
    planned_values: json.planned_values,
    resource_changes: json.resource_changes,
    output_changes: json.output_changes ?? null,
    checks: json.checks ?? null,
  };
  if (configuration) parts.configuration = normalizeConfiguration(json.configuration);
  return parts;
}

/** Paths where two values differ (the first few), each with both sides. */
function differences(a: Value, b: Value, at = '', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push(`${at}: ${JSON.stringify(a)?.slice(0, 200)} != ${JSON.stringify(b)?.slice(0, 200)}`);
    return out;
  }
  const keyed = (v: Value) =>
    Array.isArray(v)
      ? new Map(v.map((e, i) => [(e && typeof e === 'object' && 'address' in e ? String(e.address) : String(i)) as string, e]))
      : new Map(Object.entries(v as Record<string, Value>));
  const [ka, kb] = [keyed(a), keyed(b)];
  for (const k of new Set([...ka.keys(), ...kb.keys()])) {
    if (!ka.has(k) || !kb.has(k)) out.push(`${at}.${k}: only in the ${ka.has(k) ? 'first' : 'second'}`);
    else differences(ka.get(k)!, kb.get(k)!, `${at}.${k}`, out);
  }
  return out;
}

let tmp: string;
const plans = {} as Record<Form, Plan>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-hcl-'));
  const calls = CALLS.join('\n\n').replaceAll(`"${path.join(ROOT, 'modules')}/`, '"../modules/');
  for (const form of FORMS) {
    writeModules(path.join(tmp, form), form);
    moduleRoot(path.join(tmp, form, 'root'), calls);
  }
  await planInParallel(FORMS.map((form) => ({ dir: path.join(tmp, form, 'root'), base: path.join(tmp, `${form}-plan`) })));
  for (const form of FORMS) plans[form] = readPlan(path.join(tmp, `${form}-plan`));
}, 600000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the generated HCL modules', () => {
  test('are terraform fmt clean, in the standard module structure, with no JSON configuration left', () => {
    const fmt = terraform(ROOT, ['fmt', '-check', '-recursive', '-diff', '-no-color', 'modules']);
    expect(fmt.stdout + fmt.stderr).toBe('');
    expect(fmt.status).toBe(0);
    for (const m of MODULES) {
      const files = readdirSync(path.join(ROOT, 'modules', m.name)).filter((f) => f.includes('.tf'));
      expect({ module: m.name, files: files.sort() }).toEqual({
        module: m.name,
        files: ['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'],
      });
    }
  });

  test('every module is called in the root the forms are planned with', () => {
    const called = CALLS.join('\n');
    expect(MODULES.filter((m) => !called.includes(`/modules/${m.name}"`)).map((m) => m.name)).toEqual([]);
  });

  test('the README tables list every input and output, types and defaults as the module has them', () => {
    for (const m of MODULES) {
      const readme = readFileSync(path.join(ROOT, 'modules', m.name, 'README.md'), 'utf8');
      const doc = moduleDocument(m);
      for (const [name, v] of Object.entries(doc.variable as Record<string, { default?: unknown }>)) {
        const row = new RegExp(`^\\| ${name} \\| .* \\| ${'default' in v ? 'no' : 'yes'} \\|$`, 'm');
        expect({ module: m.name, name, row: row.test(readme) }).toEqual({ module: m.name, name, row: true });
      }
      for (const name of Object.keys(doc.output as Record<string, unknown>)) expect(readme).toMatch(new RegExp(`^\\| ${name} \\| `, 'm'));
    }
  });

  test('plan exactly as their JSON document: the same resources, values, outputs, checks, and references', () => {
    expect(plans.hcl.resources.length).toBeGreaterThan(60);
    expect(differences(comparable(plans.json.json, true), comparable(plans.hcl.json, true))).toEqual([]);
  });

  test('plan the same resources, values, outputs and checks as the constructs synthesize them (before locals are shared)', () => {
    expect(differences(comparable(plans.unshared.json, false), comparable(plans.hcl.json, false))).toEqual([]);
  });

  test('the comparison sees a dropped resource, a changed value and a changed reference', () => {
    const base = comparable(plans.hcl.json, true) as Record<string, Value>;
    const dropped = structuredClone(base) as Record<string, Value[]>;
    dropped.resource_changes = dropped.resource_changes.slice(1);
    expect(differences(base, dropped)).not.toEqual([]);
    const changed = JSON.parse(JSON.stringify(base).replace('"fix-gw-internal', '"fix-gw-other')) as Value;
    expect(differences(base, changed)).not.toEqual([]);
    const reference = JSON.parse(JSON.stringify(base).replace('"var.vpc_id"', '"var.vpc_cidr"')) as Value;
    expect(differences(base, reference)).not.toEqual([]);
    expect(existsSync(path.join(tmp, 'json', 'modules', MODULES[0].name, 'main.tf.json'))).toBe(true);
  });
});
