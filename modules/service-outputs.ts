/**
 * The dx-privatelink-service module's outputs: what the provider's own
 * pipeline needs (ids and ARNs to accept connections, alarm on, audit) and
 * what a consumer needs (service name, zones, ports), kept apart: target
 * addresses never go into what is handed to consumers.
 */
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DeploymentMonitoring } from '../constructs/monitoring';
import { EndpointService } from '../constructs/endpoint-service';
import { ForwardSet } from '../constructs/forward-set';
import { ForwardingNlb } from '../constructs/forwarding-nlb';
import { NatFleet } from '../constructs/nat-fleet';
import { PrivateBucket } from '../constructs/private-bucket';
import { SubnetZones } from '../constructs/subnet-zones';

export interface ServiceParts {
  readonly body: Construct;
  readonly forwards: ForwardSet;
  readonly nlb: ForwardingNlb;
  readonly service: EndpointService;
  readonly nat: NatFleet;
  readonly rulesBucket: PrivateBucket;
  readonly monitoring: DeploymentMonitoring;
  readonly vpcId: string;
  readonly subnetIds: string[];
}

export function serviceOutputs(stack: TerraformStack, p: ServiceParts): void {
  const out = (name: string, value: unknown, description: string, sensitive?: boolean) =>
    new TerraformOutput(stack, name, { value, description, sensitive });
  out('service_name', p.service.serviceName, 'Endpoint service name: consumers create interface endpoints to it.');
  out('service_id', p.service.serviceId, 'Endpoint service id: accept pending endpoint connections here (acceptance "manual").');
  out('service_arn', p.service.serviceArn, 'Endpoint service ARN.');
  out(
    'availability_zones',
    p.service.availabilityZones,
    "Availability zones the service is offered in (zone names of this account; consumers' names differ).",
  );
  out(
    'zone_ids',
    new SubnetZones(p.body, 'subnet-zones', { subnetIds: p.subnetIds, vpcId: p.vpcId }).zoneIds,
    "Availability zone ids the service is offered in: give them to consumers (the consumer module's services[*].zone_ids); ids, unlike names, are the same in every account.",
  );
  out(
    'consumer_ports',
    `\${{ for name, f in ${p.forwards.ref} : name => f.listen_port }}`,
    "Listen port by forward name: the consumer module's services[*].ports (no target address: those stay in this account).",
  );
  out(
    'port_map',
    `\${{ for name, f in ${p.forwards.ref} : name => { port = f.listen_port, target = format("%s:%d", f.target_ip, f.target_port), path = f.path } }}`,
    'Forward name to listen port, target and path ("nat" or "direct"), for this account\'s own records: not for consumers.',
  );
  out(
    'target_ips',
    `\${sort(distinct([for f in ${p.forwards.ref} : f.target_ip]))}`,
    'The distinct target addresses: the VPC module\'s static_targets with routing "static".',
  );
  out('load_balancer_arn', p.nlb.loadBalancerArn, 'ARN of the forwarding NLB.');
  out(
    'load_balancer_arn_suffix',
    p.nlb.loadBalancerArnSuffix,
    "The NLB's ARN suffix: the LoadBalancer dimension of its CloudWatch metrics.",
  );
  out('load_balancer_dns_name', p.nlb.loadBalancerDnsName, "The NLB's DNS name (inside the VPC).");
  out('load_balancer_security_group_id', p.nlb.securityGroupId, 'Security group of the NLB.');
  out('target_group_arns', `\${{ for name, tg in ${p.nlb.targetGroupFqn} : name => tg.arn }}`, 'Target group ARN by forward name.');
  out('nat_security_group_id', p.nat.securityGroupId, 'Security group of the NAT instances.');
  out('nat_asg_name', p.nat.autoScalingGroupName, 'Auto Scaling group of the NAT instances.');
  out('nat_role_arn', p.nat.roleArn, "ARN of the NAT instances' IAM role.");
  out('nat_rules_bucket', p.rulesBucket.bucketName, "The bucket holding the NAT instances' rules object.");
  out('alarm_topic_arn', p.monitoring.topicArn, 'SNS topic of the alarms and notifications (null when monitoring.alarms is false).');
}
