/**
 * Generates the Terraform modules under modules/ from the constructs
 * themselves: each module is the constructs synthesized with Terraform
 * variables as inputs, provider and backend blocks left out, validation
 * blocks built from the same rule list as the TypeScript checks.
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
import { serviceModule } from './service-module';
import { vpcModule } from './vpc-module';
import { ModuleStack } from './validation';

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
}

export const MODULES: ModuleDefinition[] = [
  {
    name: 'dx-privatelink-vpc',
    summary:
      "What a VPC of the provider account needs once, however many tenants live in it: the Direct Connect attachment (VGW created or reused, private or hosted VIF, Direct Connect gateway association, propagated or static routes), the interface endpoints the NAT instances call (Auto Scaling; Session Manager's when asked), the region's S3 prefix list, flow logs of the subnets and the link's alarms. Its network output is the dx-privatelink-service module's network input.",
    build: vpcModule,
    usage: `module "network" {
  source = "../../modules/dx-privatelink-vpc"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-vpc?ref=v${VERSION}"

  name            = "fix-gw"
  vpc_id          = aws_vpc.this.id
  vpc_cidr        = aws_vpc.this.cidr_block
  subnet_ids      = [for zone in ["a", "b"] : aws_subnet.private[zone].id]
  route_table_ids = { for zone, rt in aws_route_table.private : zone => rt.id } # keys known at plan

  direct_connect = {
    hosted_vif = { id = "dxvif-ffhhk74f" } # from your partner
  }
}`,
  },
  {
    name: 'dx-privatelink-service',
    summary:
      "One tenant of the provider account: an internal cross-zone NLB with one TCP listener and target group per forward, an Auto Scaling group of Amazon Linux 2023 NAT instances (nftables DNAT/SNAT, loaded by a systemd unit at every boot) for public targets, NLB IP targets for RFC 1918 / RFC 6598 targets, and a VPC endpoint service on the NLB. Call it once per tenant (for_each) with the dx-privatelink-vpc module's network output.",
    build: serviceModule,
    usage: `module "service" {
  source   = "../../modules/dx-privatelink-service"
  for_each = local.tenants # e.g. { internal = { forwards = {...}, principals = [...] } }

  name               = "fix-gw-\${each.key}"
  network            = module.network.network
  allowed_principals = each.value.principals
  forwards           = each.value.forwards
  # forwards = {
  #   broker-a-fix = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 9876, tcp_idle_timeout_seconds = 3600 }
  #   clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 }
  # }
  tags = { tenant = each.key }
}`,
  },
  {
    name: 'dx-privatelink-consumer',
    summary:
      'The consumer-account side of dx-privatelink: one interface VPC endpoint per endpoint service (tenant shard), a security group that admits only the forward ports from the CIDRs you list, and optionally a private hosted zone with one name per forward.',
    build: consumerModule,
    usage: `module "consumer" {
  source = "../../modules/dx-privatelink-consumer"

  name          = "desk-eu"
  vpc_id        = "vpc-0222222222222222a"
  subnet_ids    = ["subnet-0222222222222222a", "subnet-0222222222222222b"]
  allowed_cidrs = ["10.1.0.0/16"]
  dns_zone      = "fix.internal"

  services = {
    internal-0 = {
      service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0" # the service module's service_name output
      ports        = { broker-a-fix = 9001, clearing-api = 9443 }
    }
  }
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

/** A variable or output block as synthesized. */
interface TfBlock {
  readonly description?: string;
  readonly type?: string;
  readonly default?: unknown;
}

/** Templates the constructs render with templatefile(); they ship inside the module. */
const TEMPLATES = [NAT_BOOT_TEMPLATE, NAT_RULES_TEMPLATE];

/** The generated files of one module, by path relative to its directory. */
export function renderModule(def: ModuleDefinition): Record<string, string> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'dxpl-module-'));
  try {
    const app = new App({ outdir, skipValidation: true });
    const stack = new ModuleStack(app, def.name);
    def.build(stack);
    app.synth();
    const stackDir = path.join(outdir, 'stacks', def.name);
    let text = readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    const files: Record<string, string> = {};
    // The templates ship inside the module; point templatefile() at them.
    for (const template of TEMPLATES) {
      const file = path.basename(template);
      const asset = new RegExp(`assets/[A-Za-z0-9_-]+/[0-9A-F]+/${file.replace(/\./g, '\\.')}`, 'g');
      if (!asset.test(text)) continue;
      text = text.replace(asset, path.join('templates', file));
      files[path.join('templates', file)] = readFileSync(template, 'utf8');
    }
    const json = stripMetadata(JSON.parse(text)) as Record<string, Record<string, TfBlock>>;
    // The module's own versions file replaces terraform{}; callers configure the provider.
    const main = Object.fromEntries(Object.entries(json).filter(([k]) => !['variable', 'output', 'terraform', 'provider'].includes(k)));
    const variables = json.variable;
    const outputs = json.output;
    const write = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    files['main.tf.json'] = write({ '//': `Generated by modules/generate.ts from the dx-privatelink constructs. Do not edit.`, ...main });
    files['variables.tf.json'] = write({ variable: variables });
    files['outputs.tf.json'] = write({ output: outputs });
    files['versions.tf.json'] = write({
      terraform: {
        required_version: MODULE_TERRAFORM_VERSION,
        required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION_CONSTRAINT } },
      },
    });
    files['README.md'] = readme(def, variables, outputs);
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n\s*/g, ' ');
}

function readme(def: ModuleDefinition, variables: Record<string, TfBlock>, outputs: Record<string, TfBlock>): string {
  const inputs = Object.entries(variables).map(([n, v]) => {
    const required = !('default' in v);
    const dflt = required ? 'n/a' : `\`${JSON.stringify(v.default)}\``;
    return `| ${n} | ${cell(v.description ?? '')} | \`${cell(v.type ?? 'any')}\` | ${dflt} | ${required ? 'yes' : 'no'} |`;
  });
  const outs = Object.entries(outputs).map(([n, o]) => `| ${n} | ${cell(o.description ?? '')} |`);
  return `<!-- Generated by modules/generate.ts. Do not edit: change the generator or the constructs and run \`npm run modules\`. -->
# ${def.name}

${def.summary}

## Usage

\`\`\`hcl
${def.usage}
\`\`\`

Requires Terraform ${MODULE_TERRAFORM_VERSION} and the \`hashicorp/aws\` provider ${AWS_PROVIDER_VERSION_CONSTRAINT}. The module has no provider or backend block: configure the AWS provider (region, credentials, default tags) in your root. Every input is validated with the same rules, and the same wording, as the dx-privatelink config file.

## Inputs

| Name | Description | Type | Default | Required |
| --- | --- | --- | --- | --- |
${inputs.join('\n')}

## Outputs

| Name | Description |
| --- | --- |
${outs.join('\n')}
`;
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
