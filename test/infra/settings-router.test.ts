import { describe, expect, it } from 'vitest';
import { readEstherSettings } from '../../infra/settings';
import { readRouterAllowlist } from '../../shared/rebalance/router-allowlist';

const base: Record<string, unknown> = {
  stage: 'dev',
  dryRunMode: true,
  okxBaseUrl: 'https://web3.okx.com',
  telegramApiRoot: 'https://api.telegram.org',
  okxRateLimitPerSecond: 1,
  syncMaxConcurrency: 2,
  syncBatchSize: 5,
  notifyMaxConcurrency: 2,
  telegramSendRatePerSecond: 25,
  webhookReservedConcurrency: 10,
  apiThrottleRateLimit: 50,
  apiThrottleBurstLimit: 100,
  syncWorkerTimeoutSeconds: 120,
  tableMaxWriteRequestUnits: 1000,
  tableDeletionProtection: false,
  logLevel: 'INFO',
  miniAppInitDataMaxAgeSeconds: 86400,
  tracing: false,
  alarmEmails: [],
};

describe('okxRouterAllowlist setting', () => {
  it('is absent by default, accepts an object from cdk.json or a JSON string, and refuses anything else', () => {
    expect(readEstherSettings((key) => base[key]).okxRouterAllowlist).toBeUndefined();
    const object = { '8453': ['0xABC0000000000000000000000000000000000001'] };
    expect(readEstherSettings((key) => ({ ...base, okxRouterAllowlist: object })[key]).okxRouterAllowlist).toBe(
      JSON.stringify(object),
    );
    expect(() => readEstherSettings((key) => ({ ...base, okxRouterAllowlist: '{"eth": ["0x1"]}' })[key])).toThrow(
      /okxRouterAllowlist/,
    );
    expect(() => readEstherSettings((key) => ({ ...base, okxRouterAllowlist: '[' })[key])).toThrow(/not JSON/);
  });

  it('adds to the built-in routers (EVM lower-cased), keeping them', () => {
    const routers = readRouterAllowlist('{"8453": ["0xABC0000000000000000000000000000000000001"], "999": ["R1"]}');
    expect(routers['8453']).toEqual([
      '0xc8f6b8ba0dc0f175b568b99440b0867f69a29265',
      '0x5e2f47bd7d4b357fcfd0bb224eb665773b1b9801',
      '0xabc0000000000000000000000000000000000001',
    ]);
    expect(routers['999']).toEqual(['R1']);
    expect(routers['1']).toContain('0x5e1f62dac767b0491e3ce72469c217365d5b48cc');
    expect(() => readRouterAllowlist('{"1": "0x1"}')).toThrow(/non-list/);
    expect(() => readRouterAllowlist('[]')).toThrow(/not an object/);
    expect(readRouterAllowlist(undefined)).toBe(readRouterAllowlist(' '));
  });
});
