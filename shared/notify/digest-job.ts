import { identifyAsset } from '../kernel/asset-registry';
import type { Log } from '../platform/logger';
import type { SnapshotResolution } from '../platform/dynamo/keys';
import type { SettingsStore } from '../rebalance/settings-store';
import type { HoldingsStore } from '../sync/holdings-store';
import type { SnapshotStore } from '../sync/snapshot-store';
import { DUE_SHARD_NUMBERS, type UserActivityStore } from '../wallets/portfolio-store';
import type { ActiveAlertsReader } from './active-alerts';
import { attributeChange, type AssetLookup } from './digest-math';
import { DIGEST_BUTTONS, renderDigest } from './digest-message';
import { localDateOf, nextDigestAt } from './digest-schedule-rules';
import type { DigestStore, DueDigest, LastDigest } from './digest-store';
import type { Notification, NotificationOutbox } from './notification';

export interface DigestJobDeps {
  readonly digests: Pick<DigestStore, 'listDue' | 'advance'>;
  readonly snapshots: Pick<SnapshotStore, 'latestSnapshotAtOrBefore'>;
  readonly holdings: Pick<HoldingsStore, 'listHoldings'>;
  readonly settings: Pick<SettingsStore, 'get'>;
  readonly activity: Pick<UserActivityStore, 'isInactive'>;
  readonly alerts: ActiveAlertsReader;
  readonly outbox: NotificationOutbox;
  readonly logger: Log;
  /** Digests read per shard page. @default 50 */
  readonly pageSize?: number;
}

export interface DigestJobSummary {
  readonly due: number;
  readonly enqueued: number;
  readonly skippedInactive: number;
  /** Moved to another hour without a digest: the user's time zone changed since the entry was written. */
  readonly retimed: number;
}

const HOUR_MS = 3_600_000;
const PERIOD_MS = { daily: 24 * HOUR_MS, weekly: 7 * 24 * HOUR_MS } as const;
/** 10-minute points are kept 8 days (snapshot-store.ts); older starts read the hourly rollups. */
const TEN_MINUTE_POINTS_MS = 2 * 24 * HOUR_MS;

/**
 * The hourly digest run: the digests due by `at` (the schedule's time), shard by shard from the digest index, never
 * a scan. For each: a user whose time zone changed is re-timed (served now only if the new zone's hour is this
 * one); an inactive user is skipped; every other gets one digest notification (id `digest#<user>#<local date>`,
 * so a repeated run sends nothing twice) and the entry moves to its next occurrence.
 */
export async function runDigestJob(deps: DigestJobDeps, at: Date): Promise<DigestJobSummary> {
  const summary = { due: 0, enqueued: 0, skippedInactive: 0, retimed: 0 };
  const dueBy = at.toISOString();
  for (const shard of DUE_SHARD_NUMBERS) {
    let cursor: string | undefined;
    do {
      const page = await deps.digests.listDue(shard, dueBy, deps.pageSize ?? 50, cursor);
      cursor = page.cursor;
      const planned = await Promise.all(page.digests.map((digest) => plan(deps, digest, at)));
      const notifications = planned.flatMap((entry) => (entry.notification ? [entry.notification] : []));
      await deps.outbox.send(notifications);
      for (const entry of planned) {
        summary.due += 1;
        summary[entry.outcome] += 1;
        await deps.digests.advance(entry.digest.userId, entry.digest.nextDueAt, entry.next, entry.last);
      }
    } while (cursor);
  }
  deps.logger.info('digest run done', { at: dueBy, ...summary });
  return summary;
}

interface Planned {
  readonly digest: DueDigest;
  readonly outcome: 'enqueued' | 'skippedInactive' | 'retimed';
  readonly next?: string;
  readonly notification?: Notification;
  readonly last?: LastDigest;
}

async function plan(deps: DigestJobDeps, digest: DueDigest, at: Date): Promise<Planned> {
  const { userId, schedule } = digest;
  if (schedule.mode === 'off') return { digest, outcome: 'retimed' };
  const [settings, isInactive] = await Promise.all([deps.settings.get(userId), deps.activity.isInactive(userId)]);
  const timeZone = settings.timeZone ?? 'UTC';
  const next = nextDigestAt(schedule, timeZone, at)?.toISOString();
  if ((digest.timeZone ?? 'UTC') !== timeZone) {
    // The zone changed after the entry was written: due now only if this run's hour is the new zone's hour.
    const dueInNewZone = nextDigestAt(schedule, timeZone, new Date(at.getTime() - HOUR_MS));
    if (!dueInNewZone || dueInNewZone.getTime() > at.getTime())
      return { digest, outcome: 'retimed', next: dueInNewZone?.toISOString() };
  }
  if (isInactive) return { digest, outcome: 'skippedInactive', next };
  const localDate = localDateOf(new Date(digest.nextDueAt), timeZone);
  const { notification, last } = await buildDigest(deps, digest, schedule.mode, localDate, at);
  return { digest, outcome: 'enqueued', next, notification, last: last ?? digest.last };
}

async function buildDigest(
  deps: DigestJobDeps,
  digest: DueDigest,
  mode: 'daily' | 'weekly',
  localDate: string,
  at: Date,
): Promise<{ notification: Notification; last?: LastDigest }> {
  const { userId } = digest;
  const startAt = digest.last?.slot ?? new Date(at.getTime() - PERIOD_MS[mode]).toISOString();
  const resolution: SnapshotResolution = at.getTime() - Date.parse(startAt) > TEN_MINUTE_POINTS_MS ? '1h' : '10m';
  const [end, start, holdings, alerts] = await Promise.all([
    deps.snapshots.latestSnapshotAtOrBefore(userId, '10m', at.toISOString()),
    deps.snapshots.latestSnapshotAtOrBefore(userId, resolution, startAt),
    deps.holdings.listHoldings(userId),
    deps.alerts.listActive(userId),
  ]);
  const known = new Map(
    holdings.map((holding) => [
      `${holding.chainIndex}:${holding.tokenAddress}`,
      { assetId: holding.assetId, symbol: holding.symbol },
    ]),
  );
  // A token no longer held is named by the asset registry (or its own key when the registry does not know it).
  const assetOf: AssetLookup = (tokenKey) => {
    const split = tokenKey.indexOf(':');
    const ref = { chainIndex: tokenKey.slice(0, split), tokenAddress: tokenKey.slice(split + 1) };
    return known.get(tokenKey) ?? identifyAsset(ref, tokenKey);
  };

  const change = end && start && start.slot < end.slot ? attributeChange(start, end, assetOf) : undefined;
  const text = renderDigest({
    mode,
    localDate,
    ...(end ? { valueUsd: end.totalValueUsd } : {}),
    ...(change ? { change } : {}),
    alerts,
  });
  const notification: Notification = {
    id: `digest#${userId}#${localDate}`,
    userId,
    chatId: userId,
    kind: 'digest',
    text,
    buttons: DIGEST_BUTTONS,
    ...(end ? { chart: { window: mode === 'daily' ? '24h' : '7d' } } : {}),
  };
  return {
    notification,
    ...(end ? { last: { slot: end.slot, valueUsd: end.totalValueUsd, sentAt: at.toISOString() } } : {}),
  };
}
