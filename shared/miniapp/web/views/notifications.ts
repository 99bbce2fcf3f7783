import type { NotificationsView } from '../api-types';
import { h, section } from '../dom';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hour = (value: number) => `${String(value).padStart(2, '0')}:00`;

/** What the bot tells the user without being asked: the alert rules, quiet hours and the digest, as /alerts shows. */
export function renderNotifications(view: NotificationsView): HTMLElement {
  const rules = h('ul', { class: 'rules', 'data-testid': 'alert-rules' });
  for (const rule of view.alerts.rules)
    rules.append(
      h(
        'li',
        { class: rule.on ? '' : 'hint' },
        `${rule.on ? '✅' : '▫️'} ${rule.title} ${rule.threshold} ${rule.unit}${rule.on ? '' : ' (off)'}`,
      ),
    );
  const quiet = view.alerts.quietHours
    ? `Quiet hours ${hour(view.alerts.quietHours.start)}–${hour(view.alerts.quietHours.end)}`
    : 'No quiet hours';
  const digest =
    view.digest.mode === 'off'
      ? 'Digest: off'
      : view.digest.mode === 'daily'
        ? `Digest: daily at ${hour(view.digest.hour)}`
        : `Digest: weekly on ${WEEKDAYS[view.digest.weekday - 1] ?? '?'} at ${hour(view.digest.hour)}`;
  return section(
    'Alerts and digest',
    'notifications',
    h(
      'p',
      { 'data-testid': 'alerts-status' },
      view.alerts.muted ? '🔕 Alerts muted' : `🔔 At most ${view.alerts.dailyCap} alerts a day`,
    ),
    rules,
    h('p', {}, `${quiet} · ${digest} · time zone ${view.timeZone}`),
    h('p', { class: 'hint' }, 'Change them with /alerts and /digest in the chat.'),
  );
}
