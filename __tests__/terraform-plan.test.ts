import { examplePlan, exampleStackJson } from './support/example';
import { resourcesOfType } from './support/terraform';

// Real `terraform init`, `validate` and `plan` (global-setup.ts) of the
// example config's provider stack, against the real AWS provider, offline.
describe('terraform plan of the example provider stack', () => {
  const plan = () => examplePlan('provider');

  test('validates and plans with the real AWS provider', () => {
    // GIVEN the example config  WHEN planned  THEN every change is a create
    const actions = new Set(plan().json.resource_changes.map((r) => r.change.actions.join(',')));
    expect([...actions]).toEqual(['create']);
  });

  test('creates the whole provider side', () => {
    const counts: Record<string, number> = {};
    for (const r of plan().resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toMatchObject({
      aws_vpn_gateway: 1,
      aws_dx_private_virtual_interface: 1,
      aws_launch_template: 1,
      aws_autoscaling_group: 1,
      aws_lb: 1,
      aws_lb_listener: 3,
      aws_lb_target_group: 3,
      aws_lb_target_group_attachment: 1,
      aws_vpc_endpoint_service: 1,
      aws_vpc: 1,
      aws_subnet: 2,
      aws_vpn_gateway_route_propagation: 2,
    });
  });

  test('keys every per-forward resource by the forward name', () => {
    const addresses = plan().resources.map((r) => r.address);
    for (const name of ['broker-a-fix', 'broker-b-fix', 'clearing-api']) {
      expect(addresses).toContain(`aws_lb_listener.nlb_listener["${name}"]`);
      expect(addresses).toContain(`aws_lb_target_group.nlb_target_group["${name}"]`);
    }
    expect(addresses).toContain('aws_lb_target_group_attachment.nlb_direct_target["clearing-api"]');
  });

  test('routes public targets through the NAT fleet and private ones directly', () => {
    const groups = Object.fromEntries(resourcesOfType(plan(), 'aws_lb_target_group').map((r) => [r.index, r.values]));
    expect(groups['broker-a-fix']).toMatchObject({ target_type: 'instance', port: 9001, protocol: 'TCP' });
    expect(groups['broker-b-fix']).toMatchObject({ target_type: 'instance', port: 9002 });
    expect(groups['clearing-api']).toMatchObject({ target_type: 'ip', port: 8443 });
    const [attachment] = resourcesOfType(plan(), 'aws_lb_target_group_attachment');
    expect(attachment.values).toMatchObject({ target_id: '172.20.5.15', port: 8443, availability_zone: 'all' });
  });

  test('the NLB is internal and cross-zone, listeners carry the idle timeout', () => {
    const [lb] = resourcesOfType(plan(), 'aws_lb');
    expect(lb.values).toMatchObject({ internal: true, load_balancer_type: 'network', enable_cross_zone_load_balancing: true });
    const listeners = Object.fromEntries(resourcesOfType(plan(), 'aws_lb_listener').map((r) => [r.index, r.values]));
    expect(listeners['broker-a-fix']).toMatchObject({ port: 9001, protocol: 'TCP', tcp_idle_timeout_seconds: 3600 });
    expect(listeners['clearing-api']).toMatchObject({ port: 9443, tcp_idle_timeout_seconds: 350 });
  });

  test('the endpoint service requires acceptance and allows the two consumer accounts', () => {
    const [service] = resourcesOfType(plan(), 'aws_vpc_endpoint_service');
    expect(service.values.acceptance_required).toBe(true);
    expect(service.values.allowed_principals).toEqual(
      expect.arrayContaining(['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root']),
    );
  });

  test('the Auto Scaling group spans both zones with EC2 health checks', () => {
    const [asg] = resourcesOfType(plan(), 'aws_autoscaling_group');
    expect(asg.values).toMatchObject({ min_size: 2, max_size: 2, health_check_type: 'EC2' });
    expect(asg.values.instance_refresh).toEqual([expect.objectContaining({ strategy: 'Rolling' })]);
  });

  test('the BGP key is a sensitive variable, never a literal', () => {
    const stack = exampleStackJson('provider');
    expect(stack.variable.bgp_auth_key).toMatchObject({ sensitive: true, type: 'string' });
    const vif = stack.resource.aws_dx_private_virtual_interface.direct_connect_private_vif;
    expect(vif.bgp_auth_key).toBe('${var.bgp_auth_key}');
  });

  test('requires the AWS provider >= 5.100.0, < 7.0.0', () => {
    expect(exampleStackJson('provider').terraform.required_providers.aws).toEqual({
      source: 'hashicorp/aws',
      version: '>= 5.100.0, < 7.0.0',
    });
  });
});
