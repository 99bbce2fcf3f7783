import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACER_PACKAGE } from '../../infra/constructs/esther-function';

/**
 * What each Lambda loads at cold start: the files reached from its handler.ts through static imports, in
 * the bundle esbuild makes for `cdk deploy`. The app's parts are imported when first built, so a function
 * loads only the parts it takes.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FUNCTIONS = [
  'telegram-webhook',
  'health',
  'sync-fanout',
  'sync-worker',
  'bot-registration',
  'miniapp-api',
  'notify-sender',
  'notify-digest',
] as const;

async function metafileOf(name: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [`functions/${name}/handler.ts`],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    outfile: 'out/index.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    // As `cdk deploy` bundles a function with tracing off.
    external: ['@aws-sdk/*', TRACER_PACKAGE],
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Every input reached from the entry without crossing a dynamic `import()`. */
function staticClosure(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || imported.kind === 'dynamic-import' || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

const under = (files: Set<string>, ...prefixes: string[]) =>
  [...files].filter((file) => prefixes.some((prefix) => file.startsWith(prefix))).sort();

describe('what each Lambda loads at cold start (static imports of its bundle)', () => {
  const loaded = new Map<string, Set<string>>();
  const bundled = new Map<string, Set<string>>();
  beforeAll(async () => {
    for (const name of FUNCTIONS) {
      const metafile = await metafileOf(name);
      loaded.set(name, staticClosure(metafile, `functions/${name}/handler.ts`));
      bundled.set(name, new Set(Object.keys(metafile.inputs)));
    }
  }, 60_000);

  it('health: the DynamoDB client, the OKX probe and the due index shards only; no bot, portfolio, rebalance or OKX client code', () => {
    const files = loaded.get('health')!;
    expect(
      under(
        files,
        'shared/bot/',
        'shared/portfolio/',
        'shared/rebalance/',
        'shared/analytics/',
        'shared/platform/okx/',
        'shared/platform/telegram/',
        'shared/platform/chart/',
        'node_modules/telegraf/',
        'node_modules/@resvg/',
      ),
    ).toEqual([]);
    // The stale count walks the due index shards (with the user item, in the wallet store); the stores themselves
    // come from the app's stores part.
    expect(under(files, 'shared/sync/')).toEqual([]);
    expect(under(files, 'shared/wallets/')).toEqual(['shared/wallets/portfolio-store.ts']);
    expect(under(files, 'functions/health/')).toEqual([
      'functions/health/handler.ts',
      'functions/health/okx-probe.ts',
      'functions/health/stale-count.ts',
    ]);
  });

  it('sync fan-out: no OKX client, secrets reader, bot or portfolio code', () => {
    const files = loaded.get('sync-fanout')!;
    expect(
      under(
        files,
        'shared/bot/',
        'shared/portfolio/',
        'shared/rebalance/',
        'shared/platform/okx/',
        'shared/platform/secrets/secrets-manager.ts',
        'node_modules/@aws-lambda-powertools/parameters/',
        'node_modules/telegraf/',
      ),
    ).toEqual([]);
  });

  it('sync worker: no bot, Telegram or chart code', () => {
    expect(
      under(
        loaded.get('sync-worker')!,
        'shared/bot/',
        'shared/platform/telegram/',
        'shared/platform/chart/',
        'node_modules/telegraf/',
        'node_modules/@resvg/',
      ),
    ).toEqual([]);
  });

  it.each(FUNCTIONS)('%s: neither bundles nor loads Powertools Tracer and the X-Ray SDK with tracing off', (name) => {
    expect(
      under(bundled.get(name)!, 'node_modules/aws-xray-sdk-core/', 'node_modules/@aws-lambda-powertools/tracer/'),
    ).toEqual([]);
  });

  it('miniapp-api: bundles neither the bot, telegraf nor the charts, and loads no OKX client', () => {
    expect(
      under(
        bundled.get('miniapp-api')!,
        'shared/bot/bot.ts',
        'shared/platform/chart/',
        'node_modules/telegraf/',
        'node_modules/@resvg/',
      ),
    ).toEqual([]);
    expect(under(loaded.get('miniapp-api')!, 'shared/platform/okx/', 'shared/portfolio/portfolio-service.ts')).toEqual(
      [],
    );
    expect(under(bundled.get('miniapp-api')!, 'node_modules/@telegram-apps/init-data-node/').length).toBeGreaterThan(0);
  });

  it.each(['health', 'sync-fanout', 'sync-worker', 'bot-registration'] as const)(
    '%s: does not even bundle the bot, telegraf or the charts (the bot part is its own module)',
    (name) => {
      expect(
        under(
          bundled.get(name)!,
          'shared/bot/bot.ts',
          'shared/platform/chart/',
          'node_modules/telegraf/',
          'node_modules/@resvg/',
        ),
      ).toEqual([]);
    },
  );

  it('bot-registration: loads its own Bot API calls and the secrets reader; no bot, telegraf, OKX or store code', () => {
    const files = loaded.get('bot-registration')!;
    expect(
      under(
        files,
        'shared/bot/',
        'shared/platform/okx/',
        'shared/platform/telegram/',
        'shared/sync/',
        'node_modules/telegraf/',
      ),
    ).toEqual([]);
    expect(under(files, 'functions/bot-registration/')).toEqual([
      'functions/bot-registration/bot-api.ts',
      'functions/bot-registration/handler.ts',
      'functions/bot-registration/register-bot.ts',
      'functions/bot-registration/registration-properties.ts',
    ]);
    // The secrets part is built on the first event (a dynamic import), like every other part.
    expect(under(bundled.get('bot-registration')!, 'shared/platform/secrets/secrets-manager.ts')).toHaveLength(1);
  });

  it('telegram-webhook: the bot is in its bundle, loaded when the first update builds it', () => {
    expect(
      under(bundled.get('telegram-webhook')!, 'shared/bot/bot.ts', 'node_modules/telegraf/').length,
    ).toBeGreaterThan(0);
    expect(
      under(loaded.get('telegram-webhook')!, 'shared/bot/bot.ts', 'node_modules/telegraf/src/telegraf.js'),
    ).toEqual([]);
  });
});
