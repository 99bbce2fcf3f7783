import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { architecture } from '../../dev-tools/eslint-architecture.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const linter = new Linter({ configType: 'flat' });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { esther: architecture },
    rules: { 'esther/layer-boundaries': 'error' as const },
  },
];

/** Messages of the architecture rule for one import written in `file`. */
function lint(file: string, source: string): string[] {
  return linter
    .verify(`import { x } from '${source}';\nexport { x };\n`, config, { filename: `${ROOT}${file}` })
    .map((message) => message.message);
}

describe('the architecture rule', () => {
  it('lets a capability import the kernel, the platform, a capability before it, and pure maths of one after it', () => {
    expect(lint('shared/portfolio/portfolio-service.ts', '../kernel/decimal')).toEqual([]);
    expect(lint('shared/portfolio/portfolio-service.ts', '../platform/dynamo/keys')).toEqual([]);
    expect(lint('shared/portfolio/portfolio-service.ts', '../sync/holdings-store')).toEqual([]);
    expect(lint('shared/portfolio/portfolio-service.ts', '../rebalance/rebalance')).toEqual([]);
  });

  it('refuses a capability importing a later one, the bot or the app', () => {
    expect(lint('shared/sync/sync-balances.ts', '../portfolio/portfolio-service')).toEqual([
      expect.stringContaining('capability "sync" must not import "portfolio"'),
    ]);
    expect(lint('shared/wallets/wallets-feature.ts', '../bot/bot-deps')).toEqual([
      expect.stringContaining('must not import shared/bot'),
    ]);
    expect(lint('shared/rebalance/plan-store.ts', '../app/create-app')).toEqual([
      expect.stringContaining('must not import shared/app'),
    ]);
  });

  it('keeps the platform below every capability', () => {
    expect(lint('shared/platform/telegram/send-html.ts', '../dynamo/keys')).toEqual([]);
    expect(lint('shared/platform/telegram/send-html.ts', '../../portfolio/portfolio-service-port')).toEqual([
      expect.stringContaining('shared/platform must not import shared/portfolio'),
    ]);
  });

  it('keeps the kernel and each capability’s maths pure', () => {
    expect(lint('shared/kernel/decimal.ts', 'big.js')).toEqual([]);
    expect(lint('shared/portfolio/performance-math.ts', '../kernel/decimal')).toEqual([]);
    expect(lint('shared/portfolio/performance-math.ts', '@aws-sdk/lib-dynamodb')).toEqual([
      expect.stringContaining('pure code'),
    ]);
    expect(lint('shared/rebalance/rebalance-legs.ts', './plan-store')).toEqual([expect.stringContaining('pure code')]);
    // The signing flow's rules (issue 13) are pure too: no viem, no store.
    expect(lint('shared/rebalance/signing-intent-rules.ts', 'viem')).toEqual([expect.stringContaining('pure code')]);
    expect(lint('shared/rebalance/execution-rules.ts', '../kernel/decimal')).toEqual([]);
    expect(lint('shared/kernel/chains.ts', '../platform/okx/okx-http')).toEqual([expect.stringContaining('pure code')]);
  });

  it('keeps functions apart and shared/ free of functions, infra and dev-tools', () => {
    expect(lint('functions/sync-worker/handler.ts', '../sync-fanout/handler')).toEqual([
      'function "sync-worker" must not import function "sync-fanout"',
    ]);
    expect(lint('functions/sync-worker/handler.ts', '../../shared/app/create-app')).toEqual([]);
    expect(lint('shared/bot/bot.ts', '../../functions/telegram-webhook/handler')).toEqual([
      'shared/ must not import functions/',
    ]);
    expect(lint('shared/app/create-app.ts', '../../dev-tools/okx-sandbox/index')).toEqual([
      'shared/ must not import dev-tools/',
    ]);
  });
});
