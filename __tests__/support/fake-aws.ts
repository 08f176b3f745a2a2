/**
 * A loopback stand-in for the two AWS APIs our plans read, so the real
 * Terraform and the real AWS provider can plan offline what they could not
 * otherwise: the S3 state backend, the consumer's handoff object
 * (`data.aws_s3_object`), subnet lookups (`data.aws_subnet`) and existing
 * interface endpoints (`data.aws_vpc_endpoint`).
 *
 *   S3 (path style): GET/HEAD/PUT/DELETE /<bucket>/<key>, GET ?tagging,
 *                    GET /<bucket>?list-type=2&prefix=..., conditional PUT
 *                    (If-None-Match: *) for S3 lock files.
 *   EC2 (query API): DescribeSubnets, DescribeVpcEndpoints, DescribeVpcs and
 *                    DescribeVpcAttribute by id, DescribeRouteTables (a
 *                    VPC's main table), DescribePrefixLists by name (S3 and
 *                    DynamoDB have one).
 *
 * Only what is seeded exists: an object not seeded is NoSuchKey, a subnet not
 * known is InvalidSubnetID.NotFound, an endpoint not known
 * InvalidVpcEndpointId.NotFound, exactly as AWS answers. Every request is
 * logged, so a test can prove what a plan read and what it never touched.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSubnet {
  readonly vpcId: string;
  readonly zone: string;
  readonly zoneId: string;
  readonly cidr: string;
}

export interface FakeVpcEndpoint {
  readonly vpcId: string;
  /** com.amazonaws.<region>.<service> */
  readonly serviceName: string;
  readonly securityGroupIds: readonly string[];
  readonly subnetIds: readonly string[];
  readonly privateDns: boolean;
}

/**
 * Interface endpoints every fake knows, in FAKE_VPC_ID: one per API the NAT
 * instances call, carrying FAKE_ENDPOINT_SG, private DNS on (eu-west-2).
 * Module roots and existing-VPC configs name them as the VPC's own.
 */
export const FAKE_ENDPOINT_SG = 'sg-0e0e0e0e0e0e0e0e0';
export const FAKE_ENDPOINT_IDS: Readonly<Record<string, string>> = {
  autoscaling: 'vpce-0a5c0a5c0a5c0a5c0',
  ssm: 'vpce-055a055a055a055a0',
  ssmmessages: 'vpce-055b055b055b055b0',
  ec2messages: 'vpce-0ec2ec2ec2ec2ec20',
};

export interface FakeVpc {
  readonly cidr: string;
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
}

export interface FakeAws {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Objects by `<bucket>/<key>`. */
  readonly objects: Map<string, string>;
  /** Subnets by id; unknown ids resolve through `defaultSubnet` when given. */
  readonly subnets: Map<string, FakeSubnet>;
  /** Interface endpoints by id (FAKE_ENDPOINT_IDS to start with). */
  readonly vpcEndpoints: Map<string, FakeVpcEndpoint>;
  /** VPCs by id (FAKE_VPC_ID, both DNS attributes on, to start with). */
  readonly vpcs: Map<string, FakeVpc>;
  /** `METHOD path` (and the EC2 action) of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface FakeAwsOptions {
  /** A subnet for ids that were not seeded (region from the request's signature). */
  readonly defaultSubnet?: (id: string, region: string) => FakeSubnet | undefined;
}

/** The short region code of zone ids: eu-west-2 -> euw2, ap-southeast-1 -> apse1, us-gov-west-1 -> usgw1. */
export function zoneIdPrefix(region: string): string {
  const parts = region.split('-');
  const words: Record<string, string> = {
    north: 'n',
    south: 's',
    east: 'e',
    west: 'w',
    central: 'c',
    northeast: 'ne',
    northwest: 'nw',
    southeast: 'se',
    southwest: 'sw',
    gov: 'g',
  };
  return (
    parts[0] +
    parts
      .slice(1, -1)
      .map((p) => words[p] ?? p[0])
      .join('') +
    parts[parts.length - 1]
  );
}

/** The VPC unknown subnets are in: the provider VPC id of the examples and test configs. */
export const FAKE_VPC_ID = 'vpc-0123456789abcdef0';

/**
 * Zone `a` is az1, `b` az2, ... in every region (real mappings differ per
 * account; tests only need them stable). The subnets are /26 blocks of
 * 10.42.0.0/24, the CIDR the tests give every existing VPC.
 */
export function fakeSubnetOf(id: string, region: string, vpcId = FAKE_VPC_ID): FakeSubnet {
  const letter = /[a-f]$/.test(id) ? id[id.length - 1] : 'a';
  const n = letter.charCodeAt(0) - 96;
  return { vpcId, zone: `${region}${letter}`, zoneId: `${zoneIdPrefix(region)}-az${n}`, cidr: `10.42.0.${((n - 1) % 4) * 64}/26` };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The body of an `aws-chunked` upload (the SDK's streaming PutObject), or the body itself. */
function dechunk(body: Buffer, encoding: string | undefined, declared: string | undefined): Buffer {
  if (!(encoding ?? '').includes('aws-chunked')) return body;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString().split(';')[0], 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  const out = Buffer.concat(parts);
  if (declared !== undefined && out.length !== Number(declared))
    throw new Error(`aws-chunked body is ${out.length} bytes, declared ${declared}`);
  return out;
}

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const objects = new Map<string, string>();
  const subnets = new Map<string, FakeSubnet>();
  const vpcEndpoints = new Map<string, FakeVpcEndpoint>(
    Object.entries(FAKE_ENDPOINT_IDS).map(([service, id]) => [
      id,
      {
        vpcId: FAKE_VPC_ID,
        serviceName: `com.amazonaws.eu-west-2.${service}`,
        securityGroupIds: [FAKE_ENDPOINT_SG],
        subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
        privateDns: true,
      },
    ]),
  );
  const vpcs = new Map<string, FakeVpc>([[FAKE_VPC_ID, { cidr: '10.42.0.0/24', dnsSupport: true, dnsHostnames: true }]]);
  const requests: string[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake');
      const region = /Credential=[^/]+\/\d+\/([a-z0-9-]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'us-east-1';
      const send = (status: number, body = '', headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'x-amz-request-id': 'fake', ...headers });
        res.end(req.method === 'HEAD' ? undefined : body);
      };

      // EC2: form-encoded POST to /
      const form = req.method === 'POST' && url.pathname === '/' ? new URLSearchParams(raw.toString()) : undefined;
      if (form?.get('Action')) {
        requests.push(`EC2 ${form.get('Action')} ${region}`);
        if (form.get('Action') === 'DescribeVpcEndpoints') {
          const ids = [...form.entries()].filter(([k]) => /^VpcEndpointId\.\d+$/.test(k)).map(([, v]) => v);
          const items: string[] = [];
          for (const id of ids) {
            const e = vpcEndpoints.get(id);
            if (!e) {
              return send(
                400,
                `<Response><Errors><Error><Code>InvalidVpcEndpointId.NotFound</Code><Message>The Vpc Endpoint Id '${xml(id)}' does not exist</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
                { 'content-type': 'text/xml' },
              );
            }
            const set = (tag: string, values: readonly string[], inner = (v: string) => `<item>${xml(v)}</item>`) =>
              `<${tag}>${values.map(inner).join('')}</${tag}>`;
            items.push(
              `<item><vpcEndpointId>${xml(id)}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>${xml(e.vpcId)}</vpcId><serviceName>${xml(e.serviceName)}</serviceName><state>available</state><policyDocument>{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}</policyDocument><routeTableIdSet/>${set('subnetIdSet', e.subnetIds)}${set('groupSet', e.securityGroupIds, (g) => `<item><groupId>${xml(g)}</groupId><groupName>endpoints</groupName></item>`)}<ipAddressType>ipv4</ipAddressType><dnsOptions><dnsRecordIpType>ipv4</dnsRecordIpType></dnsOptions><privateDnsEnabled>${e.privateDns}</privateDnsEnabled><requesterManaged>false</requesterManaged><networkInterfaceIdSet/><dnsEntrySet/><creationTimestamp>2026-01-01T00:00:00.000Z</creationTimestamp><ownerId>000000000000</ownerId></item>`,
            );
          }
          return send(
            200,
            `<?xml version="1.0" encoding="UTF-8"?><DescribeVpcEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><vpcEndpointSet>${items.join('')}</vpcEndpointSet></DescribeVpcEndpointsResponse>`,
            { 'content-type': 'text/xml' },
          );
        }
        const vpcNotFound = (id: string) =>
          send(
            400,
            `<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID '${xml(id)}' does not exist</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
            { 'content-type': 'text/xml' },
          );
        if (form.get('Action') === 'DescribeVpcs') {
          const ids = [...form.entries()].filter(([k]) => /^VpcId\.\d+$/.test(k)).map(([, v]) => v);
          const missingVpc = ids.find((id) => !vpcs.has(id));
          if (missingVpc) return vpcNotFound(missingVpc);
          const items = ids.map((id) => {
            const v = vpcs.get(id)!;
            return `<item><vpcId>${xml(id)}</vpcId><ownerId>000000000000</ownerId><state>available</state><cidrBlock>${v.cidr}</cidrBlock><cidrBlockAssociationSet><item><cidrBlock>${v.cidr}</cidrBlock><associationId>vpc-cidr-assoc-0${id.slice(5, 20)}</associationId><cidrBlockState><state>associated</state></cidrBlockState></item></cidrBlockAssociationSet><dhcpOptionsId>dopt-0123456789abcdef0</dhcpOptionsId><instanceTenancy>default</instanceTenancy><isDefault>false</isDefault></item>`;
          });
          return send(
            200,
            `<?xml version="1.0" encoding="UTF-8"?><DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><vpcSet>${items.join('')}</vpcSet></DescribeVpcsResponse>`,
            { 'content-type': 'text/xml' },
          );
        }
        if (form.get('Action') === 'DescribeVpcAttribute') {
          const id = form.get('VpcId') ?? '';
          const v = vpcs.get(id);
          if (!v) return vpcNotFound(id);
          const attribute = form.get('Attribute') ?? '';
          const value = attribute === 'enableDnsSupport' ? v.dnsSupport : attribute === 'enableDnsHostnames' ? v.dnsHostnames : false;
          return send(
            200,
            `<?xml version="1.0" encoding="UTF-8"?><DescribeVpcAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><vpcId>${xml(id)}</vpcId><${attribute}><value>${value}</value></${attribute}></DescribeVpcAttributeResponse>`,
            { 'content-type': 'text/xml' },
          );
        }
        if (form.get('Action') === 'DescribeRouteTables') {
          // The main route table of a VPC (data.aws_vpc reads its id).
          const vpc = [...form.entries()].find(([k, v]) => /^Filter\.\d+\.Name$/.test(k) && v === 'vpc-id');
          const vpcId = vpc ? (form.get(vpc[0].replace('Name', 'Value.1')) ?? '') : '';
          return send(
            200,
            `<?xml version="1.0" encoding="UTF-8"?><DescribeRouteTablesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><routeTableSet><item><routeTableId>rtb-0${vpcId.slice(5, 21).padEnd(16, '0')}</routeTableId><vpcId>${xml(vpcId)}</vpcId><ownerId>000000000000</ownerId><associationSet><item><routeTableAssociationId>rtbassoc-0123456789abcdef0</routeTableAssociationId><routeTableId>rtb-0${vpcId.slice(5, 21).padEnd(16, '0')}</routeTableId><main>true</main><associationState><state>associated</state></associationState></item></associationSet><routeSet/><tagSet/><propagatingVgwSet/></item></routeTableSet></DescribeRouteTablesResponse>`,
            { 'content-type': 'text/xml' },
          );
        }
        if (form.get('Action') === 'DescribePrefixLists') {
          // AWS-managed prefix lists exist for gateway services only (S3, DynamoDB): an interface service has none.
          const names = [...form.entries()].filter(([k]) => /^Filter\.\d+\.Value\.\d+$/.test(k)).map(([, v]) => v);
          const items = names
            .filter((n) => /^com\.amazonaws\.[a-z0-9-]+\.(s3|dynamodb)$/.test(n))
            .map(
              (n) =>
                `<item><prefixListId>pl-${n.endsWith('s3') ? '7ca54015' : '7ba54012'}</prefixListId><prefixListName>${xml(n)}</prefixListName><cidrSet><item>52.95.148.0/23</item></cidrSet></item>`,
            );
          return send(
            200,
            `<?xml version="1.0" encoding="UTF-8"?><DescribePrefixListsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><prefixListSet>${items.join('')}</prefixListSet></DescribePrefixListsResponse>`,
            { 'content-type': 'text/xml' },
          );
        }
        if (form.get('Action') !== 'DescribeSubnets') {
          return send(
            400,
            `<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>fake EC2 has no ${xml(form.get('Action')!)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
          );
        }
        const ids = [...form.entries()].filter(([k]) => /^SubnetId\.\d+$/.test(k)).map(([, v]) => v);
        const items: string[] = [];
        for (const id of ids) {
          const s = subnets.get(id) ?? options.defaultSubnet?.(id, region);
          if (!s) {
            return send(
              400,
              `<Response><Errors><Error><Code>InvalidSubnetID.NotFound</Code><Message>The subnet ID '${xml(id)}' does not exist</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
              { 'content-type': 'text/xml' },
            );
          }
          items.push(
            `<item><subnetId>${xml(id)}</subnetId><subnetArn>arn:aws:ec2:${region}:000000000000:subnet/${xml(id)}</subnetArn><state>available</state><vpcId>${xml(s.vpcId)}</vpcId><ownerId>000000000000</ownerId><cidrBlock>${s.cidr}</cidrBlock><availableIpAddressCount>250</availableIpAddressCount><availabilityZone>${s.zone}</availabilityZone><availabilityZoneId>${s.zoneId}</availabilityZoneId><defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch></item>`,
          );
        }
        return send(
          200,
          `<?xml version="1.0" encoding="UTF-8"?><DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><subnetSet>${items.join('')}</subnetSet></DescribeSubnetsResponse>`,
          { 'content-type': 'text/xml' },
        );
      }

      // S3, path style: /<bucket>[/<key>]
      const [bucket, ...rest] = decodeURIComponent(url.pathname.slice(1)).split('/');
      const key = rest.join('/');
      const id = `${bucket}/${key}`;
      requests.push(
        `S3 ${req.method} ${id}${url.searchParams.has('tagging') ? '?tagging' : ''}${url.searchParams.has('list-type') ? `?prefix=${url.searchParams.get('prefix') ?? ''}` : ''}`,
      );
      const noSuchKey = () =>
        send(
          404,
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${xml(key)}</Key></Error>`,
          { 'content-type': 'application/xml' },
        );
      if (key === '' && url.searchParams.has('list-type')) {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1));
        const contents = keys
          .map((k) => `<Contents><Key>${xml(k)}</Key><Size>${Buffer.byteLength(objects.get(`${bucket}/${k}`)!)}</Size></Contents>`)
          .join('');
        return send(
          200,
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
          { 'content-type': 'application/xml' },
        );
      }
      switch (req.method) {
        case 'GET':
        case 'HEAD': {
          const body = objects.get(id);
          if (body === undefined) return noSuchKey();
          if (url.searchParams.has('tagging')) {
            return send(
              200,
              '<?xml version="1.0" encoding="UTF-8"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet></TagSet></Tagging>',
              { 'content-type': 'application/xml' },
            );
          }
          return send(200, body, {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            etag: '"fake"',
            'last-modified': new Date(0).toUTCString(),
          });
        }
        case 'PUT': {
          if (req.headers['if-none-match'] === '*' && objects.has(id)) {
            return send(
              412,
              '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
              { 'content-type': 'application/xml' },
            );
          }
          objects.set(
            id,
            dechunk(raw, req.headers['content-encoding'], req.headers['x-amz-decoded-content-length'] as string | undefined).toString(),
          );
          return send(200, '', { etag: '"fake"' });
        }
        case 'DELETE':
          objects.delete(id);
          return send(204);
        default:
          return send(405);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    subnets,
    vpcEndpoints,
    vpcs,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
