/**
 * Which keys of a Terraform JSON document are nested blocks, and how each
 * argument is read, for hcl.ts: Terraform's own block types (variable,
 * output, lifecycle with its conditions, dynamic, provisioner, moved, check,
 * terraform { required_providers }, ...) as its JSON syntax documents
 * them, and resource, data source and provider bodies from the AWS
 * provider schema (block_types are blocks, attributes are arguments, so a
 * map argument such as tags stays `tags = { ... }`).
 */
import { BlockSpec, BodySchema, ValueMode } from './hcl';
import { GENERATOR_SCHEMA_VERSION, ProviderSchema, SchemaBlock, loadProviderSchema } from './provider-schema';

const set = (...keys: string[]) => new Set(keys);
const spec = (labels: number, body: BodySchema | ((labels: readonly string[]) => BodySchema)): BlockSpec => ({
  labels,
  body: typeof body === 'function' ? body : () => body,
});

/** precondition, postcondition, validation: a condition and its message, both expressions. */
const CONDITION: BodySchema = { attributes: set('condition', 'error_message') };

const LIFECYCLE: BodySchema = {
  attributes: set('create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by'),
  modes: { create_before_destroy: 'literal', prevent_destroy: 'literal', ignore_changes: 'references', replace_triggered_by: 'references' },
  blocks: { precondition: spec(0, CONDITION), postcondition: spec(0, CONDITION) },
};

/** A connection block: its type is taken literally, the rest are expressions. */
const CONNECTION: BodySchema = { modes: { type: 'literal' } };

const PROVISIONER: BodySchema = {
  modes: { when: 'raw', on_failure: 'raw' },
  blocks: { connection: spec(0, CONNECTION) },
  last: ['connection'],
};

/** Resources Terraform itself provides (not in any provider schema). */
const BUILT_IN_RESOURCES: Record<string, SchemaBlock> = {
  terraform_data: { attributes: { input: {}, triggers_replace: {} } },
};

/** The body of a nested block of a resource, from its schema; `dynamic` makes any of its blocks. */
function nestedBody(block: SchemaBlock): BodySchema {
  const nested = Object.fromEntries(
    Object.entries(block.block_types ?? {}).map(([name, b]) => [name, spec(b.nesting_mode === 'map' ? 1 : 0, () => nestedBody(b.block))]),
  );
  return {
    attributes: new Set(Object.keys(block.attributes ?? {})),
    blocks: { ...nested, dynamic: spec(1, ([name]) => dynamicBody(block, name)) },
  };
}

/** The object type of an attribute Terraform also takes as blocks (a list or set of objects, such as aws_security_group's ingress). */
function objectAttribute(parent: SchemaBlock, name: string): Record<string, unknown> | undefined {
  const type = parent.attributes?.[name]?.type;
  if (!Array.isArray(type) || (type[0] !== 'list' && type[0] !== 'set')) return undefined;
  const element = type[1];
  return Array.isArray(element) && element[0] === 'object' ? (element[1] as Record<string, unknown>) : undefined;
}

function dynamicBody(parent: SchemaBlock, name: string): BodySchema {
  const nested = parent.block_types?.[name];
  const object = nested ? undefined : objectAttribute(parent, name);
  if (!nested && !object) throw new Error(`dynamic "${name}": not a block type here`);
  const content: BodySchema = nested ? nestedBody(nested.block) : { attributes: new Set(Object.keys(object!)) };
  return {
    attributes: set('for_each', 'iterator', 'labels'),
    modes: { iterator: 'raw' },
    blocks: { content: spec(0, content) },
    first: ['for_each', 'iterator', 'labels'],
  };
}

const META_FIRST = ['count', 'for_each', 'provider'];
const META_LAST = ['depends_on', 'lifecycle', 'provisioner', 'connection'];

/** A resource or data source body: its schema plus the meta-arguments. */
function resourceBody(block: SchemaBlock, managed: boolean): BodySchema {
  const inner = nestedBody(block);
  return {
    attributes: new Set([...(inner.attributes ?? []), 'count', 'for_each', 'provider', 'depends_on']),
    modes: { provider: 'raw', depends_on: 'references' },
    blocks: {
      ...inner.blocks,
      lifecycle: spec(0, LIFECYCLE),
      ...(managed ? { provisioner: spec(1, PROVISIONER), connection: spec(0, CONNECTION) } : {}),
    },
    first: META_FIRST,
    last: META_LAST,
  };
}

const VARIABLE: BodySchema = {
  attributes: set('type', 'default', 'description', 'sensitive', 'nullable', 'ephemeral'),
  modes: { type: 'raw', default: 'literal', description: 'literal', sensitive: 'literal', nullable: 'literal', ephemeral: 'literal' },
  blocks: { validation: spec(0, CONDITION) },
  first: ['description', 'type', 'default', 'nullable', 'sensitive', 'ephemeral'],
};

const OUTPUT: BodySchema = {
  attributes: set('value', 'description', 'sensitive', 'ephemeral', 'depends_on'),
  modes: { description: 'literal', sensitive: 'literal', ephemeral: 'literal', depends_on: 'references' },
  blocks: { precondition: spec(0, CONDITION) },
  first: ['description', 'value', 'sensitive', 'ephemeral'],
  last: ['depends_on'],
};

/** terraform {}: every setting is literal. */
const LITERAL_ANY: BodySchema = { mode: 'literal' };
const TERRAFORM: BodySchema = {
  attributes: set('required_version', 'experiments'),
  modes: { required_version: 'literal', experiments: 'references' },
  blocks: {
    required_providers: spec(0, LITERAL_ANY),
    backend: spec(1, LITERAL_ANY),
    cloud: spec(0, { mode: 'literal', blocks: { workspaces: spec(0, LITERAL_ANY) } }),
  },
};

const MODULE: BodySchema = {
  modes: { source: 'literal', version: 'literal', providers: 'rawMap', depends_on: 'references' },
  first: ['source', 'version', 'count', 'for_each', 'providers'],
  last: ['depends_on'],
};

/** The top level of a Terraform JSON document, with resource bodies from `schema` (the AWS provider's). */
export function documentSchema(schema: ProviderSchema = loadProviderSchema(GENERATOR_SCHEMA_VERSION)): BodySchema {
  const typeBody = (kind: 'resource' | 'data', type: string): BodySchema => {
    const block = type.startsWith('aws_')
      ? (kind === 'resource' ? schema.resources : schema.dataSources)[type]
      : kind === 'resource'
        ? BUILT_IN_RESOURCES[type]
        : undefined;
    if (!block) throw new Error(`${kind} type ${type}: not in the hashicorp/aws ${schema.version} schema, nor built into Terraform`);
    return resourceBody(block, kind === 'resource');
  };
  const modes: Record<string, ValueMode> = { alias: 'literal', version: 'literal' };
  return {
    blocks: {
      terraform: spec(0, TERRAFORM),
      provider: spec(1, ([name]) => {
        if (name !== 'aws') throw new Error(`provider ${name}: only the aws provider's schema is known`);
        const inner = nestedBody(schema.provider);
        return { ...inner, attributes: new Set([...(inner.attributes ?? []), 'alias', 'version']), modes, first: ['alias'] };
      }),
      variable: spec(1, VARIABLE),
      locals: spec(0, {}),
      data: spec(2, ([type]) => typeBody('data', type)),
      resource: spec(2, ([type]) => typeBody('resource', type)),
      module: spec(1, MODULE),
      output: spec(1, OUTPUT),
      check: spec(1, { blocks: { data: spec(2, ([type]) => typeBody('data', type)), assert: spec(0, CONDITION) } }),
      moved: spec(0, { attributes: set('from', 'to'), modes: { from: 'raw', to: 'raw' } }),
      removed: spec(0, {
        attributes: set('from'),
        modes: { from: 'raw' },
        blocks: { lifecycle: spec(0, { attributes: set('destroy'), mode: 'literal' }), provisioner: spec(1, PROVISIONER) },
      }),
      import: spec(0, { attributes: set('to', 'id', 'provider', 'for_each'), modes: { to: 'raw', provider: 'raw' } }),
    },
  };
}
