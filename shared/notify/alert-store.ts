import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { isDecimalString } from '../kernel/decimal';
import type { IsoTime } from '../kernel/types';
import { ignoreConditionFailure, isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../platform/dynamo/keys';
import {
  defaultAlertSettings,
  MAX_DAILY_CAP,
  type AlertSettings,
  type AlertState,
  type AlertStatus,
  ALERT_RULE_IDS,
  isAlertRuleId,
  isThresholdAllowed,
  type AlertRuleId,
} from './alert-rules';

export interface UserAlerts {
  readonly settings: AlertSettings;
  readonly states: readonly AlertState[];
  /** Alerts counted on each local day still stored (the daily cap). */
  readonly sentByDay: ReadonlyMap<string, number>;
}

export interface AlertSettingsStore {
  getSettings(userId: string): Promise<AlertSettings>;
  setRule(userId: string, rule: AlertRuleId, change: { on?: boolean; threshold?: string }, at: IsoTime): Promise<void>;
  setMuted(userId: string, muted: boolean, at: IsoTime): Promise<void>;
  /** `undefined` switches quiet hours off. */
  setQuietHours(userId: string, quiet: AlertSettings['quietHours'], at: IsoTime): Promise<void>;
  setDailyCap(userId: string, cap: number, at: IsoTime): Promise<void>;
}

/** Per-user alert settings and open episodes in the sessions table, beside the user's settings. */
export interface AlertStore extends AlertSettingsStore {
  /** Settings, open episodes and day counts: one Query. */
  read(userId: string): Promise<UserAlerts>;
  /** Opens an episode; false when one is already open for the subject (a concurrent evaluation started it). */
  startEpisode(userId: string, state: AlertState, at: IsoTime): Promise<boolean>;
  /** Ends an episode (only that one: a newer episode of the same subject is left alone). */
  endEpisode(userId: string, state: AlertState): Promise<void>;
  /** `from` → `to` for this episode; false when another evaluation moved it first. */
  moveEpisode(userId: string, state: AlertState, from: AlertStatus, to: AlertStatus, at: IsoTime): Promise<boolean>;
  /**
   * Counts up to `want` alerts on the user's local day without passing `cap` (one conditional ADD, retried with
   * what is left when a concurrent evaluation took some): how many were granted.
   */
  reserveDaily(userId: string, localDate: string, want: number, cap: number, at: IsoTime): Promise<number>;
}

/** Day counters outlive their day by a day (a time zone is at most 14 h from UTC). */
const DAY_TTL_SECONDS = 2 * 86_400;
const QUIET_HOUR = /^(?:[01]?\d|2[0-3])$/;

export function createAlertStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): AlertStore {
  const update = (userId: string, sets: Record<string, unknown>, at: IsoTime, removes: string[] = []) => {
    const names = Object.fromEntries(
      [...Object.keys(sets), ...removes].map((name, index) => [`#f${index}`, name] as const),
    );
    const aliases = Object.keys(names);
    const setParts = Object.keys(sets).map((_, index) => `${aliases[index]} = :v${index}`);
    const removeParts = removes.map((_, index) => aliases[Object.keys(sets).length + index]);
    return doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.alertSettings(userId),
        UpdateExpression:
          `SET ${[...setParts, 'entity = :entity', 'updatedAt = :at', 'createdAt = if_not_exists(createdAt, :at)'].join(', ')}` +
          (removeParts.length > 0 ? ` REMOVE ${removeParts.join(', ')}` : ''),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...Object.fromEntries(Object.values(sets).map((value, index) => [`:v${index}`, value])),
          ':entity': 'alert-settings',
          ':at': at,
        },
      }),
    );
  };

  const read = async (userId: string): Promise<UserAlerts> => {
    const prefix = keys.alertPrefix(userId);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const settingsItem = items.find((item) => item.sk === 'alert-settings');
    const states = items.filter((item) => String(item.sk).startsWith('alert#')).flatMap(toState);
    const sentByDay = new Map(
      items
        .filter((item) => String(item.sk).startsWith('alert-day#'))
        .map((item) => [String(item.sk).slice('alert-day#'.length), Number(item.count ?? 0)] as const),
    );
    return { settings: toSettings(settingsItem), states, sentByDay };
  };

  return {
    read,
    async getSettings(userId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.alertSettings(userId), ConsistentRead: true }),
      );
      return toSettings(Item);
    },
    async setRule(userId, rule, change, at) {
      const sets: Record<string, unknown> = {};
      if (change.on !== undefined) sets[`on_${rule}`] = change.on;
      if (change.threshold !== undefined) sets[`threshold_${rule}`] = change.threshold;
      await update(userId, sets, at);
    },
    setMuted: async (userId, muted, at) => void (await update(userId, { muted }, at)),
    async setQuietHours(userId, quiet, at) {
      if (quiet) await update(userId, { quietStart: quiet.start, quietEnd: quiet.end }, at);
      else await update(userId, {}, at, ['quietStart', 'quietEnd']);
    },
    setDailyCap: async (userId, cap, at) => void (await update(userId, { dailyCap: cap }, at)),

    async startEpisode(userId, state, at) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.alertState(userId, state.rule, state.subject),
              entity: 'alert-episode',
              rule: state.rule,
              subject: state.subject,
              episodeStart: state.episodeStart,
              status: state.status,
              value: state.value,
              detail: state.detail,
              createdAt: at,
              updatedAt: at,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async endEpisode(userId, state) {
      await doc
        .send(
          new DeleteCommand({
            TableName: tableName,
            Key: keys.alertState(userId, state.rule, state.subject),
            ConditionExpression: 'episodeStart = :start',
            ExpressionAttributeValues: { ':start': state.episodeStart },
          }),
        )
        .catch(ignoreConditionFailure);
    },
    async moveEpisode(userId, state, from, to, at) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.alertState(userId, state.rule, state.subject),
            UpdateExpression: 'SET #status = :to, updatedAt = :at',
            ConditionExpression: 'episodeStart = :start AND #status = :from',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':to': to, ':from': from, ':start': state.episodeStart, ':at': at },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async reserveDaily(userId, localDate, want, cap, at) {
      let ask = want;
      for (let attempt = 0; attempt < 4 && ask > 0; attempt++) {
        try {
          await doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.alertDay(userId, localDate),
              UpdateExpression:
                'ADD #count :n SET entity = :entity, updatedAt = :at, createdAt = if_not_exists(createdAt, :at), #ttl = :ttl',
              ConditionExpression: 'attribute_not_exists(#count) OR #count <= :max',
              ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':n': ask,
                ':max': cap - ask,
                ':entity': 'alert-day',
                ':at': at,
                ':ttl': ttlAfter(now().getTime(), DAY_TTL_SECONDS),
              },
            }),
          );
          return ask;
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          const { sentByDay } = await read(userId);
          ask = Math.min(ask, cap - (sentByDay.get(localDate) ?? 0));
        }
      }
      return 0;
    },
  };
}

function toSettings(item: Record<string, unknown> | undefined): AlertSettings {
  const defaults = defaultAlertSettings();
  if (!item) return defaults;
  const rules = Object.fromEntries(
    ALERT_RULE_IDS.map((id) => {
      const threshold = item[`threshold_${id}`];
      const isValid = typeof threshold === 'string' && isDecimalString(threshold) && isThresholdAllowed(id, threshold);
      return [
        id,
        {
          on: item[`on_${id}`] === false ? false : defaults.rules[id].on,
          threshold: isValid ? threshold : defaults.rules[id].threshold,
        },
      ];
    }),
  ) as AlertSettings['rules'];
  const [start, end] = [item.quietStart, item.quietEnd].map((hour) =>
    typeof hour === 'number' && QUIET_HOUR.test(String(hour)) ? hour : undefined,
  );
  const cap = typeof item.dailyCap === 'number' && Number.isInteger(item.dailyCap) ? item.dailyCap : undefined;
  return {
    rules,
    muted: item.muted === true,
    ...(start !== undefined && end !== undefined ? { quietHours: { start, end } } : {}),
    dailyCap: cap !== undefined && cap >= 1 && cap <= MAX_DAILY_CAP ? cap : defaults.dailyCap,
  };
}

function toState(item: Record<string, unknown>): AlertState[] {
  const rule = String(item.rule);
  if (!isAlertRuleId(rule) || typeof item.episodeStart !== 'string') return [];
  return [
    {
      rule,
      subject: String(item.subject),
      episodeStart: item.episodeStart,
      status: item.status as AlertStatus,
      value: String(item.value),
      detail: (item.detail ?? { label: String(item.subject) }) as AlertState['detail'],
    },
  ];
}
