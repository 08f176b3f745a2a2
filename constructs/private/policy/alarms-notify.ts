import { COMPLIANT, NOT_APPLICABLE, PolicyRule, asArray, referencedResource, violation } from './types';

/**
 * A deployment's alarms reach people: every alarm has an action, and every
 * endpoint service has its connection requests sent to a topic beside
 * alarms that do. A deployment without alarms (a sandbox) suppresses this
 * rule with its reason.
 */
export const ALARMS_NOTIFY: PolicyRule = {
  id: 'DXPL-MON1',
  description: 'alarms notify a topic, and each endpoint service has alarms and connection notifications wired to one',
  fix: 'turn alarms on (monitoring.alarms, with a topic: created, or monitoring.topic_arn), or suppress DXPL-MON1 with the reason (such as "development sandbox, nobody on call")',
  check: (r, context) => {
    if (r.type === 'aws_cloudwatch_metric_alarm') {
      return asArray(r.values.alarm_actions).length > 0 ? COMPLIANT : violation('the alarm has no alarm_actions: nobody hears it');
    }
    if (r.type !== 'aws_vpc_endpoint_service') return NOT_APPLICABLE;
    const self = `${r.type}.${r.name}`;
    const notified = context.resources.some(
      (n) =>
        n.type === 'aws_vpc_endpoint_connection_notification' &&
        referencedResource(n.values.vpc_endpoint_service_id) === self &&
        n.values.connection_notification_arn !== undefined,
    );
    const alarmed = context.resources.some((a) => a.type === 'aws_cloudwatch_metric_alarm' && asArray(a.values.alarm_actions).length > 0);
    if (notified && alarmed) return COMPLIANT;
    return violation(
      alarmed
        ? 'no connection notification sends its endpoint connection requests to a topic'
        : 'no alarm of the deployment notifies a topic: a dead broker path or NAT fleet would go unnoticed',
    );
  },
};
