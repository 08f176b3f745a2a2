/**
 * HCL roots that call the generated modules from outside the repository,
 * offline (the AWS provider's override file; a fake AWS from
 * DXPL_FAKE_AWS_URL when set).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { ROOT } from './cli';
import { FAKE_ENDPOINT_IDS, FAKE_ENDPOINT_SG } from './fake-aws';
import { writeOfflineProviderOverride } from './terraform';

export function hclForwards(forwards: Record<string, { listen_port: number; target_ip: string; target_port: number }>): string {
  return `{\n${Object.entries(forwards)
    .map(([k, f]) => `    "${k}" = { listen_port = ${f.listen_port}, target_ip = "${f.target_ip}", target_port = ${f.target_port} }`)
    .join('\n')}\n  }`;
}

/** The fake VPC's own interface endpoints (fake-aws.ts), as the service module takes them. */
export const FLEET_ENDPOINTS = `{
    security_group_id = "${FAKE_ENDPOINT_SG}"
    endpoint_ids      = { ${Object.entries(FAKE_ENDPOINT_IDS)
      .map(([k, v]) => `${k} = "${v}"`)
      .join(', ')} }
  }`;

export const PRIVATE_VIF = `{
    private_vif = { connection_id = "dxcon-fgexampl", vlan = 101, bgp_asn = 65010, amazon_address = "169.254.100.1/30", customer_address = "169.254.100.2/30" }
  }`;

/** A root directory with an AWS provider (offline) and one module call, written as HCL. */
export function moduleRoot(dir: string, moduleBlock: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {\n  region = "eu-west-2"\n}\n\n${moduleBlock}\n`);
  writeOfflineProviderOverride(dir);
}

/** Arguments of a VPC module call other than direct_connect: the label and arguments that replace the defaults. */
export interface NetworkOptions {
  /** The module call's label (default "network", the one serviceModule reads). */
  readonly label?: string;
  /** Arguments (HCL) in place of the defaults: name, vpc_id, vpc_cidr, subnet_ids, route_table_ids, fleet_endpoints. */
  readonly replace?: Readonly<Record<string, string>>;
}

/**
 * A call of the VPC module (as module.network) on the fake VPC, its subnets
 * and its own interface endpoints, with the given Direct Connect input and
 * further arguments (`extra`).
 */
export function networkModule(directConnect = PRIVATE_VIF, extra = '', options: NetworkOptions = {}): string {
  const args: Record<string, string> = {
    source: `"${path.join(ROOT, 'modules', 'dx-privatelink-vpc')}"`,
    name: '"fix-gw"',
    vpc_id: '"vpc-0123456789abcdef0"',
    vpc_cidr: '"10.42.0.0/24"',
    subnet_ids: '["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]',
    route_table_ids: '{ a = "rtb-0aaaaaaaaaaaaaaaa" }',
    fleet_endpoints: `{ existing = ${FLEET_ENDPOINTS} }`,
    direct_connect: directConnect,
    ...options.replace,
  };
  return `module "${options.label ?? 'network'}" {
${Object.entries(args)
  .map(([k, v]) => `  ${k.padEnd(15)} = ${v}`)
  .join('\n')}
${extra}
}`;
}

/**
 * A call of the service module labelled `label` in module.network's VPC
 * with the given forwards (and NAT fleet inputs); its name is
 * fix-gw-internal for "service", else fix-gw-<label>.
 */
export function serviceModule(label: string, forwards: string, natFleet = '{}', extra = ''): string {
  return `module "${label}" {
  source             = "${path.join(ROOT, 'modules', 'dx-privatelink-service')}"
  name               = "fix-gw-${label === 'service' ? 'internal' : label.replace(/_/g, '-')}"
  network            = module.network.network
  allowed_principals = ["arn:aws:iam::222222222222:root"]
  forwards           = ${forwards}
  nat_fleet          = ${natFleet}
${extra}
}`;
}

/**
 * A root calling the VPC module (module.network, with the given Direct
 * Connect input and `networkExtra` arguments) and the service module
 * (module.service, with `extra` arguments).
 */
export function serviceRoot(
  dir: string,
  forwards: string,
  directConnect = PRIVATE_VIF,
  natFleet = '{}',
  extra = '',
  networkExtra = '',
  network: NetworkOptions = {},
): void {
  moduleRoot(dir, `${networkModule(directConnect, networkExtra, network)}\n\n${serviceModule('service', forwards, natFleet, extra)}`);
}

/** The example config's forwards of one tenant, by name. */
export function forwardsOfTenant(tenant: string): Record<string, { listen_port: number; target_ip: string; target_port: number }> {
  const config = loadConfig();
  const forwards = config.tenants!.find((t) => t.name === tenant)!.forwards;
  return Object.fromEntries(config.forwards.filter((f) => forwards.includes(f.name)).map((f) => [f.name, f]));
}

/** A call of the consumer module labelled `label` with the given allowed_cidrs, dns_zone and services (HCL), in consumer-account subnets. */
export function consumerModule(
  label: string,
  allowedCidrs: string,
  dnsZone: string,
  services = '{ clients-0 = { service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0", ports = { a = 9002 } } }',
  subnetIds: readonly string[] = ['subnet-0333333333333333a'],
): string {
  return `module "${label}" {
  source        = "${path.join(ROOT, 'modules', 'dx-privatelink-consumer')}"
  name          = "acme"
  vpc_id        = "vpc-0333333333333333a"
  subnet_ids    = ${JSON.stringify(subnetIds)}
  allowed_cidrs = ${allowedCidrs}
  dns_zone      = ${dnsZone}
  services      = ${services}
}`;
}

/** A root calling the consumer module (as module.consumer). */
export function consumerRoot(dir: string, allowedCidrs: string, dnsZone: string, services?: string): void {
  moduleRoot(dir, consumerModule('consumer', allowedCidrs, dnsZone, services));
}
