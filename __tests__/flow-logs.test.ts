import { TerraformVariable } from 'cdktf';
import { FlowLogs, FlowLogsProps } from '../constructs/flow-logs';
import { synthObject, testStack } from './support/stack';

const KEY = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BOUNDARY = 'arn:aws:iam::111111111111:policy/dx-boundary';

function build(props: Partial<FlowLogsProps> = {}, stack = testStack()) {
  new FlowLogs(stack, 'flow-logs', { name: 'fix-gw', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], settings: {}, ...props });
  return { json: synthObject(stack) };
}

describe('FlowLogs', () => {
  test('in a locked-down account: the log group is encrypted with the key, the delivery role takes the boundary and path', () => {
    const { json } = build({ kmsKeyArn: KEY, iam: { permissionsBoundary: BOUNDARY, path: '/network/' } });
    expect(json.resource.aws_cloudwatch_log_group.flow_logs_log_group).toMatchObject({ kms_key_id: KEY });
    expect(json.resource.aws_iam_role.flow_logs_role).toMatchObject({ permissions_boundary: BOUNDARY, path: '/network/' });
  });

  test('without the options: no key, no boundary, no path', () => {
    const { json } = build();
    expect(json.resource.aws_cloudwatch_log_group.flow_logs_log_group.kms_key_id).toBeUndefined();
    expect(json.resource.aws_iam_role.flow_logs_role.permissions_boundary).toBeUndefined();
    expect(json.resource.aws_iam_role.flow_logs_role.path).toBeUndefined();
  });

  test('Terraform expressions pass unchecked', () => {
    const stack = testStack();
    const key = new TerraformVariable(stack, 'key', { type: 'string' });
    const path = new TerraformVariable(stack, 'path', { type: 'string' });
    const { json } = build({ kmsKeyArn: key.stringValue, iam: { path: path.stringValue } }, stack);
    expect(json.resource.aws_cloudwatch_log_group.flow_logs_log_group.kms_key_id).toBe('${var.key}');
    expect(json.resource.aws_iam_role.flow_logs_role.path).toBe('${var.path}');
  });

  test('fails when the key is not a key ARN, or the path not an IAM path', () => {
    expect(() => build({ kmsKeyArn: 'alias/netops' })).toThrow(
      'kmsKeyArn: is not the ARN of a KMS key (got "alias/netops"); use the key ARN',
    );
    expect(() => build({ iam: { path: 'network/' } })).toThrow('iam.path: is not an IAM path (got "network/")');
    expect(() => build({ iam: { permissionsBoundary: 'dx-boundary' } })).toThrow(
      'iam.permissionsBoundary: is not the ARN of an IAM managed policy (got "dx-boundary")',
    );
  });
});
