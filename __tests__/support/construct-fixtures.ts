/**
 * Every public construct with valid, plain props that set every string
 * field it has, for the construct-path input tests: one place for "this
 * construct, except ...".
 */
import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AlarmTopic } from '../../constructs/alarm-topic';
import { ConsumerEndpoint } from '../../constructs/consumer-endpoint';
import { ConsumerHandoff } from '../../constructs/consumer-handoff';
import { ConsumerStack } from '../../constructs/consumer-stack';
import { DeploymentDashboard } from '../../constructs/dashboard';
import { DirectConnectAttachment } from '../../constructs/direct-connect';
import { DxPrivateLinkProvider } from '../../constructs/dx-privatelink-provider';
import { DxStack } from '../../constructs/dx-stack';
import { EndpointService } from '../../constructs/endpoint-service';
import { FlowLogs } from '../../constructs/flow-logs';
import { ForwardSet } from '../../constructs/forward-set';
import { ForwardingNlb } from '../../constructs/forwarding-nlb';
import { DeploymentMonitoring } from '../../constructs/monitoring';
import { NatFleet } from '../../constructs/nat-fleet';
import { NatSecurityGroup } from '../../constructs/nat-security-group';
import { PrivateBucket } from '../../constructs/private-bucket';
import { ProviderNetwork } from '../../constructs/provider-network';
import { ProviderStack } from '../../constructs/provider-stack';
import { SubnetZones } from '../../constructs/subnet-zones';
import { TenantService } from '../../constructs/tenant-service';
import { nlbFixture, testStack } from './stack';

export const IDS = {
  vpc: 'vpc-0123456789abcdef0',
  subnets: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
  routeTable: 'rtb-0cccccccccccccccc',
  prefixList: 'pl-7ca54015',
  vgw: 'vgw-0123456789abcdef0',
  dxGateway: '5f1c4e1e-0000-4000-8000-000000000000',
  connection: 'dxcon-fgexampl',
  hostedVif: 'dxvif-ffhhk74f',
};

const STACK = {
  region: 'eu-west-2',
  accountId: '111111111111',
  assumeRoleArn: 'arn:aws:iam::111111111111:role/deploy',
  tags: { team: 'trading-network' },
  state: { s3: { bucket: 'tf-state', region: 'eu-west-2', keyPrefix: 'dx/fix-gw', roleArn: 'arn:aws:iam::111111111111:role/state' } },
};

/** The options of a locked-down account (issue 23). */
const KEY = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const IAM = { permissionsBoundary: 'arn:aws:iam::111111111111:policy/dx-boundary', path: '/network/' };
const GROUPS = { nat: ['sg-0aaaaaaaaaaaaaaaa'], nlb: ['sg-0bbbbbbbbbbbbbbbb'], tenant: ['sg-0cccccccccccccccc'] };

const VIF = {
  connectionId: IDS.connection,
  vlan: 101,
  bgpAsn: 65010,
  amazonAddress: '169.254.100.1/30',
  customerAddress: '169.254.100.2/30',
};

const FORWARDS = { 'broker-a': { listenPort: 9001, targetIp: '192.0.2.10', targetPort: 9876 } };

const EXISTING_VPC = {
  vpcId: IDS.vpc,
  cidr: '10.42.0.0/24',
  subnetIds: { 'eu-west-2a': IDS.subnets[0], 'eu-west-2b': IDS.subnets[1] },
  routeTableIds: [IDS.routeTable],
  s3PrefixListId: IDS.prefixList,
};

const PROVIDER = {
  name: 'fix-gw',
  existingVpc: EXISTING_VPC,
  directConnect: { privateVif: VIF, dxGatewayId: IDS.dxGateway, routing: 'static' as const },
  forwards: FORWARDS,
  tenants: [
    {
      name: 'internal',
      forwards: ['broker-a'],
      allowedPrincipals: ['arn:aws:iam::222222222222:root'],
      acceptance: 'auto' as const,
      nlbSecurityGroupIds: [...GROUPS.tenant],
    },
  ],
  supportedRegions: ['eu-west-1'],
  natFleet: { instanceType: 't4g.small', architecture: 'arm64' as const, securityGroupIds: [...GROUPS.nat] },
  nlbSecurityGroupIds: [...GROUPS.nlb],
  iam: IAM,
  kmsKeyArn: KEY,
  monitoring: { topicArn: 'arn:aws:sns:eu-west-2:111111111111:netops', emails: ['netops@example.com'] },
  flowLogs: { destination: 's3' as const, s3BucketArn: 'arn:aws:s3:::acme-flow-logs' },
  partition: 'aws',
};

/** Builds the construct from `props` in a fresh stack (or app); throws what the construct throws. */
export interface Fixture {
  readonly name: string;
  readonly props: () => Record<string, any>;
  readonly build: (props: any) => void;
  /** The construct's own name for a prop path (`settings.routing` is `directConnect.routing`). */
  readonly field?: (path: string) => string;
  /** Paths of free-form maps, whose keys are strings of the props too. */
  readonly maps?: readonly string[];
}

/** A scope in a fresh stack, for constructs that need a stack around them. */
const inStack = (make: (scope: Construct, props: any) => void) => (props: any) => make(testStack(), props);

export const FIXTURES: readonly Fixture[] = [
  {
    name: 'DxStack',
    props: () => structuredClone(STACK),
    build: (props) => new DxStack(Testing.app(), 'stack', props),
    maps: ['tags'],
  },
  {
    name: 'ConsumerStack',
    props: () => ({
      ...structuredClone(STACK),
      providerStackId: 'provider',
      providerRegion: 'eu-west-2',
      handoff: { bucket: 'fix-gw-handoff-111111111111-eu-west-2', region: 'eu-west-2' },
      endpoint: {
        name: 'desk-eu',
        vpcId: IDS.vpc,
        subnetIds: [...IDS.subnets],
        allowedCidrs: ['10.1.0.0/16'],
        dnsZone: 'fix.internal',
        dnsZoneId: 'Z0123456789ABCDEFGHIJ',
      },
      shards: [{ key: 'internal-0', ports: { 'broker-a': 9001 } }],
    }),
    build: (props) => new ConsumerStack(Testing.app(), 'consumer-desk-eu', props),
    maps: ['tags', 'shards[0].ports'],
  },
  {
    name: 'ProviderStack',
    props: () => ({
      ...structuredClone(STACK),
      provider: structuredClone(PROVIDER),
      consumers: [{ name: 'desk-eu', accountId: '222222222222', tenants: ['internal'] }],
    }),
    build: (props) => new ProviderStack(Testing.app(), 'provider', props),
    maps: ['tags', 'provider.forwards', 'provider.existingVpc.subnetIds'],
  },
  {
    name: 'DxPrivateLinkProvider',
    props: () => ({ ...structuredClone(PROVIDER), region: 'eu-west-2' }),
    build: inStack((scope, props) => new DxPrivateLinkProvider(scope, 'dx', props)),
    maps: ['forwards', 'existingVpc.subnetIds'],
  },
  {
    name: 'ProviderNetwork',
    props: () => ({ name: 'fix-gw', region: 'eu-west-2', existing: structuredClone(EXISTING_VPC) }),
    build: inStack((scope, props) => new ProviderNetwork(scope, 'network', props)),
    field: (path) => path.replace(/^(create|existing)\b/, 'vpc.$1'),
    maps: ['existing.subnetIds'],
  },
  {
    name: 'DirectConnectAttachment',
    props: () => ({
      name: 'fix-gw',
      vpcId: IDS.vpc,
      settings: { existingVgwId: IDS.vgw, dxGatewayId: IDS.dxGateway, privateVif: { ...VIF }, routing: 'static' },
      allowedPrefixes: ['10.42.0.0/24'],
      routeTables: { a: IDS.routeTable },
      targetIps: ['192.0.2.10'],
    }),
    build: inStack((scope, props) => new DirectConnectAttachment(scope, 'dx', props)),
    field: (path) => path.replace(/^settings\b/, 'directConnect'),
    maps: ['routeTables'],
  },
  {
    name: 'DirectConnectAttachment (hosted VIF)',
    props: () => ({ name: 'fix-gw', vpcId: IDS.vpc, settings: { hostedVifId: IDS.hostedVif }, routeTables: {}, targetIps: [] }),
    build: inStack((scope, props) => new DirectConnectAttachment(scope, 'dx', props)),
    field: (path) => path.replace(/^settings\b/, 'directConnect'),
  },
  {
    name: 'ConsumerEndpoint',
    props: () => ({
      name: 'desk-eu',
      vpcId: IDS.vpc,
      subnetIds: [...IDS.subnets],
      allowedCidrs: ['10.1.0.0/16'],
      services: [
        { key: 'internal-0', serviceName: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0a', serviceRegion: 'eu-west-1', ports: { a: 9001 } },
      ],
      dnsZone: 'fix.internal',
      dnsZoneId: 'Z0123456789ABCDEFGHIJ',
    }),
    build: inStack((scope, props) => new ConsumerEndpoint(scope, 'consumer', props)),
    maps: ['services[0].ports'],
  },
  {
    name: 'TenantService',
    props: () => ({
      name: 'fix-gw',
      tenant: 'internal',
      vpcId: IDS.vpc,
      region: 'eu-west-2',
      subnetIds: [...IDS.subnets],
      forwards: structuredClone(FORWARDS),
      allowedPrincipals: ['arn:aws:iam::222222222222:root'],
      acceptance: 'manual',
      supportedRegions: ['eu-west-1'],
      nlbSecurityGroupIds: [...GROUPS.nlb],
    }),
    build: inStack((scope, props) => new TenantService(scope, 'tenant', props)),
    maps: ['forwards'],
  },
  {
    name: 'EndpointService',
    props: () => ({
      name: 'fix-gw',
      region: 'eu-west-2',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-2:111111111111:loadbalancer/net/fix/1',
      allowedPrincipals: ['arn:aws:iam::222222222222:root'],
      supportedRegions: ['eu-west-1'],
    }),
    build: inStack((scope, props) => new EndpointService(scope, 'service', props)),
  },
  {
    name: 'ForwardSet',
    props: () => ({ forwards: structuredClone(FORWARDS) }),
    build: inStack((scope, props) => new ForwardSet(scope, 'forwards', props)),
    maps: ['forwards'],
  },
  {
    name: 'FlowLogs',
    props: () => ({
      name: 'fix-gw',
      subnetIds: [...IDS.subnets],
      settings: { destination: 's3', s3BucketArn: 'arn:aws:s3:::acme-flow-logs' },
      kmsKeyArn: KEY,
      iam: { ...IAM },
    }),
    build: inStack((scope, props) => new FlowLogs(scope, 'flow-logs', props)),
    field: (path) => path.replace(/^settings\b/, 'flowLogs'),
  },
  {
    name: 'DeploymentMonitoring',
    props: () => {
      const { stack, nlb } = nlbFixture();
      const service = new EndpointService(stack, 'service', {
        name: 'fix',
        region: 'eu-west-2',
        loadBalancerArn: nlb.loadBalancerArn,
        allowedPrincipals: ['arn:aws:iam::222222222222:root'],
      });
      return {
        name: 'fix-gw',
        settings: { topicArn: 'arn:aws:sns:eu-west-2:111111111111:netops', emails: ['netops@example.com'] },
        loadBalancers: [{ key: 'internal-0', title: 'fix-gw-internal', loadBalancer: nlb, service }],
        fleets: [],
        kmsKeyArn: KEY,
        stack,
      };
    },
    build: ({ stack, ...props }) => new DeploymentMonitoring(stack, 'monitoring', props),
    field: (path) => path.replace(/^settings\b/, 'monitoring'),
  },
  {
    name: 'DeploymentDashboard',
    props: () => {
      const { stack, nlb } = nlbFixture();
      return {
        name: 'fix-gw-dx-privatelink',
        count: 1,
        loadBalancers: [{ title: 'fix-gw-internal', loadBalancer: nlb }],
        fleets: [],
        stack,
      };
    },
    build: ({ stack, ...props }) => new DeploymentDashboard(stack, 'dashboard', props),
  },
  {
    name: 'AlarmTopic',
    props: () => ({ topicName: 'fix-gw-alarms', settings: 'local.monitoring_settings', kmsKeyArn: KEY }),
    build: inStack((scope, props) => new AlarmTopic(scope, 'topic', props)),
  },
  {
    name: 'NatSecurityGroup',
    props: () => {
      const stack = testStack();
      const forwards = new ForwardSet(stack, 'forwards', { forwards: FORWARDS });
      return {
        fleetName: 'fix-gw-nat',
        vpcId: IDS.vpc,
        endpointSecurityGroups: { created: 'sg-0123456789abcdef1' },
        forwards,
        ingressFrom: [{ key: 'internal-0', securityGroupId: 'sg-0123456789abcdef0', forwards }],
        s3PrefixListIds: [IDS.prefixList],
        stack,
      };
    },
    build: ({ stack, ...props }) => new NatSecurityGroup(stack, 'sg', props),
  },
  {
    name: 'ForwardingNlb',
    props: () => {
      const stack = testStack();
      return {
        name: 'fix-gw',
        vpcId: IDS.vpc,
        subnetIds: [...IDS.subnets],
        forwards: new ForwardSet(stack, 'forwards', { forwards: FORWARDS }),
        securityGroupIds: [...GROUPS.nlb],
        stack,
      };
    },
    build: ({ stack, ...props }) => new ForwardingNlb(stack, 'nlb', props),
  },
  {
    name: 'NatFleet',
    props: () => {
      const { stack, forwards, nlb } = nlbFixture();
      return {
        fleetName: 'fix-gw-nat',
        vpcId: IDS.vpc,
        region: 'eu-west-2',
        accountId: '111111111111',
        endpointSecurityGroups: { created: 'sg-0123456789abcdef1' },
        subnetIds: [...IDS.subnets],
        forwards,
        targetGroups: [{ key: 'internal-0', groups: nlb.targetGroupMap(), loadBalancerArnSuffix: nlb.loadBalancerArnSuffix }],
        ingressFrom: [{ key: 'internal-0', securityGroupId: nlb.securityGroupId, forwards }],
        rulesBucket: { name: 'fix-gw-nat-rules', arn: 'arn:aws:s3:::fix-gw-nat-rules', region: 'eu-west-2' },
        s3PrefixListIds: [IDS.prefixList],
        instanceType: 't4g.small',
        architecture: 'arm64',
        amiId: 'ami-0123456789abcdef0',
        partition: 'aws',
        securityGroupIds: [...GROUPS.nat],
        kmsKeyArn: KEY,
        iam: { ...IAM },
        stack,
      };
    },
    build: ({ stack, ...props }) => new NatFleet(stack, 'nat', props),
  },
  {
    name: 'PrivateBucket',
    props: () => ({ bucketName: 'fix-gw-nat-rules-111111111111-eu-west-2', partition: 'aws', kmsKeyArn: KEY }),
    build: inStack((scope, props) => new PrivateBucket(scope, 'bucket', props)),
  },
  {
    name: 'ConsumerHandoff',
    props: () => ({
      bucketName: 'fix-gw-handoff-111111111111-eu-west-2',
      partition: 'aws',
      kmsKeyArn: KEY,
      consumers: [
        {
          name: 'desk-eu',
          accountId: '222222222222',
          services: {
            'internal-0': {
              serviceName: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0a',
              region: 'eu-west-2',
              zoneIds: ['euw2-az1'],
              ports: { a: 9001 },
            },
          },
        },
      ],
    }),
    build: inStack((scope, props) => new ConsumerHandoff(scope, 'handoff', props)),
    maps: ['consumers[0].services', 'consumers[0].services.internal-0.ports'],
  },
  {
    name: 'SubnetZones',
    props: () => ({
      subnetIds: [...IDS.subnets],
      vpcId: IDS.vpc,
      expectedZones: { 'eu-west-2a': IDS.subnets[0], 'eu-west-2b': IDS.subnets[1] },
    }),
    build: inStack((scope, props) => new SubnetZones(scope, 'subnets', props)),
    maps: ['expectedZones'],
  },
];
