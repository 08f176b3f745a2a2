/** The AWS APIs a NAT instance calls through interface endpoints. Pure: no cdktf import. */

/**
 * The interface endpoints a NAT fleet uses: `autoscaling` for the launch
 * lifecycle action at boot (without it no instance comes into service), and
 * the three of Session Manager (ssm, ssmmessages, ec2messages), to open a
 * shell on an instance without SSH or internet.
 */
export const FLEET_SERVICES = ['autoscaling', 'ssm', 'ssmmessages', 'ec2messages'] as const;
export type FleetService = (typeof FLEET_SERVICES)[number];
/** The endpoints without which an instance never comes into service. */
export const BOOT_SERVICES: readonly FleetService[] = ['autoscaling'];
/** The endpoints of Session Manager: optional (management only). */
export const SESSION_MANAGER_SERVICES: readonly FleetService[] = ['ssm', 'ssmmessages', 'ec2messages'];
