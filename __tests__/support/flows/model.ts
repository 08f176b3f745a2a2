/**
 * Every flow the running provider side needs, each as the hops it crosses,
 * derived from the deployed system (topology.ts) rather than from a hand
 * list: what the NAT instances' boot script calls (read from the rendered
 * script, so a new call without a path fails), what each forward's
 * listener sends where, what the health checks reach, where flow logs go.
 * A hop is ok, missing (with what is missing), or external (given by the
 * configuration, outside what the plan can show).
 */
import { Endpoint, SgRule, Topology, allows, cidrContains } from './topology';
import { bootCalls, bootSettings, natTranslations } from './scripts';

export interface Hop {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Taken as given: outside this deployment (an existing VPC's routes, an existing gateway's VIF). */
  readonly external?: boolean;
}

export type FlowKind = 'data' | 'health' | 'boot' | 'session' | 'logs';

export interface Flow {
  readonly name: string;
  readonly kind: FlowKind;
  readonly hops: readonly Hop[];
}

const ok = (name: string, detail: string, external = false): Hop => ({ name, ok: true, detail, external });
const missing = (name: string, detail: string): Hop => ({ name, ok: false, detail });

/** Problems of the flows: one line per hop that is not there, naming the flow and the hop. */
export function brokenHops(flows: readonly Flow[]): string[] {
  return flows.flatMap((f) => f.hops.filter((h) => !h.ok).map((h) => `${f.name}: ${h.name}: ${h.detail}`));
}

/** Every flow of the provider side. */
export function providerFlows(t: Topology): Flow[] {
  return [...fleetFlows(t), ...forwardFlows(t), ...flowLogFlows(t)];
}

// ---- security groups -----------------------------------------------------------

const carriesTcp = (r: SgRule, port: number) =>
  (r.protocol === '-1' || r.protocol === 'tcp' || r.protocol === '6') && (r.protocol === '-1' || (r.from <= port && port <= r.to));

/** The egress rule of `group` that lets TCP to `port` reach the peer, if any. */
function egressTo(
  t: Topology,
  group: string,
  port: number,
  peer: { groups?: readonly string[]; cidrs?: readonly string[]; prefixList?: string },
) {
  return t
    .rules(group)
    .find(
      (r) =>
        r.direction === 'egress' &&
        carriesTcp(r, port) &&
        ((r.group !== undefined && (peer.groups ?? []).includes(r.group)) ||
          (r.cidr !== undefined && (peer.cidrs ?? []).length > 0 && peer.cidrs!.every((c) => c !== '' && cidrContains(r.cidr!, c))) ||
          (r.prefixList !== undefined && r.prefixList === peer.prefixList)),
    );
}

/** The ingress rule of any of `groups` that admits TCP on `port` from the peer, if any. */
function ingressFrom(
  t: Topology,
  groups: readonly string[],
  port: number,
  peer: { groups?: readonly string[]; cidrs?: readonly string[] },
) {
  return groups
    .flatMap((g) => t.rules(g))
    .find(
      (r) =>
        r.direction === 'ingress' &&
        carriesTcp(r, port) &&
        ((r.group !== undefined && (peer.groups ?? []).includes(r.group)) ||
          (r.cidr !== undefined && (peer.cidrs ?? []).length > 0 && peer.cidrs!.every((c) => c !== '' && cidrContains(r.cidr!, c)))),
    );
}

// ---- routes ---------------------------------------------------------------------

/** How traffic from `subnet` to `ip` leaves: the VPC itself, a virtual private gateway, or nothing. */
function routeTo(t: Topology, subnet: string, ip: string): Hop {
  const s = t.subnet(subnet);
  const vpcCidr = t.vpcCidr(s.vpc);
  if (vpcCidr && cidrContains(vpcCidr, ip)) return ok('route', `${ip} is in the VPC (${vpcCidr}): local route`);
  const { tables, external } = t.routeTablesFor(subnet);
  if (tables.length === 0) return missing('route', `subnet ${subnet} has no route table of this deployment that routes ${ip}`);
  const via: string[] = [];
  for (const table of tables) {
    const statics = t.routes(table).filter((r) => cidrContains(r.destination, ip));
    const best = statics.sort((a, b) => Number(b.destination.split('/')[1]) - Number(a.destination.split('/')[1]))[0];
    if (best) {
      via.push(`${table}: ${best.destination} -> ${best.gateway} (${best.address})`);
      continue;
    }
    const propagated = t.propagatedGateways(table);
    if (propagated.length > 0) {
      via.push(`${table}: propagated from ${propagated.join(', ')} (the prefixes your router advertises over BGP)`);
      continue;
    }
    return missing('route', `route table ${table} of subnet ${subnet} has no route to ${ip}: no static route and no VGW propagation`);
  }
  return ok('route', via.join('; '), external);
}

/** The gateway a route names, through to Direct Connect: attached to the VPC, with a virtual interface. */
function gatewayToDirectConnect(t: Topology, route: Hop, vpc: string): Hop[] {
  const gateways = [...route.detail.matchAll(/vgw-[0-9a-f]+/g)].map((m) => m[0]);
  if (!route.ok || gateways.length === 0) return [];
  return [...new Set(gateways)].map((vgw) => {
    const made = t.one('aws_vpn_gateway', (v) => v.id === vgw);
    const attached =
      made?.values.vpc_id === vpc || t.one('aws_vpn_gateway_attachment', (v) => v.vpn_gateway_id === vgw && v.vpc_id === vpc);
    const vif =
      t.one('aws_dx_private_virtual_interface', (v) => v.vpn_gateway_id === vgw) ??
      t.one('aws_dx_hosted_private_virtual_interface_accepter', (v) => v.vpn_gateway_id === vgw);
    const association = t.one('aws_dx_gateway_association', (v) => v.associated_gateway_id === vgw);
    const viaGateway =
      association &&
      (t.one('aws_dx_private_virtual_interface', (v) => v.dx_gateway_id === association.values.dx_gateway_id) ??
        t.one('aws_dx_hosted_private_virtual_interface_accepter', (v) => v.dx_gateway_id === association.values.dx_gateway_id));
    if (made && !attached) return missing('Direct Connect', `${vgw} is not attached to ${vpc}`);
    if (vif)
      return ok(
        'Direct Connect',
        `${vgw} (attached to ${vpc}) -> virtual interface ${vif.values.id ?? vif.values.virtual_interface_id}`,
        !made,
      );
    if (viaGateway)
      return ok(
        'Direct Connect',
        `${vgw} -> Direct Connect gateway ${association!.values.dx_gateway_id} -> virtual interface ${viaGateway.values.id ?? viaGateway.values.virtual_interface_id}`,
        !made,
      );
    if (!made || association) return ok('Direct Connect', `${vgw}: its virtual interface is outside this deployment`, true);
    // A gateway made here with no interface in the config (direct_connect with neither VIF):
    // the interface is attached outside this deployment, or traffic has nowhere to go.
    return ok('Direct Connect', `${vgw} has no virtual interface in this deployment: attach one to it (outside this deployment)`, true);
  });
}

// ---- NAT fleets: boot and management ---------------------------------------------

/** A NAT fleet as deployed: its group, what it launches, where, with which role. */
interface Fleet {
  readonly name: string;
  readonly arn: string;
  readonly vpc: string;
  readonly subnets: readonly string[];
  readonly groups: readonly string[];
  readonly role?: string;
  readonly script: string;
  readonly hooks: readonly string[];
}

function fleets(t: Topology): Fleet[] {
  return t.of('aws_autoscaling_group').map((asg) => {
    const ltId = asg.values.launch_template?.[0]?.id;
    const lt = t.one('aws_launch_template', (v) => v.id === ltId);
    const subnets: string[] = asg.values.vpc_zone_identifier ?? [];
    const profile = lt?.values.iam_instance_profile?.[0]?.arn;
    return {
      name: asg.values.name,
      arn: asg.values.arn,
      vpc: subnets.length > 0 ? t.subnet(subnets[0]).vpc : '',
      subnets,
      groups: lt?.values.vpc_security_group_ids ?? [],
      role: profile ? t.roleOfProfile(profile) : undefined,
      script: lt?.values.user_data ? Buffer.from(lt.values.user_data, 'base64').toString('utf8') : '',
      hooks: [
        ...(asg.values.initial_lifecycle_hook ?? []),
        ...t
          .of('aws_autoscaling_lifecycle_hook')
          .filter((h) => h.values.autoscaling_group_name === asg.values.name)
          .map((h) => h.values),
      ].map((h: { name: string }) => h.name),
    };
  });
}

/** The NAT subnets' CIDRs (what an endpoint's group must admit, when by CIDR). */
const cidrsOf = (t: Topology, subnets: readonly string[]) => subnets.map((s) => t.subnet(s).cidr);

/** The hops of one HTTPS call from a fleet to an AWS API through an interface endpoint. */
function interfaceCall(t: Topology, fleet: Fleet, service: string): Hop[] {
  const name = `com.amazonaws.${t.region}.${service}`;
  const endpoint = t.endpoints().find((e) => e.type === 'Interface' && e.service === name && e.vpc === fleet.vpc);
  if (!endpoint)
    return [
      missing(
        'endpoint',
        `no interface endpoint ${name} in ${fleet.vpc || "the fleet's VPC"} (the VPC has no internet: the call times out)`,
      ),
    ];
  const hops: Hop[] = [
    endpoint.privateDns
      ? ok('endpoint', `${endpoint.id} (${endpoint.address}), private DNS on`, endpoint.external)
      : missing(
          'endpoint',
          `${endpoint.id} has private DNS off: ${service}.${t.region}.amazonaws.com resolves to the public service, which the VPC cannot reach`,
        ),
  ];
  const out = fleet.groups.map((g) => egressTo(t, g, 443, { groups: endpoint.groups, cidrs: cidrsOf(t, endpoint.subnets) })).find(Boolean);
  hops.push(
    out
      ? ok('security group out', `${out.address} (443 to ${out.group ?? out.cidr})`)
      : missing(
          'security group out',
          `no egress rule of ${fleet.groups.join(', ')} allows 443 to ${endpoint.id} (groups ${endpoint.groups.join(', ')})`,
        ),
  );
  const inRule = ingressFrom(t, endpoint.groups, 443, { groups: fleet.groups, cidrs: cidrsOf(t, fleet.subnets) });
  hops.push(
    inRule
      ? ok('security group in', `${inRule.address} (443 from ${inRule.group ?? inRule.cidr})`)
      : endpoint.external && endpoint.groups.length === 0
        ? ok('security group in', `${endpoint.id}: its groups are outside this deployment`, true)
        : missing(
            'security group in',
            `no ingress rule of ${endpoint.groups.join(', ') || '(no group)'} on ${endpoint.id} admits 443 from ${fleet.groups.join(', ')}`,
          ),
  );
  return hops;
}

/** The hops of an HTTPS call from a fleet to S3 through the gateway endpoint. */
function s3Call(t: Topology, fleet: Fleet): Hop[] {
  const name = `com.amazonaws.${t.region}.s3`;
  const gateway = t.endpoints().find((e) => e.type === 'Gateway' && e.service === name && e.vpc === fleet.vpc);
  const hops: Hop[] = [];
  let prefixList: string | undefined;
  if (gateway) {
    prefixList = gateway.prefixList;
    const unrouted = fleet.subnets.filter((s) => {
      const table = t.routeTableOf(s);
      return table !== undefined && !gateway.routeTables.includes(table);
    });
    hops.push(
      unrouted.length === 0
        ? ok('route', `S3 gateway endpoint ${gateway.id} in the route tables ${gateway.routeTables.join(', ')}`)
        : missing('route', `the route tables of ${unrouted.join(', ')} do not carry the S3 gateway endpoint ${gateway.id}`),
    );
  } else {
    // An existing VPC: the config gives the prefix list of its S3 gateway endpoint.
    prefixList = fleet.groups
      .flatMap((g) => t.rules(g))
      .find((r) => r.direction === 'egress' && r.prefixList !== undefined && carriesTcp(r, 443))?.prefixList;
    hops.push(
      prefixList
        ? ok('route', `the VPC's own S3 gateway endpoint (prefix list ${prefixList}, given)`, true)
        : missing('route', `no S3 gateway endpoint ${name} in ${fleet.vpc} and none given`),
    );
  }
  const out = prefixList ? fleet.groups.map((g) => egressTo(t, g, 443, { prefixList })).find(Boolean) : undefined;
  hops.push(
    out
      ? ok('security group out', `${out.address} (443 to ${prefixList})`)
      : missing(
          'security group out',
          `no egress rule of ${fleet.groups.join(', ')} allows 443 to the S3 prefix list ${prefixList ?? '(none)'}`,
        ),
  );
  if (gateway?.policy) hops.push(ok('endpoint policy', `${gateway.id} has a policy: check it allows the call`, true));
  return hops;
}

/** IAM action of an AWS CLI call: `autoscaling complete-lifecycle-action` is autoscaling:CompleteLifecycleAction. */
export function iamAction(service: string, operation: string): string {
  const prefix = service === 's3api' ? 's3' : service;
  return `${prefix}:${operation.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}`;
}

function permission(t: Topology, fleet: Fleet, action: string, resource: string): Hop {
  if (!fleet.role) return missing('IAM', `the launch template has no instance profile: nothing may call ${action}`);
  const statements = t.statements(fleet.role);
  const verdict = allows(statements, action, resource);
  const managed = statements.flatMap((s) => s.actions).filter((a) => a.startsWith('(managed policy'));
  return verdict.ok
    ? ok('IAM', `${action} on ${resource} (${verdict.by})`)
    : missing(
        'IAM',
        `role ${fleet.role} ${verdict.by ? `is denied (${verdict.by})` : 'has no statement allowing'} ${action} on ${resource}${managed.length ? ` (not read: ${managed.join(', ')})` : ''}`,
      );
}

/** Session Manager's calls from the SSM agent of the AMI: the API actions of each endpoint. */
const AGENT_CALLS: Record<string, { action: string; resource: (t: Topology) => string }[]> = {
  ssm: [
    {
      action: 'ssm:UpdateInstanceInformation',
      resource: (t) => `arn:${t.partition}:ec2:${t.region}:${t.account}:instance/i-0123456789abcdef0`,
    },
  ],
  ssmmessages: [
    { action: 'ssmmessages:CreateControlChannel', resource: () => '*' },
    { action: 'ssmmessages:OpenDataChannel', resource: () => '*' },
  ],
  ec2messages: [{ action: 'ec2messages:GetMessages', resource: () => '*' }],
};

function fleetFlows(t: Topology): Flow[] {
  return fleets(t).flatMap((fleet) => {
    const settings = bootSettings(fleet.script);
    const flows: Flow[] = [];
    const at = `NAT fleet ${fleet.name}`;
    flows.push({
      name: `${at}: boot script`,
      kind: 'boot',
      hops: [
        fleet.script ? ok('user data', `${fleet.script.length} bytes`) : missing('user data', 'the launch template has no boot script'),
        settings.asgName === fleet.name
          ? ok('group', `the script completes the hook of ${fleet.name}`)
          : missing('group', `the script names group ${settings.asgName}, not ${fleet.name}`),
        settings.hookName && fleet.hooks.includes(settings.hookName)
          ? ok('hook', `launch hook ${settings.hookName}`)
          : missing('hook', `the group has no launch hook ${settings.hookName} (it has ${fleet.hooks.join(', ') || 'none'})`),
        settings.region === t.region
          ? ok('region', settings.region)
          : missing('region', `the script calls ${settings.region}, the fleet is in ${t.region}`),
      ],
    });
    for (const call of bootCalls(fleet.script)) {
      const action = iamAction(call.service, call.operation);
      const hops =
        call.service === 's3api'
          ? [...s3Call(t, fleet), permission(t, fleet, action, `arn:${t.partition}:s3:::${settings.bucket}/${settings.key}`)]
          : [...interfaceCall(t, fleet, call.service), permission(t, fleet, action, call.service === 'autoscaling' ? fleet.arn : '*')];
      flows.push({ name: `${at}: aws ${call.service} ${call.operation}`, kind: 'boot', hops });
    }
    if (/\bdnf install\b/.test(fleet.script))
      flows.push({ name: `${at}: dnf install (Amazon Linux 2023 repositories in S3)`, kind: 'boot', hops: s3Call(t, fleet) });
    // The SSM agent of the image: Session Manager when the VPC has its endpoints.
    const ssm = ['ssm', 'ssmmessages', 'ec2messages'];
    const present = ssm.filter((s) => t.endpoints().some((e) => e.vpc === fleet.vpc && e.service === `com.amazonaws.${t.region}.${s}`));
    if (present.length === 0) {
      flows.push({
        name: `${at}: Session Manager`,
        kind: 'session',
        hops: [ok('endpoints', 'none in the VPC: Session Manager is not offered (ssm_endpoints off)', true)],
      });
    } else {
      for (const service of ssm) {
        const hops = [
          ...interfaceCall(t, fleet, service),
          ...AGENT_CALLS[service].map((c) => permission(t, fleet, c.action, c.resource(t))),
        ];
        flows.push({ name: `${at}: SSM agent to ${service}`, kind: 'session', hops });
      }
    }
    return flows;
  });
}

// ---- forwards: consumers' connections and health checks ------------------------------

interface Listener {
  readonly address: string;
  readonly port: number;
  readonly nlb: { arn: string; name: string; subnets: string[]; groups: string[]; vpc: string };
  readonly targetGroup?: { arn: string; port: number; type: string; healthPort: string; address: string };
}

function listeners(t: Topology): Listener[] {
  return t.of('aws_lb_listener').map((l) => {
    const lb = t.one('aws_lb', (v) => v.arn === l.values.load_balancer_arn)!;
    const tgArn = l.values.default_action?.[0]?.target_group_arn;
    const tg = t.one('aws_lb_target_group', (v) => v.arn === tgArn);
    const subnets: string[] = lb?.values.subnets ?? [];
    return {
      address: l.address,
      port: l.values.port,
      nlb: {
        arn: lb?.values.arn,
        name: lb?.values.name,
        subnets,
        groups: lb?.values.security_groups ?? [],
        vpc: subnets.length ? t.subnet(subnets[0]).vpc : '',
      },
      targetGroup: tg && {
        arn: tg.values.arn,
        port: tg.values.port,
        type: tg.values.target_type,
        healthPort: tg.values.health_check?.[0]?.port ?? 'traffic-port',
        address: tg.address,
      },
    };
  });
}

function forwardFlows(t: Topology): Flow[] {
  const services = t.of('aws_vpc_endpoint_service');
  const allFleets = fleets(t);
  return listeners(t).flatMap((l) => {
    const name = `${l.nlb.name}:${l.port}`;
    const service = services.find((s) => (s.values.network_load_balancer_arns ?? []).includes(l.nlb.arn));
    const front: Hop[] = [
      service
        ? ok('endpoint service', `${service.values.service_name} (${service.address}) on ${l.nlb.name}`)
        : missing('endpoint service', `no endpoint service has ${l.nlb.name}: no consumer can reach it`),
      l.targetGroup
        ? ok('listener', `${l.address} -> ${l.targetGroup.address}`)
        : missing('listener', `${l.address} forwards to no target group of this deployment`),
    ];
    if (!l.targetGroup) return [{ name: `forward ${name}`, kind: 'data' as const, hops: front }];
    const tg = l.targetGroup;
    const healthPort = tg.healthPort === 'traffic-port' ? tg.port : Number(tg.healthPort);
    if (tg.type === 'ip') {
      const attachments = t.of('aws_lb_target_group_attachment').filter((a) => a.values.target_group_arn === tg.arn);
      if (attachments.length === 0)
        return [{ name: `forward ${name}`, kind: 'data' as const, hops: [...front, missing('targets', `${tg.address} has no IP target`)] }];
      return attachments.flatMap((a) => {
        const ip = a.values.target_id as string;
        const port = Number(a.values.port ?? tg.port);
        const vpcCidr = t.vpcCidr(l.nlb.vpc);
        const outside = !vpcCidr || !cidrContains(vpcCidr, ip);
        const target: Hop =
          outside && a.values.availability_zone !== 'all'
            ? missing('target', `${ip} is outside the VPC: its attachment needs availability_zone "all"`)
            : ok('target', `IP target ${ip}:${port} (${a.address})`);
        const path = (p: number): Hop[] => {
          const out = l.nlb.groups.map((g) => egressTo(t, g, p, { cidrs: [`${ip}/32`] })).find(Boolean);
          const route = routeTo(t, l.nlb.subnets[0], ip);
          return [
            out
              ? ok('NLB security group out', `${out.address}`)
              : missing('NLB security group out', `no egress rule of ${l.nlb.groups.join(', ')} allows ${ip}:${p}`),
            route,
            ...gatewayToDirectConnect(t, route, l.nlb.vpc),
          ];
        };
        return [
          { name: `forward ${name} -> ${ip}:${port}`, kind: 'data' as const, hops: [...front, target, ...path(port)] },
          { name: `health check ${name} -> ${ip}:${healthPort}`, kind: 'health' as const, hops: [target, ...path(healthPort)] },
        ];
      });
    }
    // Instance targets: the NAT fleets that attach the target group.
    const attached = allFleets.filter((f) =>
      t.of('aws_autoscaling_attachment').some((a) => a.values.autoscaling_group_name === f.name && a.values.lb_target_group_arn === tg.arn),
    );
    if (attached.length === 0)
      return [
        {
          name: `forward ${name}`,
          kind: 'data' as const,
          hops: [...front, missing('targets', `no Auto Scaling group attaches ${tg.address}`)],
        },
      ];
    return attached.flatMap((fleet) => {
      const toFleet = (p: number): Hop[] => {
        const out = l.nlb.groups.map((g) => egressTo(t, g, p, { groups: fleet.groups, cidrs: cidrsOf(t, fleet.subnets) })).find(Boolean);
        const inRule = ingressFrom(t, fleet.groups, p, { groups: l.nlb.groups, cidrs: cidrsOf(t, l.nlb.subnets) });
        return [
          out
            ? ok('NLB security group out', out.address)
            : missing('NLB security group out', `no egress rule of ${l.nlb.groups.join(', ')} allows ${p} to the NAT instances`),
          inRule
            ? ok('NAT security group in', inRule.address)
            : missing('NAT security group in', `no ingress rule of ${fleet.groups.join(', ')} admits ${p} from ${l.nlb.name}`),
        ];
      };
      const translation = natTranslations(rulesOf(t, fleet)).find((x) => x.listenPort === tg.port);
      if (!translation)
        return [
          {
            name: `forward ${name} via ${fleet.name}`,
            kind: 'data' as const,
            hops: [
              ...front,
              ok('targets', `${fleet.name}`),
              ...toFleet(tg.port),
              missing('NAT rules', `the rules of ${fleet.name} translate no listen port ${tg.port}`),
            ],
          },
        ];
      const out = fleet.groups.map((g) => egressTo(t, g, translation.targetPort, { cidrs: [`${translation.targetIp}/32`] })).find(Boolean);
      const routes = fleet.subnets.map((s) => routeTo(t, s, translation.targetIp));
      const route = routes.find((r) => !r.ok) ?? routes[0];
      const beyond: Hop[] = [
        ok('NAT rules', `${tg.port} -> ${translation.targetIp}:${translation.targetPort} (${translation.name})`),
        out
          ? ok('NAT security group out', out.address)
          : missing(
              'NAT security group out',
              `no egress rule of ${fleet.groups.join(', ')} allows ${translation.targetIp}:${translation.targetPort}`,
            ),
        route,
        ...gatewayToDirectConnect(t, route, fleet.vpc),
      ];
      return [
        {
          name: `forward ${name} via ${fleet.name} -> ${translation.targetIp}:${translation.targetPort}`,
          kind: 'data' as const,
          hops: [...front, ok('targets', fleet.name), ...toFleet(tg.port), ...beyond],
        },
        { name: `health check ${name} via ${fleet.name}`, kind: 'health' as const, hops: [...toFleet(healthPort), ...beyond] },
      ];
    });
  });
}

/** The rules object a fleet's script fetches, as deployed. */
function rulesOf(t: Topology, fleet: Fleet): string {
  const { bucket, key } = bootSettings(fleet.script);
  return t.one('aws_s3_object', (v) => v.bucket === bucket && v.key === key)?.values.content ?? '';
}

// ---- flow logs -------------------------------------------------------------------------

function flowLogFlows(t: Topology): Flow[] {
  return t.of('aws_flow_log').map((log) => {
    const name = `flow logs of ${log.values.subnet_id ?? log.values.vpc_id ?? log.values.eni_id}`;
    if (log.values.log_destination_type !== 'cloud-watch-logs')
      return {
        name,
        kind: 'logs' as const,
        hops: [ok('destination', `${log.values.log_destination} (its bucket policy is outside this deployment)`, true)],
      };
    const roleArn: string = log.values.iam_role_arn ?? '';
    const role = t.one('aws_iam_role', (v) => v.arn === roleArn)?.values.name as string | undefined;
    const trusted = role ? t.trustedServices(role) : [];
    const stream = `${log.values.log_destination}:log-stream:eni-0123456789abcdef0-all`;
    const statements = role ? t.statements(role) : [];
    const put = allows(statements, 'logs:PutLogEvents', stream);
    const create = allows(statements, 'logs:CreateLogStream', stream);
    return {
      name,
      kind: 'logs' as const,
      hops: [
        trusted.includes('vpc-flow-logs.amazonaws.com')
          ? ok('role', `${roleArn} trusts vpc-flow-logs.amazonaws.com`)
          : missing('role', `${roleArn || '(no role)'} does not let vpc-flow-logs.amazonaws.com assume it`),
        put.ok && create.ok
          ? ok('IAM', `logs:CreateLogStream and logs:PutLogEvents on ${stream}`)
          : missing('IAM', `role ${role} may not write log streams of ${log.values.log_destination}`),
      ],
    };
  });
}

export type { Endpoint };
