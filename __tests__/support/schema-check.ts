/**
 * Checks Terraform JSON against an AWS provider schema snapshot
 * (`terraform providers schema -json` shape): every resource and data
 * source type exists, every argument and block exists and is settable,
 * nothing deprecated is used, required arguments and blocks are present,
 * and literal values fit the argument's type (with Terraform's own
 * conversions: "8" is a number, 8 a string). Expressions (`${...}`) are
 * Terraform's to check at plan time.
 */
import type { ProviderSchema, SchemaBlock as Block, SchemaType } from '../../modules/provider-schema';

export type { ProviderSchema };
export { loadProviderSchema } from '../../modules/provider-schema';

/** Meta-arguments Terraform handles itself, and cdktf's metadata. */
const META = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', 'alias']);

const isExpression = (v: unknown) => typeof v === 'string' && /\$\{/.test(v);

/** Why `value` cannot convert to `type`, or undefined when it can. */
function typeProblem(value: unknown, type: SchemaType | undefined): string | undefined {
  if (type === undefined || value === null || isExpression(value)) return undefined;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return ['string', 'number', 'boolean'].includes(typeof value) ? undefined : `is ${JSON.stringify(value)}, not a string`;
      case 'number':
        return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value)))
          ? undefined
          : `is ${JSON.stringify(value)}, not a number`;
      case 'bool':
        return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : `is ${JSON.stringify(value)}, not a bool`;
      default:
        return undefined; // dynamic
    }
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return `is ${JSON.stringify(value)}, not a ${kind}`;
    return value.map((v) => typeProblem(v, inner as SchemaType)).find((p) => p !== undefined);
  }
  if (kind === 'map' || kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return `is ${JSON.stringify(value)}, not a ${kind}`;
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (kind === 'map' ? typeProblem(v, inner as SchemaType) : typeProblem(v, (inner as Record<string, SchemaType>)[k])))
      .find((p) => p !== undefined);
  }
  return undefined;
}

function checkBlock(values: unknown, block: Block, where: string, problems: string[]): void {
  if (isExpression(values) || values === null || typeof values !== 'object' || Array.isArray(values)) {
    if (!isExpression(values)) problems.push(`${where}: is ${JSON.stringify(values)}, not a block`);
    return;
  }
  const config = values as Record<string, unknown>;
  const attributes = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [key, value] of Object.entries(config)) {
    if (META.has(key)) continue;
    if (key === 'dynamic') {
      // dynamic "<block>" { for_each, iterator, content { ... } }: the content is checked as that block
      for (const [name, spec] of Object.entries(value as Record<string, any>)) {
        const nested = blocks[name];
        if (!nested) problems.push(`${where}.dynamic.${name}: is not a block`);
        else
          for (const d of Array.isArray(spec) ? spec : [spec])
            checkBlock(d.content, nested.block, `${where}.dynamic.${name}.content`, problems);
      }
      continue;
    }
    const at = `${where}.${key}`;
    const attribute = attributes[key];
    const nested = blocks[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) problems.push(`${at}: is read-only`);
      if (attribute.deprecated) problems.push(`${at}: is deprecated`);
      const problem = typeProblem(value, attribute.type);
      if (problem) problems.push(`${at}: ${problem}`);
    } else if (nested) {
      if (nested.block.deprecated) problems.push(`${at}: is deprecated`);
      if (isExpression(value)) continue;
      const items = Array.isArray(value) ? value : [value];
      if (nested.max_items !== undefined && nested.max_items > 0 && items.length > nested.max_items) {
        problems.push(`${at}: has ${items.length} blocks, at most ${nested.max_items} allowed`);
      }
      items.forEach((item, i) => checkBlock(item, nested.block, items.length > 1 ? `${at}[${i}]` : at, problems));
    } else {
      problems.push(`${at}: is not an argument or block`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(key in config)) problems.push(`${where}.${key}: is required`);
  }
  for (const [key, nested] of Object.entries(blocks)) {
    if ((nested.min_items ?? 0) > 0 && !(key in config)) problems.push(`${where}.${key}: is required (a block)`);
  }
}

/** Problems of one Terraform JSON document (a stack or a module's main.tf.json) against the schema. */
export function checkAgainstSchema(json: Record<string, any>, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  for (const provider of json.provider?.aws ?? []) checkBlock(provider, schema.provider, 'provider.aws', problems);
  for (const [kind, types] of [
    ['resource', schema.resources],
    ['data', schema.dataSources],
  ] as const) {
    for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (!type.startsWith('aws_')) continue;
      const block = types[type];
      for (const [name, values] of Object.entries(byName)) {
        const where = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        if (!block) problems.push(`${where}: type ${type} does not exist`);
        else checkBlock(values, block, where, problems);
      }
    }
  }
  return problems;
}
