/**
 * A Terraform (v4) state file holding only the provider stack's `services`
 * output, as if the provider stack had been applied: the consumer stacks'
 * terraform_remote_state reads it during plan.
 */
export function fakeServiceName(tenant: string, index: number): string {
  return `com.amazonaws.vpce.eu-west-2.vpce-svc-0${tenant.replace(/[^a-z0-9]/g, '')}${index}`;
}

type Cty = string | [string, unknown];

function ctyType(value: unknown): Cty {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(ctyType)];
  return ['object', Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, ctyType(v)]))];
}

export function fakeProviderState(providerJson: { output: { services: { value: Record<string, { ports: Record<string, number> }[]> } } }) {
  const services = Object.fromEntries(
    Object.entries(providerJson.output.services.value).map(([tenant, shards]) => [
      tenant,
      shards.map((shard, index) => ({
        service_name: fakeServiceName(tenant, index),
        service_id: `vpce-svc-0${index}`,
        availability_zones: ['eu-west-2a', 'eu-west-2b'],
        ports: shard.ports,
      })),
    ]),
  );
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000000',
    outputs: { services: { value: services, type: ctyType(services) } },
    resources: [],
    check_results: null,
  };
}
