import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildOkxAuthHeaders, signOkxRequest } from '../../../../shared/platform/okx/okx-http';
import { CREDENTIALS } from './okx-test-kit';

const SECRET = '22582BD0CFF14C41EDBF1AB98506286D';
const TIMESTAMP = '2025-01-01T00:00:00.000Z';
const QUOTE_PATH =
  '/api/v6/dex/aggregator/quote?chainIndex=1&amount=1000000&fromTokenAddress=0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee&toTokenAddress=0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const PRICE_BODY = '[{"chainIndex":"1","tokenContractAddress":"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"}]';

function independentSign(prehash: string): string {
  return createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(Buffer.from(prehash, 'utf8')).digest('base64');
}

describe('signOkxRequest', () => {
  it('signs a GET over timestamp + METHOD + path with query (golden vector)', () => {
    // Prepare
    const input = { timestamp: TIMESTAMP, method: 'GET', requestPath: QUOTE_PATH, body: '', secretKey: SECRET };
    // Act
    const sign = signOkxRequest(input);
    // Assess
    expect(sign).toBe(independentSign(`${TIMESTAMP}GET${QUOTE_PATH}`));
    expect(sign).toBe('DJOxhze/9jty9UXWhT+kYkH2jwJaPP0dxOcZBEMHGFI=');
  });

  it('signs a POST over the exact JSON body (golden vector)', () => {
    const sign = signOkxRequest({
      timestamp: TIMESTAMP,
      method: 'POST',
      requestPath: '/api/v6/dex/market/price',
      body: PRICE_BODY,
      secretKey: SECRET,
    });
    expect(sign).toBe(independentSign(`${TIMESTAMP}POST/api/v6/dex/market/price${PRICE_BODY}`));
    expect(sign).toBe('Mfu17ZbvAS0MQI2esf4cPHiWS8kJ4t7g2ajyKHbjBuU=');
  });

  it('upper-cases the method before hashing', () => {
    const lower = signOkxRequest({
      timestamp: TIMESTAMP,
      method: 'get',
      requestPath: QUOTE_PATH,
      body: '',
      secretKey: SECRET,
    });
    expect(lower).toBe('DJOxhze/9jty9UXWhT+kYkH2jwJaPP0dxOcZBEMHGFI=');
  });

  it('changes with the timestamp, so a retried request is never a replay', () => {
    const first = signOkxRequest({
      timestamp: TIMESTAMP,
      method: 'GET',
      requestPath: QUOTE_PATH,
      body: '',
      secretKey: SECRET,
    });
    const later = signOkxRequest({
      timestamp: '2025-01-01T00:00:01.000Z',
      method: 'GET',
      requestPath: QUOTE_PATH,
      body: '',
      secretKey: SECRET,
    });
    expect(later).not.toBe(first);
  });
});

describe('buildOkxAuthHeaders', () => {
  it('builds the five OK-ACCESS headers with the ISO millisecond timestamp', () => {
    const headers = buildOkxAuthHeaders(CREDENTIALS, {
      timestamp: TIMESTAMP,
      method: 'GET',
      requestPath: QUOTE_PATH,
      body: '',
    });
    expect(headers).toEqual({
      'OK-ACCESS-KEY': CREDENTIALS.apiKey,
      'OK-ACCESS-SIGN': 'DJOxhze/9jty9UXWhT+kYkH2jwJaPP0dxOcZBEMHGFI=',
      'OK-ACCESS-TIMESTAMP': TIMESTAMP,
      'OK-ACCESS-PASSPHRASE': CREDENTIALS.passphrase,
      'OK-ACCESS-PROJECT': CREDENTIALS.projectId,
    });
  });

  it('leaves out the project header when no project id is configured', () => {
    const headers = buildOkxAuthHeaders(
      { ...CREDENTIALS, projectId: '' },
      { timestamp: TIMESTAMP, method: 'GET', requestPath: '/x', body: '' },
    );
    expect(headers).not.toHaveProperty('OK-ACCESS-PROJECT');
  });
});
