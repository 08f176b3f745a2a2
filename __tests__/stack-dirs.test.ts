import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, runMain } from './support/cli';
import { providerFirst, stackDependencies } from './support/manifest';
import { exampleObject } from './support/mutate';
import { terraform, terraformOk, writeOfflineProviderOverride } from './support/terraform';

// Issue 11: a synth replaces the output directory, but what Terraform keeps
// in a stack directory (its providers in .terraform/ and the lock file) is
// carried over, and the cdktf CLI keeps working when stacks come and go.

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-stackdirs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function config(name: string, change: (c: Record<string, any>) => void = () => undefined): string {
  const c = exampleObject();
  change(c);
  const file = path.join(tmp, name);
  writeFileSync(file, stringify(c));
  return file;
}

/** Without the consumer client-globex (its stack disappears). */
const withoutGlobex = (c: Record<string, any>) => {
  c.consumers = c.consumers.filter((x: { name: string }) => x.name !== 'client-globex');
  c.tenants[1].consumers = ['client-acme'];
};

/** With a new consumer, client-initech (account 555555555555), in the clients tenant (its stack appears). */
const withInitech = (c: Record<string, any>) => {
  c.consumers.push({
    name: 'client-initech',
    account_id: '555555555555',
    role_arn: 'arn:aws:iam::555555555555:role/dx-privatelink-deploy',
    vpc_id: 'vpc-0555555555555555a',
    subnet_ids: ['subnet-0555555555555555a', 'subnet-0555555555555555b'],
    allowed_cidrs: ['10.5.0.0/16'],
  });
  c.tenants[1].consumers.push('client-initech');
};

describe('stack directories across synths', () => {
  test('a synth keeps .terraform/ and the lock file: plan needs no new init', () => {
    // GIVEN a synthesized provider stack, initialized by Terraform
    const out = path.join(tmp, 'keep.out');
    const file = config('keep.yaml');
    expect(runMain([file, '--out', out, '--quiet'], tmp).status).toBe(0);
    const stack = path.join(out, 'stacks', 'provider');
    writeOfflineProviderOverride(stack);
    terraformOk(stack, ['init', '-input=false', '-no-color']);
    const lock = readFileSync(path.join(stack, '.terraform.lock.hcl'), 'utf8');
    // WHEN the config is synthesized again
    expect(runMain([file, '--out', out, '--quiet'], tmp).status).toBe(0);
    // THEN the lock file and the providers are still there, and a plan runs without init
    expect(readFileSync(path.join(stack, '.terraform.lock.hcl'), 'utf8')).toBe(lock);
    expect(existsSync(path.join(stack, '.terraform', 'providers'))).toBe(true);
    writeOfflineProviderOverride(stack); // test scaffolding, not part of the output
    const plan = terraform(stack, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false']);
    expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('a stack that disappears from the config disappears from the output', () => {
    const out = path.join(tmp, 'gone.out');
    expect(runMain([config('all.yaml'), '--out', out, '--quiet'], tmp).status).toBe(0);
    expect(readdirSync(path.join(out, 'stacks'))).toContain('consumer-client-globex');
    expect(runMain([config('fewer.yaml', withoutGlobex), '--out', out, '--quiet'], tmp).status).toBe(0);
    expect(readdirSync(path.join(out, 'stacks')).sort()).toEqual(['consumer-client-acme', 'consumer-desk-eu', 'provider']);
  });

  test('`cdktf synth` works when stacks go and come between runs, the provider stack always deployed first', () => {
    const out = path.join(tmp, 'cli.out');
    const cdktf = (file: string) =>
      spawnSync('npx', ['cdktf', 'synth', '--output', out], {
        cwd: ROOT,
        env: { ...process.env, DXPL_CONFIG: file, CHECKPOINT_DISABLE: '1', CI: '1' },
        encoding: 'utf8',
      });
    // GIVEN an output with four stacks, written by the CLI
    const first = cdktf(config('cli-all.yaml'));
    expect({ status: first.status, stderr: first.stderr }).toMatchObject({ status: 0 });
    expect(readdirSync(path.join(out, 'stacks'))).toHaveLength(4);
    // WHEN a config with one consumer fewer is synthesized through the CLI
    const second = cdktf(config('cli-fewer.yaml', withoutGlobex));
    // THEN it succeeds and the removed consumer's stack is gone
    expect(second.stdout + second.stderr).not.toMatch(/ENOENT/);
    expect(second.status).toBe(0);
    expect(readdirSync(path.join(out, 'stacks')).sort()).toEqual(['consumer-client-acme', 'consumer-desk-eu', 'provider']);
    expect(stackDependencies(out)).toEqual(providerFirst(['consumer-client-acme', 'consumer-desk-eu', 'provider']));
    // WHEN a consumer is added
    const third = cdktf(
      config('cli-more.yaml', (c) => {
        withoutGlobex(c);
        withInitech(c);
      }),
    );
    // THEN its stack appears, deployed after the provider stack (the manifest `cdktf deploy '*'` follows)
    expect(third.stdout + third.stderr).not.toMatch(/ENOENT/);
    expect(third.status).toBe(0);
    const stacks = ['consumer-client-acme', 'consumer-client-initech', 'consumer-desk-eu', 'provider'];
    expect(readdirSync(path.join(out, 'stacks')).sort()).toEqual(stacks);
    expect(stackDependencies(out)).toEqual(providerFirst(stacks));
    const initech = JSON.parse(readFileSync(path.join(out, 'stacks', 'consumer-client-initech', 'cdk.tf.json'), 'utf8'));
    expect(initech.data.aws_s3_object.handoff.key).toBe('consumers/555555555555.json');
    // and the provider stack publishes its handoff
    const provider = JSON.parse(readFileSync(path.join(out, 'stacks', 'provider', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(provider.resource.aws_s3_object.handoff_object.for_each).sort()).toEqual([
      '222222222222',
      '333333333333',
      '555555555555',
    ]);
  });
});
