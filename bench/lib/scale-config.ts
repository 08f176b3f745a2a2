/**
 * Generated configs for the scaling benchmark: the bundled example with its
 * forwards, consumers and tenants replaced by `forwards` forwards and
 * `consumers` consumer accounts, all in one tenant (so 1000 forwards are
 * sharded across 20 NLBs and every consumer stack gets one endpoint per shard).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { Config, ConsumerConfig, ForwardConfig } from '../../config/schema';

/** Public targets (forwarded by the NAT fleet) come from the RFC 5737 documentation ranges. */
const DOCUMENTATION_NETS = ['192.0.2', '198.51.100', '203.0.113'];
/** Every fifth target is private (an NLB IP target, no NAT): 172.20.0.0/16, outside the example's VPC. */
const PRIVATE_EVERY = 5;
const FIRST_LISTEN_PORT = 10000;

export function forwardAt(i: number): ForwardConfig {
  const isPrivate = i % PRIVATE_EVERY === PRIVATE_EVERY - 1;
  const host = (i % 254) + 1;
  return {
    name: `fwd-${i}`,
    listen_port: FIRST_LISTEN_PORT + i,
    target_ip: isPrivate ? `172.20.${Math.floor(i / 254) % 256}.${host}` : `${DOCUMENTATION_NETS[i % 3]}.${host}`,
    target_port: 4000 + (i % 97) * 10,
    ...(i % 2 === 0 ? { tcp_idle_timeout_seconds: 3600 } : {}),
  };
}

export function consumerAt(j: number): ConsumerConfig {
  const account = String(200_000_000_000 + j);
  const hex = j.toString(16).padStart(8, '0');
  return {
    name: `c${j}`,
    account_id: account,
    role_arn: `arn:aws:iam::${account}:role/dx-privatelink-deploy`,
    vpc_id: `vpc-0${hex}0000000a`,
    subnet_ids: [`subnet-0${hex}0000000a`, `subnet-0${hex}0000000b`],
    allowed_cidrs: [`10.${j % 256}.0.0/16`],
    // Half the consumers get a private zone with one record per forward, as in the example.
    ...(j % 2 === 0 ? { dns_zone: `c${j}.fix.internal` } : {}),
  };
}

export function scaledConfig(example: Config, forwards: number, consumers: number): Config {
  const f = Array.from({ length: forwards }, (_, i) => forwardAt(i));
  const c = Array.from({ length: consumers }, (_, j) => consumerAt(j));
  return {
    ...example,
    forwards: f,
    consumers: c,
    tenants: [{ name: 'all', forwards: f.map((x) => x.name), consumers: c.map((x) => x.name), acceptance: 'manual' }],
  };
}

/** Writes the scaled config as YAML and returns its path. */
export function writeScaledConfig(exampleFile: string, forwards: number, consumers: number, file: string): string {
  const example = parse(readFileSync(exampleFile, 'utf8')) as Config;
  writeFileSync(file, stringify(scaledConfig(example, forwards, consumers), { lineWidth: 0 }));
  return file;
}
