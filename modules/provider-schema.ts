/**
 * The hashicorp/aws provider schema snapshots (`terraform providers schema
 * -json` shape, gzip) kept beside the tests: the generator reads which keys
 * of a resource are nested blocks, the schema check everything else.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../constructs/private/package-root';

export type SchemaType = string | [string, SchemaType] | ['object', Record<string, SchemaType>];

export interface SchemaAttribute {
  readonly type?: SchemaType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly deprecated?: boolean;
}

export interface SchemaBlockType {
  readonly nesting_mode: string;
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, SchemaBlockType>;
  readonly deprecated?: boolean;
}

export interface ProviderSchema {
  readonly version: string;
  readonly provider: SchemaBlock;
  readonly resources: Record<string, SchemaBlock>;
  readonly dataSources: Record<string, SchemaBlock>;
}

/** Where the snapshots live: aws-<version>.json.gz. */
export const PROVIDER_SCHEMA_DIR = path.join(PACKAGE_ROOT, '__tests__', 'fixtures', 'aws-provider-schemas');

/** The version the offline plans run, and the generator reads. */
export const GENERATOR_SCHEMA_VERSION = '5.100.0';

const cache = new Map<string, ProviderSchema>();

export function loadProviderSchema(version: string): ProviderSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const raw = JSON.parse(gunzipSync(readFileSync(path.join(PROVIDER_SCHEMA_DIR, `aws-${version}.json.gz`))).toString('utf8'));
  const aws = raw.provider_schemas['registry.terraform.io/hashicorp/aws'];
  const blocks = (schemas: Record<string, { block: SchemaBlock }>) =>
    Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, v.block]));
  const schema = {
    version,
    provider: aws.provider.block,
    resources: blocks(aws.resource_schemas),
    dataSources: blocks(aws.data_source_schemas),
  };
  cache.set(version, schema);
  return schema;
}
