import { Annotations, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperatorAlarmsProps {
  /** Each is subscribed to the alarm topic; none gives a synth-time warning (alarms would reach no one). */
  readonly emails: readonly string[];
}

/** What one alarm watches and when it fires; every alarm notifies the one SNS topic. */
export interface AlarmRule {
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  /** Periods looked at; the alarm fires when all of them breach. @default 1 */
  readonly periods?: number;
  /** BREACHING for a metric whose absence is the problem (a heartbeat); NOT_BREACHING otherwise. */
  readonly missing: TreatMissingData;
}

export const NO_SUBSCRIBER_WARNING = 'esther:alarms.noSubscriber';

/** "Something needs a human": every alarm notifies one SNS topic, with its e-mail subscribers from context. */
export class OperatorAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Esther Portfolio alarms', enforceSSL: true });
    for (const email of new Set(props.emails)) this.topic.addSubscription(new EmailSubscription(email));
    if (props.emails.length === 0)
      Annotations.of(this).addWarningV2(
        NO_SUBSCRIBER_WARNING,
        'No alarm subscriber: alarms notify an SNS topic nobody reads. Set "alarmEmails" (or "alarmEmail") in cdk.json or with -c.',
      );
  }

  add(id: string, rule: AlarmRule): Alarm {
    const periods = rule.periods ?? 1;
    const alarm = new Alarm(this, id, {
      alarmDescription: rule.description,
      metric: rule.metric,
      threshold: rule.threshold,
      comparisonOperator: rule.comparison,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      treatMissingData: rule.missing,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }

  /** Alarm when the metric's value in one period is above zero (missing data = fine). */
  addAboveZero(id: string, metric: IMetric, description: string): Alarm {
    return this.add(id, {
      description,
      metric,
      threshold: 0,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      missing: TreatMissingData.NOT_BREACHING,
    });
  }
}

export const ALARM_PERIOD = Duration.minutes(5);
