import { Composer } from 'telegraf';
import {
  commandArgs,
  userIdOf,
  type BotContext,
  editHtml,
  escapeHtml,
  replyHtml,
  type HtmlMessage,
  type KeyboardButton,
} from '../platform/telegram/messages';
import type { SettingsStore } from '../rebalance/settings-store';
import {
  DEFAULT_DIGEST_HOUR,
  DEFAULT_DIGEST_WEEKDAY,
  isValidSchedule,
  localTimeOf,
  type DigestSchedule,
} from './digest-schedule-rules';
import type { DigestPreference, DigestStore } from './digest-store';

export interface DigestFeatureDeps {
  readonly digests?: DigestStore;
  /** The user's time zone (settings, set with /alerts); UTC without it. */
  readonly settings?: Pick<SettingsStore, 'get'>;
  readonly now: () => Date;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const HOURS_SHOWN = [7, 8, 9, 12, 18, 21] as const;

export const DIGEST_USAGE =
  'Usage: <code>/digest off</code>, <code>/digest daily 9</code> or <code>/digest weekly mon 18</code> (hour 0–23, your time zone).';

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** `/digest` text arguments → a schedule; undefined when they do not parse. */
export function parseDigestArgs(args: readonly string[], current: DigestSchedule): DigestSchedule | undefined {
  const [mode, ...rest] = args.map((arg) => arg.toLowerCase());
  const hourOf = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : /^\d{1,2}$/.test(value) ? Number(value) : Number.NaN;
  const currentHour = current.mode === 'off' ? DEFAULT_DIGEST_HOUR : current.hour;
  let schedule: DigestSchedule | undefined;
  if (mode === 'off' && rest.length === 0) schedule = { mode: 'off' };
  else if (mode === 'daily' && rest.length <= 1) schedule = { mode: 'daily', hour: hourOf(rest[0], currentHour) };
  else if (mode === 'weekly' && rest.length <= 2) {
    const day =
      rest[0] === undefined ? -1 : WEEKDAY_NAMES.findIndex((name) => name.toLowerCase() === rest[0]!.slice(0, 3));
    const weekday =
      rest[0] === undefined ? (current.mode === 'weekly' ? current.weekday : DEFAULT_DIGEST_WEEKDAY) : day + 1;
    schedule = { mode: 'weekly', weekday, hour: hourOf(rest[1], currentHour) };
  }
  return schedule && isValidSchedule(schedule) ? schedule : undefined;
}

/** The choice, when the next digest comes, and the buttons to change it (each tap edits this message). */
export function renderDigestSettings(preference: DigestPreference, timeZone: string | undefined): HtmlMessage {
  const { schedule } = preference;
  const zone = escapeHtml(timeZone ?? 'UTC');
  const lines = ['🗞 <b>Digest</b>: your portfolio’s value, what changed it, flows and active alerts, with the chart.'];
  if (schedule.mode === 'off') lines.push('', 'It is <b>off</b>.');
  else {
    const when = schedule.mode === 'daily' ? 'every day' : `every ${WEEKDAY_NAMES[schedule.weekday - 1]}`;
    lines.push('', `It comes <b>${when} at ${hourLabel(schedule.hour)}</b> (${zone}).`);
    if (preference.nextDueAt) {
      const next = localTimeOf(new Date(preference.nextDueAt), timeZone ?? 'UTC');
      const date = `${WEEKDAY_NAMES[next.weekday - 1]} ${next.year}-${String(next.month).padStart(2, '0')}-${String(next.day).padStart(2, '0')}`;
      lines.push(`Next: ${date}, ${hourLabel(next.hour)}.`);
    }
  }
  lines.push('', 'Your time zone is set with /alerts.');
  const mark = (isOn: boolean, text: string) => (isOn ? `✅ ${text}` : text);
  const buttons: KeyboardButton[][] = [
    [
      { text: mark(schedule.mode === 'off', 'Off'), data: 'v1:dg:off' },
      { text: mark(schedule.mode === 'daily', 'Daily'), data: 'v1:dg:daily' },
      { text: mark(schedule.mode === 'weekly', 'Weekly'), data: 'v1:dg:weekly' },
    ],
  ];
  if (schedule.mode === 'weekly')
    buttons.push(
      WEEKDAY_NAMES.map((name, index) => ({
        text: mark(schedule.weekday === index + 1, name.slice(0, 2)),
        data: `v1:dg:wd:${index + 1}`,
      })),
    );
  if (schedule.mode !== 'off')
    buttons.push(
      HOURS_SHOWN.map((hour) => ({ text: mark(schedule.hour === hour, hourLabel(hour)), data: `v1:dg:h:${hour}` })),
    );
  return { text: lines.join('\n'), buttons };
}

/** `/digest` and its buttons (`v1:dg:…`): every tap changes the tapping user's own digest only. */
export function createDigestFeature(deps: DigestFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const digests = deps.digests;
  if (!digests) return composer;
  const timeZoneOf = async (userId: string) => (await deps.settings?.get(userId))?.timeZone;

  const change = async (ctx: BotContext, next: (current: DigestSchedule) => DigestSchedule) => {
    await ctx.answerCbQuery();
    const userId = userIdOf(ctx);
    const [current, timeZone] = await Promise.all([digests.get(userId), timeZoneOf(userId)]);
    const stored = await digests.set(userId, next(current.schedule), timeZone, deps.now());
    await editHtml(ctx, renderDigestSettings(stored, timeZone));
  };
  const hourOf = (schedule: DigestSchedule) => (schedule.mode === 'off' ? DEFAULT_DIGEST_HOUR : schedule.hour);

  composer.command('digest', async (ctx) => {
    const userId = userIdOf(ctx);
    const [current, timeZone] = await Promise.all([digests.get(userId), timeZoneOf(userId)]);
    const args = commandArgs(ctx);
    if (args.length === 0) return replyHtml(ctx, renderDigestSettings(current, timeZone), 'digest-settings');
    const schedule = parseDigestArgs(args, current.schedule);
    if (!schedule) return replyHtml(ctx, { text: DIGEST_USAGE }, 'digest-usage');
    const stored = await digests.set(userId, schedule, timeZone, deps.now());
    await replyHtml(ctx, renderDigestSettings(stored, timeZone), 'digest-settings');
  });
  composer.action('v1:dg:off', (ctx) => change(ctx, () => ({ mode: 'off' })));
  composer.action('v1:dg:daily', (ctx) => change(ctx, (current) => ({ mode: 'daily', hour: hourOf(current) })));
  composer.action('v1:dg:weekly', (ctx) =>
    change(ctx, (current) => ({
      mode: 'weekly',
      hour: hourOf(current),
      weekday: current.mode === 'weekly' ? current.weekday : DEFAULT_DIGEST_WEEKDAY,
    })),
  );
  composer.action(/^v1:dg:h:(\d{1,2})$/, (ctx) => {
    const hour = Number(ctx.match[1]);
    return change(ctx, (current) => (current.mode === 'off' || hour > 23 ? current : { ...current, hour }));
  });
  composer.action(/^v1:dg:wd:([1-7])$/, (ctx) => {
    const weekday = Number(ctx.match[1]);
    return change(ctx, (current) => (current.mode === 'weekly' ? { ...current, weekday } : current));
  });
  return composer;
}
