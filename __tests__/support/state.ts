/**
 * What the provider stack would have published once applied, for plans of
 * consumer stacks: each consumer's handoff object, built from the provider
 * stack's synthesized `aws_s3_object` (its keys and structure), with
 * made-up service names and the region's zone ids where Terraform would
 * fill in real ones.
 */
import { zoneIdPrefix } from './fake-aws';

export function fakeServiceName(key: string): string {
  return `com.amazonaws.vpce.eu-west-2.vpce-svc-0${key.replace(/[^a-z0-9]/g, '')}`;
}

/** The zone ids the fake handoff offers: zones a to c of the region (fakeSubnetOf's az1 to az3). */
export function fakeZoneIds(region: string): string[] {
  return [1, 2, 3].map((n) => `${zoneIdPrefix(region)}-az${n}`);
}

interface HandoffValue {
  consumer: string;
  services: Record<string, { service_name: string; region: string; zone_ids: unknown; ports: Record<string, number> }>;
}

/** `<bucket>/consumers/<account>.json` -> object body, for every consumer of the provider stack. */
export function fakeHandoffObjects(
  providerJson: Record<string, any>,
  zoneIds = (region: string) => fakeZoneIds(region),
): Map<string, string> {
  const object = providerJson.resource?.aws_s3_object?.handoff_object;
  const bucket = providerJson.resource?.aws_s3_bucket?.handoff_bucket?.bucket;
  if (!object || !bucket) throw new Error('the provider stack publishes no handoff (aws_s3_object.handoff_object)');
  const objects = new Map<string, string>();
  for (const [account, value] of Object.entries(object.for_each as Record<string, HandoffValue>)) {
    const services = Object.fromEntries(
      Object.entries(value.services).map(([key, s]) => [
        key,
        { service_name: fakeServiceName(key), region: s.region, zone_ids: zoneIds(s.region), ports: s.ports },
      ]),
    );
    objects.set(`${bucket}/consumers/${account}.json`, JSON.stringify({ consumer: value.consumer, services }));
  }
  return objects;
}
