import { describe, expect, it } from 'vitest';
import { signInitData } from '../../../../dev-tools/local/chat/sign-init-data';

describe('signInitData', () => {
  it('signs the sorted fields as Telegram does (vector computed with openssl, not with this code)', () => {
    // secret = HMAC_SHA256(key "WebAppData", "100000:FAKE-local-bot-token"); hash = HMAC_SHA256(key secret, the
    // six sorted "key=value" lines joined by "\n"), both with `openssl dgst -sha256 -hmac/-mac HMAC`.
    const initData = signInitData(
      '100000:FAKE-local-bot-token',
      { id: 4242, firstName: 'Tester' },
      { authDate: new Date('2025-12-03T12:00:00Z'), queryId: 'Q', signature: 'S' },
    );
    const fields = new URLSearchParams(initData);

    expect(fields.get('hash')).toBe('3b952c5327225985a54d92faca9ca92aca28d634fa17514cce1d3bb241648b9f');
    expect(fields.get('auth_date')).toBe('1764763200');
    expect(JSON.parse(fields.get('user')!)).toMatchObject({ id: 4242, first_name: 'Tester' });
    expect(fields.get('chat_type')).toBe('private');
  });

  it('gives each launch its own query id and the current time', () => {
    const first = new URLSearchParams(signInitData('1:t', { id: 1, firstName: 'A' }));
    const second = new URLSearchParams(signInitData('1:t', { id: 1, firstName: 'A' }));

    expect(first.get('query_id')).not.toBe(second.get('query_id'));
    expect(Math.abs(Number(first.get('auth_date')) - Date.now() / 1000)).toBeLessThan(5);
  });
});
