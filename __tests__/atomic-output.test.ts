import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG, loadConfig } from '../config/load';
import { PolicyViolationError } from '../constructs/policy-pack';
import { main, synthesize } from '../main';
import { runCli } from './support/cli';
import { snapshot } from './support/files';

// A synth that fails after the config was accepted (here: a policy rule that
// every load balancer violates, added for this test only) must leave an
// existing output directory exactly as it was.
jest.mock('../constructs/private/policy', () => {
  const actual = jest.requireActual('../constructs/private/policy');
  const alwaysViolated = {
    id: 'TEST-LB',
    description: 'test rule',
    fix: 'none, this is a test',
    check: (r: { type: string }) => (r.type === 'aws_lb' ? { problem: 'test violation' } : { notApplicable: true }),
  };
  return { ...actual, POLICY_RULES: [...actual.POLICY_RULES, alwaysViolated] };
});

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-atomic-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('synthesis output', () => {
  test('a failing synth leaves the previous output byte-for-byte unchanged', () => {
    // GIVEN an output directory from a successful run (a separate process, without the test rule)
    const out = path.join(tmp, 'cdktf.out');
    expect(runCli([EXAMPLE_CONFIG, '--out', out, '--quiet']).status).toBe(0);
    const before = snapshot(out);
    expect(Object.keys(before).length).toBeGreaterThan(4);
    // WHEN synthesis fails on a policy violation
    expect(() => synthesize(loadConfig(), out)).toThrow(PolicyViolationError);
    // THEN nothing changed and no staging directory is left behind
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(tmp)).toEqual(['cdktf.out']);
  });

  test('the command exits 3 on a policy violation and names rule, resource and fix', () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      expect(main([EXAMPLE_CONFIG, '--out', path.join(tmp, 'never.out')])).toBe(3);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toContain(
      'TEST-LB provider/tenant-clients/s0/nlb (aws_lb.tenant_clients_s0_nlb): test violation; fix: none, this is a test',
    );
    expect(readdirSync(tmp)).toEqual(['cdktf.out']);
  });
});
