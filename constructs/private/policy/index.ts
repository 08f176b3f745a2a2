import { ALARMS_NOTIFY } from './alarms-notify';
import { BGP_KEY_SENSITIVE } from './bgp-key-sensitive';
import { CONSUMER_ENDPOINT_PORTS } from './consumer-endpoint-ports';
import { EGRESS_LIMITED } from './egress-limited';
import { ENCRYPTED_VOLUMES } from './encrypted-volumes';
import { ENDPOINT_SERVICE_ACCESS } from './endpoint-service-access';
import { IMDSV2_REQUIRED } from './imdsv2';
import { LB_INTERNAL } from './lb-internal';
import { NO_SSH_KEY } from './no-ssh-key';
import { NO_WORLD_INGRESS } from './no-world-ingress';
import { PolicyRule } from './types';

export * from './types';

/** Every rule of the dx-privatelink policy pack. */
export const POLICY_RULES: readonly PolicyRule[] = [
  LB_INTERNAL,
  ENDPOINT_SERVICE_ACCESS,
  NO_WORLD_INGRESS,
  EGRESS_LIMITED,
  IMDSV2_REQUIRED,
  ENCRYPTED_VOLUMES,
  NO_SSH_KEY,
  BGP_KEY_SENSITIVE,
  CONSUMER_ENDPOINT_PORTS,
  ALARMS_NOTIFY,
];
