import { escapeHtml, type HtmlMessage, type KeyboardButton } from '../platform/telegram/messages';
import { type AlertSettings, ALERT_RULE_IDS, ALERT_RULES } from './alert-rules';

const hour = (value: number) => `${String(value).padStart(2, '0')}:00`;

/** /alerts: every rule with on/off and its threshold, then quiet hours, time zone and the daily cap, with buttons. */
export function renderAlertSettings(settings: AlertSettings, timeZone: string, note?: string): HtmlMessage {
  const rules = ALERT_RULE_IDS.map((id) => {
    const { on, threshold } = settings.rules[id];
    const definition = ALERT_RULES[id];
    return `${on ? '✅' : '▫️'} ${definition.title} <b>${threshold} ${escapeHtml(definition.unit)}</b>${on ? '' : ' (off)'}`;
  });
  const quiet = settings.quietHours ? `${hour(settings.quietHours.start)}–${hour(settings.quietHours.end)}` : 'off';
  const text = [
    ...(note ? [note, ''] : []),
    `🔔 <b>Alerts</b>${settings.muted ? ' — 🔕 <b>muted</b>' : ''}`,
    'I check these after each sync and tell you once when one starts; again only after it has cleared.',
    '',
    ...rules,
    '',
    `🌙 Quiet hours: <b>${quiet}</b> (alerts wait until they end) · 🕰 ${escapeHtml(timeZone)}`,
    `📬 At most <b>${settings.dailyCap}</b> alerts a day`,
    '',
    'Tap a rule to switch it, − / + to change its threshold. More: <code>/alerts asset 60</code>, <code>/alerts quiet 22-7</code>, <code>/alerts tz Europe/Berlin</code>, <code>/alerts cap 5</code>.',
  ].join('\n');
  const buttons: KeyboardButton[][] = ALERT_RULE_IDS.map((id) => [
    { text: `${settings.rules[id].on ? '✅' : '▫️'} ${id}`, data: `v1:al:t:${id}` },
    { text: '−', data: `v1:al:d:${id}` },
    { text: '+', data: `v1:al:u:${id}` },
  ]);
  buttons.push([
    { text: settings.muted ? '🔔 Unmute all' : '🔕 Mute all', data: 'v1:al:m' },
    { text: settings.quietHours ? '🌙 Quiet hours off' : '🌙 Quiet 22–07', data: 'v1:al:q' },
  ]);
  buttons.push([
    { text: '− a day', data: 'v1:al:c-' },
    { text: '+ a day', data: 'v1:al:c+' },
  ]);
  return { text, buttons };
}
