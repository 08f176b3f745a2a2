/**
 * Generates the Terraform modules under modules/ from the constructs
 * themselves: each module is the constructs synthesized with Terraform
 * variables as inputs, provider and backend blocks left out, validation
 * blocks built from the same rule list as the TypeScript checks, written
 * as HCL (main.tf, variables.tf, outputs.tf, versions.tf; module-files.ts)
 * with a README whose Inputs and Outputs tables come from the same blocks.
 *
 *   npm run modules            regenerate modules/<name>/
 *   npm run modules -- --check exit 1 when a generated file would change
 *
 * Files under modules/<name>/ are generated: edit this script or the
 * constructs instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { AWS_PROVIDER_VERSION_CONSTRAINT } from '../constructs/dx-stack';
import { NAT_BOOT_TEMPLATE, NAT_RULES_TEMPLATE } from '../constructs/nat-fleet';
import { PACKAGE_ROOT } from '../constructs/private/package-root';
import { consumerModule } from './consumer-module';
import { JsonObject } from './hcl';
import { shareExpressions } from './hcl-locals';
import { hclFiles } from './module-files';
import { TfBlock, interfaceTables } from './module-readme';
import { serviceModule } from './service-module';
import { vpcModule } from './vpc-module';
import { ModuleStack } from './validation';
import { CONSUMER_UPGRADING, SERVICE_TEARDOWN, SERVICE_UPGRADING, VPC_TEARDOWN, VPC_UPGRADING } from './module-sections';

/** The release the docs' module sources pin (`?ref=v<version>`): package.json's version. */
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Modules use optional() defaults and validation messages that read the variable. */
export const MODULE_TERRAFORM_VERSION = '>= 1.9.0';

const MODULES_DIR = __dirname;

interface ModuleDefinition {
  readonly name: string;
  readonly summary: string;
  readonly build: (stack: TerraformStack) => void;
  readonly usage: string;
  /** Further README sections (Markdown), after the usage. */
  readonly sections?: string;
}

/** The service module's teardown, as deletion-protection.test.ts plans it. */

export const MODULES: ModuleDefinition[] = [
  {
    name: 'dx-privatelink-vpc',
    summary:
      "What a VPC of the provider account needs once, however many tenants live in it: the Direct Connect attachment (VGW created or reused, private or hosted VIF, Direct Connect gateway association, propagated or static routes), the interface endpoints the NAT instances call (Auto Scaling; Session Manager's when asked), the region's S3 prefix list, flow logs of the subnets and the link's alarms. Its network output is the dx-privatelink-service module's network input. The VPC needs an S3 gateway endpoint on route_table_ids: the NAT instances install nftables and fetch their rules through it, and nothing in the modules waits for it, so create it before (or, in the same root, give the service calls depends_on = [aws_vpc_endpoint.s3]).",
    build: vpcModule,
    sections: `${VPC_TEARDOWN}\n${VPC_UPGRADING}`,
    usage: `module "network" {
  source = "../../modules/dx-privatelink-vpc"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-vpc?ref=v${VERSION}"

  name            = "fix-gw"
  vpc_id          = aws_vpc.this.id
  vpc_cidr        = aws_vpc.this.cidr_block
  subnet_ids      = [for zone in keys(local.zones) : aws_subnet.private[zone].id]
  route_table_ids = { for zone, rt in aws_route_table.private : zone => rt.id } # keys known at plan

  direct_connect = {
    dx_gateway = { id = aws_dx_gateway.this.id } # optional: else the VIF attaches to the module's VGW
    private_vif = {                              # on your own connection; or a partner's: hosted_vif = { id = "dxvif-…" }
      connection_id    = "dxcon-fgexampl"
      vlan             = 101
      bgp_asn          = 65010
      amazon_address   = "169.254.100.1/30"
      customer_address = "169.254.100.2/30"
    }
  }
  bgp_auth_key = var.bgp_auth_key # sensitive: from a secret store
}`,
  },
  {
    name: 'dx-privatelink-service',
    summary:
      "One tenant of the provider account: an internal cross-zone NLB with one TCP listener and target group per forward, an Auto Scaling group of Amazon Linux 2023 NAT instances (nftables DNAT/SNAT, loaded by a systemd unit at every boot) for public targets, NLB IP targets for RFC 1918 / RFC 6598 targets, and a VPC endpoint service on the NLB. Call it once per tenant (for_each) with the dx-privatelink-vpc module's network output.",
    build: serviceModule,
    sections: `${SERVICE_TEARDOWN}\n${SERVICE_UPGRADING}`,
    usage: `module "service" {
  source = "../../modules/dx-privatelink-service"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-service?ref=v${VERSION}"
  for_each = local.tenants
  # e.g. local.tenants = { internal = { principals = [...], acceptance = "auto", forwards = {
  #   broker-a-fix = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 9876, tcp_idle_timeout_seconds = 3600 }
  # } } }

  name               = "fix-gw-\${each.key}"
  network            = module.network.network # the dx-privatelink-vpc module
  allowed_principals = each.value.principals
  acceptance         = each.value.acceptance
  forwards           = each.value.forwards
  monitoring         = { create_topic = false, topic_arn = module.network.alarm_topic_arn }
  tags               = { tenant = each.key }
}`,
  },
  {
    name: 'dx-privatelink-consumer',
    summary:
      'The consumer-account side of dx-privatelink: one interface VPC endpoint per endpoint service (tenant shard), a security group that admits only the forward ports from the CIDRs you list, and optionally a private hosted zone with one name per forward.',
    build: consumerModule,
    sections: CONSUMER_UPGRADING,
    usage: `module "consumer" {
  source = "../../modules/dx-privatelink-consumer"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-consumer?ref=v${VERSION}"

  name          = "trading"
  vpc_id        = aws_vpc.this.id
  subnet_ids    = [for z in local.zone_ids : aws_subnet.endpoints[z].id]
  allowed_cidrs = [aws_vpc.this.cidr_block]
  dns_zone      = "brokers.internal"
  # The provider's handover, per tenant: { clients = { service_name = "com.amazonaws.vpce...",
  # zone_ids = ["euw2-az1", "euw2-az2"], ports = { broker-b-fix = 9002 } } }: its service
  # module's service_name, zone_ids and consumer_ports outputs (never port_map).
  services = var.services
}`,
  },
];

/** Drops cdktf's "//" metadata, recursively. */
function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, stripMetadata(v)]),
    );
  }
  return value;
}

/** Templates the constructs render with templatefile(); they ship inside the module. */
const TEMPLATES = [NAT_BOOT_TEMPLATE, NAT_RULES_TEMPLATE];

interface Synthesized {
  /** The whole module as one Terraform JSON document: versions, variables, locals, resources, outputs. */
  readonly document: JsonObject;
  /** The templates it reads, by path relative to the module directory. */
  readonly templates: Record<string, string>;
}

const synthesized = new Map<string, Synthesized>();

function synthesize(def: ModuleDefinition): Synthesized {
  const cached = synthesized.get(def.name);
  if (cached) return cached;
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-'));
  try {
    const app = new App({ outdir, skipValidation: true });
    const stack = new ModuleStack(app, def.name);
    def.build(stack);
    app.synth();
    const stackDir = path.join(outdir, 'stacks', def.name);
    let text = readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    const templates: Record<string, string> = {};
    // The templates ship inside the module; point templatefile() at them.
    for (const template of TEMPLATES) {
      const file = path.basename(template);
      const asset = new RegExp(`assets/[A-Za-z0-9_-]+/[0-9A-F]+/${file.replace(/\./g, '\\.')}`, 'g');
      if (!asset.test(text)) continue;
      text = text.replace(asset, path.join('templates', file));
      templates[path.join('templates', file)] = readFileSync(template, 'utf8');
    }
    const json = stripMetadata(JSON.parse(text)) as JsonObject;
    // The module's own terraform block; callers configure the provider.
    const body = Object.fromEntries(Object.entries(json).filter(([k]) => !['terraform', 'provider'].includes(k)));
    const document: JsonObject = {
      terraform: {
        required_version: MODULE_TERRAFORM_VERSION,
        required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION_CONSTRAINT } },
      },
      ...body,
    };
    const result = { document, templates };
    synthesized.set(def.name, result);
    return result;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function definition(name: string): ModuleDefinition {
  const def = MODULES.find((m) => m.name === name);
  if (!def) throw new Error(`no module ${name}; the modules are ${MODULES.map((m) => m.name).join(', ')}`);
  return def;
}

/**
 * A module as one Terraform JSON document, in memory: what its .tf files
 * say (`shared: false`: as the constructs synthesize it, before repeated
 * expressions move to locals). Written as main.tf.json beside its
 * templates/, it is the same module.
 */
export function moduleDocument(module: string | ModuleDefinition, options: { shared?: boolean } = {}): JsonObject {
  const { document } = synthesize(typeof module === 'string' ? definition(module) : module);
  return options.shared === false ? structuredClone(document) : shareExpressions(document);
}

/** The templates a module reads, by path relative to its directory. */
export function moduleTemplates(module: string | ModuleDefinition): Record<string, string> {
  return { ...synthesize(typeof module === 'string' ? definition(module) : module).templates };
}

/** The generated files of one module, by path relative to its directory. */
export function renderModule(def: ModuleDefinition): Record<string, string> {
  const document = moduleDocument(def);
  return {
    ...moduleTemplates(def),
    ...hclFiles(document),
    'README.md': readme(def, document.variable as Record<string, TfBlock>, document.output as Record<string, TfBlock>),
  };
}

function readme(def: ModuleDefinition, variables: Record<string, TfBlock>, outputs: Record<string, TfBlock>): string {
  return `<!-- Generated by modules/generate.ts. Do not edit: change the generator or the constructs and run \`npm run modules\`. -->
# ${def.name}

${def.summary}

## Usage

<!-- doc-test: checked-by __tests__/module-examples.test.ts -->
\`\`\`hcl
${def.usage}
\`\`\`

Requires Terraform ${MODULE_TERRAFORM_VERSION} and the \`hashicorp/aws\` provider ${AWS_PROVIDER_VERSION_CONSTRAINT}. The module has no provider or backend block: configure the AWS provider (region, credentials, default tags) in your root. Every input is validated with the same rules, and the same wording, as the dx-privatelink config file.

${def.sections ? `${def.sections}\n` : ''}${interfaceTables(variables, outputs)}`;
}

/** Writes (or, with check, compares) every module; returns the paths that differ. */
export function generate(check: boolean): string[] {
  const changed: string[] = [];
  for (const def of MODULES) {
    const dir = path.join(MODULES_DIR, def.name);
    const files = renderModule(def);
    const existing = existsSync(dir) ? listFiles(dir) : [];
    for (const stale of existing.filter((f) => !(f in files))) {
      changed.push(path.join(def.name, stale));
      if (!check) rmSync(path.join(dir, stale));
    }
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(dir, rel);
      if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
      changed.push(path.join(def.name, rel));
      if (!check) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  }
  return changed;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const changed = generate(check);
  if (check && changed.length > 0) {
    console.error(`error: generated modules are out of date: ${changed.join(', ')}; run npm run modules and commit the result`);
    process.exitCode = 1;
  } else {
    console.log(changed.length === 0 ? 'modules: up to date' : `modules: wrote ${changed.join(', ')}`);
  }
}
