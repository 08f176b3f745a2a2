import { AlarmTopic, AlarmTopicProps } from '../constructs/alarm-topic';
import { synthObject, testStack } from './support/stack';

const KEY = 'arn:aws:kms:eu-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function build(props: Partial<AlarmTopicProps> = {}) {
  const stack = testStack();
  new AlarmTopic(stack, 'topic', { topicName: 'fix-gw-alarms', settings: 'local.settings', ...props });
  return synthObject(stack);
}

describe('AlarmTopic', () => {
  test('the topic it creates is encrypted with the key when one is given', () => {
    expect(build({ kmsKeyArn: KEY }).resource.aws_sns_topic.topic_topic).toMatchObject({ kms_master_key_id: KEY });
    expect(build().resource.aws_sns_topic.topic_topic.kms_master_key_id).toBeUndefined();
  });

  test('fails when the key is not a key ARN', () => {
    expect(() => build({ kmsKeyArn: 'alias/aws/sns' })).toThrow('kmsKeyArn: is not the ARN of a KMS key (got "alias/aws/sns")');
  });
});
