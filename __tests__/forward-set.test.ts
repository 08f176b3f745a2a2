import { TerraformVariable } from 'cdktf';
import { ForwardSet } from '../constructs/forward-set';
import { EXAMPLE_FORWARDS, synthObject, testStack } from './support/stack';

describe('ForwardSet', () => {
  test('renders plain forwards as a local keyed by name, with the default idle timeout', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new ForwardSet(stack, 'forwards', { forwards: EXAMPLE_FORWARDS });
    // THEN
    const locals = synthObject(stack).locals;
    expect(locals.forwards_input).toEqual({
      'broker-a': { listen_port: 9001, target_ip: '192.0.2.10', target_port: 9876, tcp_idle_timeout_seconds: 3600 },
      'broker-b': { listen_port: 9002, target_ip: '198.51.100.20', target_port: 4500, tcp_idle_timeout_seconds: 350 },
      clearing: { listen_port: 9443, target_ip: '172.20.5.15', target_port: 8443, tcp_idle_timeout_seconds: 350 },
    });
    expect(locals.forwards_forwards).toMatch(/^\$\{\{ for key, val in local\.forwards_input: key => merge\(val, \{ path = can\(regex\(/);
  });

  test('takes a Terraform variable as input without validating it in TypeScript', () => {
    const stack = testStack();
    const variable = new TerraformVariable(stack, 'forwards', { type: 'map(any)' });
    const set = new ForwardSet(stack, 'set', { forwards: variable.value });
    expect(set.plain).toBeUndefined();
    expect(synthObject(stack).locals.set_forwards).toContain('in var.forwards');
  });

  test('fails when two forwards share a listen port', () => {
    const stack = testStack();
    expect(
      () =>
        new ForwardSet(stack, 'f', {
          forwards: {
            a: { listenPort: 9001, targetIp: '192.0.2.1', targetPort: 1 },
            b: { listenPort: 9001, targetIp: '192.0.2.2', targetPort: 2 },
          },
        }),
    ).toThrow('forwards.b.listenPort: duplicates listen port of entry 0 (got 9001); give every entry its own listen port');
  });

  test('fails when a listen port is out of range', () => {
    expect(() => new ForwardSet(testStack(), 'f', { forwards: { a: { listenPort: 0, targetIp: '192.0.2.1', targetPort: 1 } } })).toThrow(
      'forwards.a.listenPort: is out of range (got 0); use a TCP port from 1 to 65535',
    );
  });

  test('fails when a target is not an IPv4 address', () => {
    expect(
      () => new ForwardSet(testStack(), 'f', { forwards: { a: { listenPort: 1, targetIp: 'broker.example.com', targetPort: 1 } } }),
    ).toThrow(
      'forwards.a.targetIp: is not an IPv4 address (got "broker.example.com"); write the target as a dotted-quad IPv4 address such as 192.0.2.10 (no host names, no prefix length)',
    );
  });

  test('fails when the idle timeout is outside the NLB range', () => {
    expect(
      () =>
        new ForwardSet(testStack(), 'f', {
          forwards: { a: { listenPort: 1, targetIp: '192.0.2.1', targetPort: 1, tcpIdleTimeoutSeconds: 7200 } },
        }),
    ).toThrow('forwards.a.tcpIdleTimeoutSeconds: is out of range (got 7200)');
  });

  test('fails when there are no forwards', () => {
    expect(() => new ForwardSet(testStack(), 'f', { forwards: {} })).toThrow('forwards: is empty (got {}); give at least one forward');
  });
});
