import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { MODULES, moduleDocument } from '../modules/generate';
import { runMain } from './support/cli';
import { exampleObject } from './support/mutate';
import { runReadmeExample } from './support/readme';
import { ProviderSchema, checkAgainstSchema, loadProviderSchema } from './support/schema-check';
import { VARIANTS } from './support/variants';

// Issue 11: the constraint admits every 6.x, the offline plans run 5.100.0.
// Every synthesized stack of every variant and of the README's construct
// example (run in this process), and every generated module, is checked
// against the provider schema of 5.100.0, of the lowest 6.x and of the newest
// 6.x with published schema data: types, arguments, blocks, read-only
// attributes, types of literal values and deprecations.

const VERSIONS = ['5.100.0', '6.0.0', '6.47.0'];
const schemas: Record<string, ProviderSchema> = {};
const documents: Record<string, Record<string, any>> = {};
let tmp: string;

beforeAll(() => {
  for (const v of VERSIONS) schemas[v] = loadProviderSchema(v);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-schema-'));
  for (const { name, config } of [{ name: 'example', config: exampleObject() }, ...VARIANTS]) {
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(file, stringify(config));
    const out = path.join(tmp, name);
    const r = runMain([file, '--out', out, '--quiet'], tmp);
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    for (const stack of readdirSync(path.join(out, 'stacks'))) {
      documents[`${name}/${stack}`] = JSON.parse(readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    }
  }
  // the README's construct example (a hosted VIF, through the construct API)
  const readmeOut = path.join(tmp, 'readme');
  runReadmeExample(readmeOut);
  for (const stack of readdirSync(path.join(readmeOut, 'stacks')))
    documents[`readme/${stack}`] = JSON.parse(readFileSync(path.join(readmeOut, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  for (const m of MODULES) documents[`modules/${m.name}`] = moduleDocument(m);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('AWS provider schema compatibility', () => {
  test.each(VERSIONS)('every stack and module fits the hashicorp/aws %s schema', (version) => {
    expect(Object.keys(documents).length).toBeGreaterThan(15);
    expect(Object.keys(documents)).toContain('readme/provider');
    const problems = Object.entries(documents).flatMap(([name, json]) =>
      checkAgainstSchema(json, schemas[version]).map((p) => `${name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  test('the check finds what it is for: unknown, read-only, deprecated, mistyped and missing arguments', () => {
    const json = {
      provider: { aws: [{ region: 'eu-west-2', no_such_setting: true }] },
      resource: {
        aws_lb: { a: { name: 'x', arn: 'arn:aws:elasticloadbalancing:x', internal: 'sometimes' } },
        aws_vpn_gateway_route_propagation: { b: { route_table_id: 'rtb-1' } },
        aws_no_such_thing: { c: {} },
        aws_launch_template: { d: { metadata_options: [{ http_tokens: 'required' }, { http_tokens: 'optional' }] } },
        aws_autoscaling_group: {
          f: {
            max_size: 2,
            min_size: 1,
            dynamic: { tag: { for_each: '${local.tags}', content: { key: 'a', value: 'b', propagate: true } }, no_such_block: {} },
          },
        },
      },
      data: { aws_subnet: { e: { id: 'subnet-1', filter: [{ name: 'vpc-id' }] } } },
    };
    expect(checkAgainstSchema(json, schemas['6.47.0']).sort()).toEqual(
      [
        'provider.aws.no_such_setting: is not an argument or block',
        'aws_lb.a.arn: is read-only',
        'aws_lb.a.internal: is "sometimes", not a bool',
        'aws_vpn_gateway_route_propagation.b.vpn_gateway_id: is required',
        'aws_no_such_thing.c: type aws_no_such_thing does not exist',
        'aws_launch_template.d.metadata_options: has 2 blocks, at most 1 allowed',
        'data.aws_subnet.e.filter.values: is required',
        'aws_autoscaling_group.f.dynamic.tag.content.propagate: is not an argument or block',
        'aws_autoscaling_group.f.dynamic.tag.content.propagate_at_launch: is required',
        'aws_autoscaling_group.f.dynamic.no_such_block: is not a block',
      ].sort(),
    );
  });

  test('a deprecated argument is reported (aws_launch_template.elastic_gpu_specifications in 5.100.0)', () => {
    const json = { resource: { aws_launch_template: { d: { elastic_gpu_specifications: { type: 'eg1.medium' } } } } };
    expect(checkAgainstSchema(json, schemas['5.100.0'])).toEqual(['aws_launch_template.d.elastic_gpu_specifications: is deprecated']);
    expect(checkAgainstSchema(json, schemas['6.47.0'])).toEqual([
      'aws_launch_template.d.elastic_gpu_specifications: is not an argument or block',
    ]);
  });
});
