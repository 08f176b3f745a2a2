/**
 * The Terraform state (format 4) of a modelled apply: what applied-state.ts
 * writes for the real provider to plan against, and reads back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Deployed, StateResource } from './applied-state';
import { hex } from './fake-values';

type Json = Record<string, any>;

export function stateV4(instances: Map<string, StateResource & { module?: string }>, serial: number): Json {
  const groups = new Map<string, (StateResource & { module?: string })[]>();
  for (const i of instances.values()) {
    const key = `${i.module ?? ''}|${i.type}|${i.name}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const resources = [...groups.values()].map((list) => {
    const [first] = list;
    return {
      ...(first.module ? { module: first.module } : {}),
      mode: 'managed',
      type: first.type,
      name: first.name,
      ...(first.index === undefined ? {} : { each: typeof first.index === 'number' ? 'list' : 'map' }),
      provider:
        first.type === 'terraform_data' ? 'provider["terraform.io/builtin/terraform"]' : 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: list.map((i) => ({
        ...(i.index === undefined ? {} : { index_key: i.index }),
        schema_version: i.schema_version ?? 0,
        attributes: first.type === 'terraform_data' ? withDynamicTypes(i.values) : i.values,
        sensitive_attributes: sensitivePaths(i.sensitive_values),
      })),
    };
  });
  return { version: 4, terraform_version: '1.11.4', serial, lineage: STATE_LINEAGE, outputs: {}, resources, check_results: null };
}

/** The type Terraform records beside a value of a dynamically-typed attribute. */
function typeOf(value: unknown): unknown {
  if (value === null || value === undefined) return 'dynamic';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(typeOf)];
  return ['object', Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, typeOf(v)]))];
}

/** terraform_data's dynamic attributes as plain values (as the plan shows them). */
export function withoutDynamicTypes(values: Json): Json {
  const out: Json = { ...values };
  for (const [attr, v] of Object.entries(values)) if (v && typeof v === 'object' && 'value' in v && 'type' in v) out[attr] = v.value;
  return out;
}

/** terraform_data's input, output and triggers_replace are dynamic: the state holds each as { value, type }. */
function withDynamicTypes(values: Json): Json {
  const out: Json = { ...values };
  for (const attr of ['input', 'output', 'triggers_replace']) {
    const v = values[attr];
    if (v === null || v === undefined) continue;
    if (v && typeof v === 'object' && 'value' in v && 'type' in v) continue;
    out[attr] = { value: v, type: typeOf(v) };
  }
  return out;
}

const STATE_LINEAGE = (() => {
  const h = hex(`lineage-${process.pid}-${Date.now()}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
})();

/** after_sensitive as the state's sensitive_attributes paths. */
function sensitivePaths(mask: Json | boolean | undefined, at: Json[] = []): Json[][] {
  if (mask === true) return [at];
  if (!mask || typeof mask !== 'object') return [];
  if (Array.isArray(mask))
    return mask.flatMap((m, i) => sensitivePaths(m, [...at, { type: 'index', value: { value: i, type: 'number' } }]));
  return Object.entries(mask).flatMap(([k, m]) => sensitivePaths(m, [...at, { type: 'get_attr', value: k }]));
}

/** A deployed system written to a file (and read back with readDeployed). */
export function writeDeployed(file: string, deployed: Deployed): void {
  writeFileSync(file, JSON.stringify({ resources: [...deployed.resources.values()], schemas: deployed.schemas }));
}

export function readDeployed(file: string): Deployed {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    resources: (StateResource & { module?: string })[];
    schemas: Deployed['schemas'];
  };
  return { resources: new Map(raw.resources.map((r) => [r.address, r])), schemas: raw.schemas };
}

/** The state file written by settle(), read back. */
export function readStateFile(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8'));
}
