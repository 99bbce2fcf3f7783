import { describe, expect, it } from 'vitest';
import { checkInitData, signInitData } from '../../../shared/miniapp/init-data';
import { BOT_TOKEN, OTHER_BOT_TOKEN, telegramInitData } from '../../functions/miniapp-api/miniapp-events';

const NOW = new Date('2036-12-03T12:00:00.000Z');
const options = { maxAgeSeconds: 3600, now: NOW };
const secondsBefore = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

describe('checkInitData (Telegram Mini App initData)', () => {
  it('accepts initData signed as Telegram documents it and takes the user id from its user field', () => {
    expect(checkInitData(telegramInitData(1001, secondsBefore(60)), BOT_TOKEN, options)).toEqual({
      ok: true,
      userId: '1001',
    });
  });

  it('accepts what signInitData makes (the local chat page and the bench use it)', () => {
    const raw = signInitData({ id: 2002, first_name: 'Bo' }, BOT_TOKEN, secondsBefore(5));
    expect(checkInitData(raw, BOT_TOKEN, options)).toEqual({ ok: true, userId: '2002' });
  });

  it('refuses initData signed for another bot', () => {
    const raw = telegramInitData(1001, secondsBefore(60), { token: OTHER_BOT_TOKEN });
    expect(checkInitData(raw, BOT_TOKEN, options)).toEqual({ ok: false, problem: 'forged' });
  });

  it('refuses initData whose user was changed after signing (another user id, same hash)', () => {
    const raw = telegramInitData(1001, secondsBefore(60));
    const forged = raw.replace(encodeURIComponent('"id":1001'), encodeURIComponent('"id":1002'));
    expect(forged).not.toBe(raw);
    expect(checkInitData(forged, BOT_TOKEN, options)).toEqual({ ok: false, problem: 'forged' });
  });

  it('refuses initData whose auth_date was moved forward after signing', () => {
    const raw = telegramInitData(1001, secondsBefore(7200));
    const moved = raw.replace(/auth_date=\d+/, `auth_date=${Math.floor(NOW.getTime() / 1000)}`);
    expect(checkInitData(moved, BOT_TOKEN, options)).toEqual({ ok: false, problem: 'forged' });
  });

  it('refuses initData older than the maximum age, and accepts it at exactly that age', () => {
    expect(checkInitData(telegramInitData(1001, secondsBefore(3601)), BOT_TOKEN, options)).toEqual({
      ok: false,
      problem: 'expired',
    });
    expect(checkInitData(telegramInitData(1001, secondsBefore(3600)), BOT_TOKEN, options).ok).toBe(true);
  });

  it('refuses an auth_date more than a minute in the future, and allows a few seconds of clock skew', () => {
    expect(checkInitData(telegramInitData(1001, secondsBefore(-61)), BOT_TOKEN, options)).toEqual({
      ok: false,
      problem: 'expired',
    });
    expect(checkInitData(telegramInitData(1001, secondsBefore(-5)), BOT_TOKEN, options).ok).toBe(true);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '  ', 'missing'],
    ['no hash', 'auth_date=2111745600&user=%7B%22id%22%3A1%7D', 'malformed'],
    ['no auth_date', 'user=%7B%22id%22%3A1%7D&hash=00', 'malformed'],
    ['a header of 5,000 characters', `hash=${'a'.repeat(5000)}`, 'malformed'],
  ])('refuses %s', (_, raw, problem) => {
    expect(checkInitData(raw, BOT_TOKEN, options)).toEqual({ ok: false, problem });
  });

  it('refuses signed initData without a user (e.g. opened from a chat, not by a person)', () => {
    expect(checkInitData(telegramInitData(undefined, secondsBefore(60)), BOT_TOKEN, options)).toEqual({
      ok: false,
      problem: 'no-user',
    });
  });

  it('refuses a signed auth_date that is not a whole number of seconds', () => {
    const raw = telegramInitData(1001, NOW, { extra: { auth_date: '2111745600abc' } });
    expect(checkInitData(raw, BOT_TOKEN, options)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('refuses signed initData whose user field is not JSON', () => {
    const raw = telegramInitData(undefined, secondsBefore(60), { extra: { user: 'not-json' } });
    expect(checkInitData(raw, BOT_TOKEN, options)).toEqual({ ok: false, problem: 'malformed' });
  });
});
