import { Composer } from 'telegraf';
import { isDecimalString, toDecimal } from '../kernel/decimal';
import {
  escapeHtml,
  editHtml,
  inputExcerpt,
  replyHtml,
  type HtmlMessage,
  type BotContext,
  commandArgs,
  userIdOf,
} from '../platform/telegram/messages';
import { isTimeZone, type SettingsStore } from '../rebalance/settings-store';
import { MUTE_CALLBACK } from './alert-message';
import {
  MAX_DAILY_CAP,
  ALERT_RULES,
  isAlertRuleId,
  isThresholdAllowed,
  stepThreshold,
  type AlertRuleId,
} from './alert-rules';
import type { AlertSettingsStore } from './alert-store';
import type { DigestStore } from './digest-store';
import { renderAlertSettings } from './alerts-message';

export interface AlertsFeatureDeps {
  readonly alerts: AlertSettingsStore;
  readonly settings: Pick<SettingsStore, 'get' | 'setTimeZone'>;
  /** The digest is due at the user's local hour: a new time zone moves its next due time (optional in tests). */
  readonly digests?: Pick<DigestStore, 'retime'>;
  readonly now: () => Date;
}

export const NOT_YOUR_ALERT = 'This alert is not yours: send /alerts for yours';
/** The quiet hours the 🌙 button switches on; `/alerts quiet 23-8` sets others. */
export const DEFAULT_QUIET_HOURS = { start: 22, end: 7 } as const;

export const ALERTS_USAGE = [
  '<b>Change</b>',
  '<code>/alerts asset 60</code> — a threshold (rules: drift, asset, sector, chain, depeg, move, stale, gas)',
  '<code>/alerts gas off</code> · <code>/alerts gas on</code> — one rule',
  '<code>/alerts quiet 22-7</code> · <code>/alerts quiet off</code> — quiet hours, your local time',
  '<code>/alerts tz Europe/Berlin</code> — your time zone',
  '<code>/alerts cap 5</code> — at most this many alerts a day',
  '<code>/alerts off</code> · <code>/alerts on</code> — mute or unmute every alert',
].join('\n');

/**
 * /alerts: the rules with on/off and thresholds, quiet hours, time zone and the daily cap, changed with inline
 * buttons (on/off, − / + through each rule's steps) or a reply (`/alerts asset 60`); and the alerts' own
 * "Mute this rule" button. Private chats only (the privacy guard): every button acts on the tapper's own settings,
 * and the mute button also carries its owner, checked like Refresh.
 */
export function createAlertsFeature(deps: AlertsFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const at = () => deps.now().toISOString();
  const overview = async (userId: string, note?: string): Promise<HtmlMessage> => {
    const [settings, user] = await Promise.all([deps.alerts.getSettings(userId), deps.settings.get(userId)]);
    return renderAlertSettings(settings, user.timeZone ?? 'UTC', note);
  };

  composer.command('alerts', async (ctx) => {
    const userId = userIdOf(ctx);
    const words = commandArgs(ctx);
    if (words.length === 0) return replyHtml(ctx, await overview(userId), 'alerts');
    const change = await applyCommand(deps, userId, words, at());
    if (!change.ok) return replyHtml(ctx, { text: `⚠️ ${change.problem}\n\n${ALERTS_USAGE}` }, 'alerts-problem');
    await replyHtml(ctx, await overview(userId, change.note), 'alerts');
  });

  composer.action(/^v1:al:(t|u|d):([a-z]{1,10})$/, async (ctx) => {
    const userId = userIdOf(ctx);
    const [verb, rule] = [ctx.match[1], ctx.match[2]!];
    if (!isAlertRuleId(rule)) return void (await ctx.answerCbQuery());
    const current = (await deps.alerts.getSettings(userId)).rules[rule];
    if (verb === 't') await deps.alerts.setRule(userId, rule, { on: !current.on }, at());
    else
      await deps.alerts.setRule(
        userId,
        rule,
        { threshold: stepThreshold(rule, current.threshold, verb === 'u' ? 1 : -1) },
        at(),
      );
    await ctx.answerCbQuery();
    await editHtml(ctx, await overview(userId));
  });

  composer.action(/^v1:al:(m|q|c\+|c-)$/, async (ctx) => {
    const userId = userIdOf(ctx);
    const settings = await deps.alerts.getSettings(userId);
    const verb = ctx.match[1];
    if (verb === 'm') await deps.alerts.setMuted(userId, !settings.muted, at());
    if (verb === 'q')
      await deps.alerts.setQuietHours(userId, settings.quietHours ? undefined : DEFAULT_QUIET_HOURS, at());
    if (verb === 'c+' || verb === 'c-') {
      const cap = Math.min(MAX_DAILY_CAP, Math.max(1, settings.dailyCap + (verb === 'c+' ? 1 : -1)));
      await deps.alerts.setDailyCap(userId, cap, at());
    }
    await ctx.answerCbQuery();
    await editHtml(ctx, await overview(userId));
  });

  // Under an alert: the owner rides in the data, so a tap by anyone else (a forwarded message) mutes nothing.
  composer.action(MUTE_CALLBACK, async (ctx) => {
    const userId = userIdOf(ctx);
    const [owner, rule] = [ctx.match[1], ctx.match[2]!];
    if (owner !== userId || !isAlertRuleId(rule)) return void (await ctx.answerCbQuery(NOT_YOUR_ALERT));
    await deps.alerts.setRule(userId, rule, { on: false }, at());
    await ctx.answerCbQuery(`🔕 ${ALERT_RULES[rule].title}: muted. /alerts turns it back on.`);
  });
  return composer;
}

type Change = { readonly ok: true; readonly note: string } | { readonly ok: false; readonly problem: string };

async function applyCommand(
  deps: AlertsFeatureDeps,
  userId: string,
  words: readonly string[],
  at: string,
): Promise<Change> {
  const [first = '', second = ''] = words.map((word) => word.trim());
  const what = first.toLowerCase();
  if (what === 'off' || what === 'on') {
    await deps.alerts.setMuted(userId, what === 'off', at);
    return { ok: true, note: what === 'off' ? '🔕 All alerts muted.' : '🔔 Alerts on.' };
  }
  if (what === 'tz') {
    if (!isTimeZone(second))
      return {
        ok: false,
        problem: `"${inputExcerpt(second)}" is not a time zone I know (e.g. Europe/Berlin, America/New_York, UTC).`,
      };
    await deps.settings.setTimeZone(userId, second, at);
    await deps.digests?.retime(userId, second, deps.now());
    return { ok: true, note: `🕰 Time zone set to ${escapeHtml(second)}.` };
  }
  if (what === 'quiet') return setQuiet(deps, userId, second, at);
  if (what === 'cap') {
    const cap = Number(second);
    if (!/^\d{1,2}$/.test(second) || cap < 1 || cap > MAX_DAILY_CAP)
      return { ok: false, problem: `The daily limit is a whole number from 1 to ${MAX_DAILY_CAP}.` };
    await deps.alerts.setDailyCap(userId, cap, at);
    return { ok: true, note: `At most ${cap} alerts a day.` };
  }
  if (isAlertRuleId(what)) return setRule(deps, userId, what, second.toLowerCase().replace(/%$/, ''), at);
  return { ok: false, problem: `I don't know "${inputExcerpt(first)}".` };
}

async function setRule(
  deps: AlertsFeatureDeps,
  userId: string,
  rule: AlertRuleId,
  value: string,
  at: string,
): Promise<Change> {
  const definition = ALERT_RULES[rule];
  if (value === 'on' || value === 'off') {
    await deps.alerts.setRule(userId, rule, { on: value === 'on' }, at);
    return { ok: true, note: `${definition.title}: ${value}.` };
  }
  if (!isDecimalString(value) || !isThresholdAllowed(rule, value))
    return {
      ok: false,
      problem: `The ${rule} threshold is a number from ${definition.min} to ${definition.max} (${escapeHtml(definition.unit)}).`,
    };
  const threshold = toDecimal(value).toString();
  await deps.alerts.setRule(userId, rule, { threshold, on: true }, at);
  return { ok: true, note: `${definition.title} ${threshold} ${escapeHtml(definition.unit)}.` };
}

async function setQuiet(deps: AlertsFeatureDeps, userId: string, value: string, at: string): Promise<Change> {
  if (value.toLowerCase() === 'off') {
    await deps.alerts.setQuietHours(userId, undefined, at);
    return { ok: true, note: 'Quiet hours off.' };
  }
  const match = /^(\d{1,2})(?::00)?-(\d{1,2})(?::00)?$/.exec(value);
  const [start, end] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(start >= 0 && start <= 23 && end >= 0 && end <= 23) || start === end)
    return { ok: false, problem: 'Quiet hours are two different whole hours from 0 to 23, e.g. 22-7.' };
  await deps.alerts.setQuietHours(userId, { start, end }, at);
  return { ok: true, note: `🌙 Quiet hours ${start}:00–${end}:00: alerts wait until they end.` };
}
