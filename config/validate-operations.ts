/**
 * Checks of what operates a deployment: the NAT fleet's sizing, image and
 * lifetime, the alarms' topic and subscribers, and the flow logs.
 */
import { RULES, ValidationError, arnPartition, check, findDuplicate, instanceArchitecture, partitionOf } from '../constructs/private/rules';
import { Config } from './schema';
import { Problems } from './validate-network';

export function validateFleet(config: Config, problems: Problems): void {
  const fleet = config.nat_fleet ?? {};
  if (fleet.min_size !== undefined) problems.push(check(RULES.fleetMinSize, 'nat_fleet.min_size', fleet.min_size));
  const min = fleet.min_size ?? 2;
  if (fleet.max_size !== undefined && !(Number.isInteger(fleet.max_size) && fleet.max_size >= min && fleet.max_size <= 100)) {
    problems.push(
      new ValidationError(
        'nat_fleet.max_size',
        fleet.max_size,
        `is below min_size ${min} or above 100`,
        `use a whole number from ${min} to 100`,
      ),
    );
  }
  const type = fleet.instance_type ?? 't4g.small';
  const typeProblem = check(RULES.instanceType, 'nat_fleet.instance_type', type);
  problems.push(typeProblem);
  const architecture = fleet.architecture ?? 'arm64';
  if (!typeProblem && instanceArchitecture(type) !== architecture && fleet.instance_type === undefined) {
    // The file has no instance type: name the field it does have.
    problems.push(
      new ValidationError(
        'nat_fleet.architecture',
        architecture,
        `does not match the default instance type ${type} (${instanceArchitecture(type)})`,
        `set nat_fleet.instance_type to an ${architecture} type (${architecture === 'arm64' ? 't4g.small, c7gn.medium' : 't3.small, c6in.large'}), or use ${instanceArchitecture(type)}`,
      ),
    );
  } else if (!typeProblem && instanceArchitecture(type) !== architecture) {
    problems.push(
      new ValidationError(
        'nat_fleet.instance_type',
        type,
        `is an ${instanceArchitecture(type)} instance type, but nat_fleet.architecture is ${architecture}`,
        `use an ${architecture} instance type (${architecture === 'arm64' ? 't4g.small, c7gn.medium' : 't3.small, c6in.large'}), or set nat_fleet.architecture to ${instanceArchitecture(type)}`,
      ),
    );
  }
  if (fleet.ami_id !== undefined) problems.push(check(RULES.amiId, 'nat_fleet.ami_id', fleet.ami_id));
  if (fleet.max_instance_lifetime_days !== undefined) {
    problems.push(check(RULES.maxInstanceLifetimeDays, 'nat_fleet.max_instance_lifetime_days', fleet.max_instance_lifetime_days));
  }
}

export function validateMonitoring(config: Config, problems: Problems): void {
  const m = config.monitoring;
  if (!m) return;
  if (m.topic_arn !== undefined) {
    const problem = check(RULES.snsTopicArn, 'monitoring.topic_arn', m.topic_arn);
    problems.push(problem);
    const region = m.topic_arn.split(':')[3];
    if (!problem && (region !== config.region || arnPartition(m.topic_arn) !== partitionOf(config.region))) {
      problems.push(
        new ValidationError(
          'monitoring.topic_arn',
          m.topic_arn,
          `is a topic in ${region}, but the alarms are in ${config.region}`,
          `use a topic in ${config.region} (CloudWatch alarms notify topics of their own region), or leave topic_arn out to create one`,
        ),
      );
    }
  }
  m.emails?.forEach((e, i) => problems.push(check(RULES.email, `monitoring.emails[${i}]`, e)));
  problems.push(
    findDuplicate(
      m.emails ?? [],
      (e) => e.toLowerCase(),
      (i) => `monitoring.emails[${i}]`,
      'address',
    ),
  );
  if (m.alarms === false && (m.topic_arn !== undefined || (m.emails?.length ?? 0) > 0)) {
    problems.push(
      new ValidationError(
        'monitoring.alarms',
        false,
        'is off, but topic_arn or emails are set',
        'remove topic_arn and emails, or turn alarms on: nothing would be sent to them',
      ),
    );
  }
}

export function validateFlowLogs(config: Config, problems: Problems): void {
  const f = config.flow_logs;
  if (!f) return;
  const destination = f.destination ?? 'cloudwatch';
  if (destination === 's3' && f.s3_bucket_arn === undefined && f.enabled !== false) {
    problems.push(
      new ValidationError(
        'flow_logs.s3_bucket_arn',
        undefined,
        'is required with destination s3',
        'give the ARN of the bucket the flow logs go to',
      ),
    );
  }
  if (f.s3_bucket_arn !== undefined) {
    if (destination !== 's3') {
      problems.push(
        new ValidationError(
          'flow_logs.s3_bucket_arn',
          f.s3_bucket_arn,
          'is only used with destination s3',
          'remove it, or set destination: s3',
        ),
      );
    } else problems.push(check(RULES.s3BucketArn, 'flow_logs.s3_bucket_arn', f.s3_bucket_arn));
  }
  if (f.retention_days !== undefined) {
    if (destination === 's3') {
      problems.push(
        new ValidationError(
          'flow_logs.retention_days',
          f.retention_days,
          'is only used with destination cloudwatch',
          "remove it: the bucket's lifecycle rules decide how long S3 keeps the logs",
        ),
      );
    } else problems.push(check(RULES.logRetentionDays, 'flow_logs.retention_days', f.retention_days));
  }
}
