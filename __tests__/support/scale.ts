/**
 * The configs of issue 12 at scale, as changes of the example: 150
 * forwards (130 public targets) in 3 overlapping tenants for 5 consumers,
 * one with 3 allowed CIDRs on every forward; and 1000 forwards in one
 * tenant (the benchmark's scaled config).
 */
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { EXAMPLE_CONFIG } from '../../config/load';
import type { Config } from '../../config/schema';
import { scaledConfig } from '../../bench/lib/scale-config';
import { exampleObject } from './mutate';

export function config150(): Record<string, any> {
  const c = exampleObject();
  c.forwards = Array.from({ length: 150 }, (_, i) => ({
    name: `f${i}`,
    listen_port: 10000 + i,
    // every 7th or so is private (20 of 150): an NLB IP target, no NAT
    target_ip:
      i % 15 === 7 || i % 15 === 14
        ? `172.20.${Math.floor(i / 200)}.${(i % 200) + 1}`
        : `${['192.0.2', '198.51.100', '203.0.113'][i % 3]}.${(i % 200) + 1}`,
    target_port: 4000 + i,
    ...(i % 2 === 0 ? { tcp_idle_timeout_seconds: 3600 } : {}),
  }));
  const names = (from: number, to: number) => c.forwards.slice(from, to).map((f: { name: string }) => f.name);
  const consumer = (j: number, cidrs: string[]) => ({
    name: `c${j}`,
    account_id: String(300000000000 + j),
    role_arn: `arn:aws:iam::${300000000000 + j}:role/dx-privatelink-deploy`,
    vpc_id: `vpc-0${j}00000000000000a`,
    subnet_ids: [`subnet-0${j}00000000000000a`, `subnet-0${j}00000000000000b`],
    allowed_cidrs: cidrs,
    ...(j % 2 === 0 ? { dns_zone: `c${j}.fix.internal` } : {}),
  });
  c.consumers = [
    consumer(0, ['10.0.0.0/16']),
    consumer(1, ['10.1.0.0/16']),
    consumer(2, ['10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']),
    consumer(3, ['10.5.0.0/16']),
    consumer(4, ['10.6.0.0/16']),
  ];
  c.tenants = [
    { name: 'ta', forwards: names(0, 100), consumers: ['c0', 'c3'], acceptance: 'manual' },
    { name: 'tb', forwards: names(50, 150), consumers: ['c1', 'c3'], acceptance: 'manual' },
    { name: 'tc', forwards: names(0, 150), consumers: ['c2', 'c4'], acceptance: 'auto' },
  ];
  return c;
}

export function config1000(): Record<string, any> {
  return scaledConfig(parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Config, 1000, 2) as unknown as Record<string, any>;
}
