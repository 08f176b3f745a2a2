/**
 * The shape of a dx-privatelink config file. Zod checks structure and types
 * (and rejects unknown keys); value rules live in constructs/private/rules.ts
 * and are applied by validate.ts so the wording is the same everywhere.
 */
import { z } from 'zod';

const str = z.string();
const int = z.number();

export const forwardSchema = z.strictObject({
  name: str,
  listen_port: int,
  target_ip: str,
  target_port: int,
  tcp_idle_timeout_seconds: int.optional(),
  shard: int.optional(),
  fleet: int.optional(),
});

export const consumerSchema = z.strictObject({
  name: str,
  account_id: str,
  role_arn: str,
  region: str.optional(),
  vpc_id: str,
  subnet_ids: z.array(str),
  allowed_cidrs: z.array(str),
  dns_zone: str.optional(),
  dns_zone_id: str.optional(),
});

export const tenantSchema = z.strictObject({
  name: str,
  forwards: z.array(str),
  consumers: z.array(str),
  acceptance: z.enum(['manual', 'auto']).optional(),
  nlb_security_group_ids: z.array(str).optional(),
});

const s3StateSchema = z.strictObject({
  bucket: str,
  region: str,
  key_prefix: str,
  role_arn: str.optional(),
});

export const stateSchema = z.strictObject({
  s3: s3StateSchema.optional(),
});

const createVpcSchema = z.strictObject({
  cidr: str,
  availability_zones: z.array(str),
  ssm_endpoints: z.boolean().optional(),
});

const existingVpcSchema = z.strictObject({
  vpc_id: str,
  cidr: str,
  subnet_ids: z.record(str, str),
  route_table_ids: z.array(str),
  s3_prefix_list_id: str.optional(),
  ssm_endpoints: z.boolean().optional(),
  existing_endpoints: z
    .strictObject({
      security_group_id: str,
      endpoint_ids: z.record(str, str),
    })
    .optional(),
});

export const vpcSchema = z.strictObject({
  create: createVpcSchema.optional(),
  existing: existingVpcSchema.optional(),
});

const privateVifSchema = z.strictObject({
  connection_id: str,
  vlan: int,
  bgp_asn: int,
  amazon_address: str,
  customer_address: str,
  mtu: int.optional(),
});

const hostedVifSchema = z.strictObject({
  virtual_interface_id: str,
});

export const directConnectSchema = z.strictObject({
  amazon_side_asn: int.optional(),
  existing_vgw_id: str.optional(),
  dx_gateway_id: str.optional(),
  private_vif: privateVifSchema.optional(),
  hosted_vif: hostedVifSchema.optional(),
  routing: z.enum(['propagate', 'static']).optional(),
});

export const natFleetSchema = z.strictObject({
  instance_type: str.optional(),
  architecture: z.enum(['arm64', 'x86_64']).optional(),
  min_size: int.optional(),
  max_size: int.optional(),
  ami_id: str.optional(),
  max_instance_lifetime_days: int.optional(),
  security_group_ids: z.array(str).optional(),
});

export const monitoringSchema = z.strictObject({
  alarms: z.boolean().optional(),
  topic_arn: str.optional(),
  emails: z.array(str).optional(),
  dashboard: z.boolean().optional(),
});

export const flowLogsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  destination: z.enum(['cloudwatch', 's3']).optional(),
  s3_bucket_arn: str.optional(),
  retention_days: int.optional(),
});

export const endpointServiceSchema = z.strictObject({
  acceptance: z.enum(['manual', 'auto']).optional(),
  supported_regions: z.array(str).optional(),
  nlb_security_group_ids: z.array(str).optional(),
});

/** Where the IAM roles go and what bounds them, for accounts whose guardrails require it. */
export const iamSchema = z.strictObject({
  permissions_boundary: str.optional(),
  path: str.optional(),
});

export const policySchema = z.strictObject({
  suppressions: z
    .array(
      z.strictObject({
        rule: str,
        reason: str,
        resource: str.optional(),
      }),
    )
    .optional(),
});

export const configSchema = z.strictObject({
  name: str,
  region: str,
  provider_account_id: str,
  tags: z.record(str, str).optional(),
  vpc: vpcSchema,
  direct_connect: directConnectSchema,
  forwards: z.array(forwardSchema),
  consumers: z.array(consumerSchema),
  tenants: z.array(tenantSchema).optional(),
  state: stateSchema.optional(),
  policy: policySchema.optional(),
  nat_fleet: natFleetSchema.optional(),
  endpoint_service: endpointServiceSchema.optional(),
  monitoring: monitoringSchema.optional(),
  flow_logs: flowLogsSchema.optional(),
  deletion_protection: z.boolean().optional(),
  iam: iamSchema.optional(),
  kms_key_arn: str.optional(),
  /** Quotas this account has raised, by key (constructs/private/quotas.ts). */
  quotas: z.record(str, int).optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ForwardConfig = z.infer<typeof forwardSchema>;
export type ConsumerConfig = z.infer<typeof consumerSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
