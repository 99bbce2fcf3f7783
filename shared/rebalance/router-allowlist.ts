/**
 * OKX's DEX routers per chain: a swap transaction must be sent to one of these (or to the spender OKX's approve
 * endpoint names). Seeded from every revision of OKX's "Smart Contract" page seen (`/onchainos/dev-docs/trade/
 * dex-smart-contract`, its `.md` and `/ko/` copies, `/zh-hant/` and the v5 `/dev-docs-v5/dex-api/` page), because
 * OKX upgrades routers and the API may return a newer one before or after the page changes; Ethereum also has the
 * router of a real 2026 swap answer (okx-api §9.6). OKX_ROUTER_ALLOWLIST adds to it without a release.
 */
export type RouterAllowlist = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_ROUTERS: RouterAllowlist = {
  '1': [
    '0x8feab81d36e7576107d5de0758c1b839be31b4f6',
    '0x28b1dc1a5e3699a428bc51d234dfab7c9cb2a183',
    '0x2e1dee213ba8d7af0934c49a23187babeaca8764',
    '0x5e1f62dac767b0491e3ce72469c217365d5b48cc',
  ],
  '10': [
    '0x1f5b43127414e36c31ecb5ff5567262997cd24d0',
    '0xdd5e9b947c99aa60bab00ca4631dce63b49983e7',
    '0x86f752f1f662f39bfbcbef95ee56b6c20d178969',
  ],
  '56': [
    '0x5994814f2c4040b863a0125a45de152a8c2a4dec',
    '0x62ccef0b4545166f721caa9fee13c1d3767e27dc',
    '0x6015126d7d23648c2e4466693b8deab005ffaba8',
  ],
  '137': [
    '0x3c4829196bfadff4394726b45159aeaac6fcd41c',
    '0xf6e1b4b201e220fc3741bd7a75675ffea25c02ad',
    '0xf5402ccc5fc3181b45d7571512999d3eea0257b6',
  ],
  '146': [
    '0xd72f9af181a0eb1b8550a00124ecdb71bb758c89',
    '0x79f7c6c6dc16ed3154e85a8ef9c1ef31cefaeb19',
    '0x8feb9e84b7e9dc86adc6cd6eb554c5b4355c8405',
  ],
  '250': [
    '0xd72f9af181a0eb1b8550a00124ecdb71bb758c89',
    '0x25e7f77f33206d311a0130d4b5b881e5db1181b1',
    '0x5e2f47bd7d4b357fcfd0bb224eb665773b1b9801',
  ],
  '324': [
    '0x46edecea0228f04ab88dc34be98314863ba40be0',
    '0x6f7c20464258c732577c87a9b467619e03e5c158',
    '0x010bc6b1014e5ed8284ab0667b116aab99588159',
  ],
  '5000': ['0xcf76984119c7f6ae56fafe680d39c08278b7ecf4', '0x69c236e021f5775b0d0328ded5eac708e3b869df'],
  '8453': ['0xc8f6b8ba0dc0f175b568b99440b0867f69a29265', '0x5e2f47bd7d4b357fcfd0bb224eb665773b1b9801'],
  '42161': ['0x7cf6b330b437e9fb432b1400de17b03357cf049a', '0x5e2f47bd7d4b357fcfd0bb224eb665773b1b9801'],
  '43114': [
    '0xab96dcfa7a7d669d9bf5918fab8641479973dd0a',
    '0xa94fcf9fc56a864f8de51e6315aee5863ad63c91',
    '0x79f7c6c6dc16ed3154e85a8ef9c1ef31cefaeb19',
  ],
  '59144': ['0x2e1dee213ba8d7af0934c49a23187babeaca8764', '0x6f7c20464258c732577c87a9b467619e03e5c158'],
  '534352': ['0x5e2f47bd7d4b357fcfd0bb224eb665773b1b9801', '0x86f752f1f662f39bfbcbef95ee56b6c20d178969'],
  '501': ['proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u', '6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma'],
};

export class RouterAllowlistError extends Error {
  constructor(reason: string) {
    super(`OKX_ROUTER_ALLOWLIST ${reason}: expected JSON {"<chainIndex>": ["<router address>", ...]}`);
    this.name = 'RouterAllowlistError';
  }
}

/** The built-in routers plus OKX_ROUTER_ALLOWLIST's (fails fast on a malformed setting). EVM addresses lower-cased. */
export function readRouterAllowlist(setting: string | undefined): RouterAllowlist {
  if (setting === undefined || setting.trim() === '') return DEFAULT_ROUTERS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(setting);
  } catch {
    throw new RouterAllowlistError('is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new RouterAllowlistError('is not an object');
  const merged: Record<string, string[]> = Object.fromEntries(
    Object.entries(DEFAULT_ROUTERS).map(([chain, routers]) => [chain, [...routers]]),
  );
  for (const [chain, routers] of Object.entries(parsed)) {
    if (!/^\d+$/.test(chain)) throw new RouterAllowlistError(`has a chain key "${chain}" that is not a chainIndex`);
    if (!Array.isArray(routers) || routers.some((router) => typeof router !== 'string' || router === ''))
      throw new RouterAllowlistError(`has a non-list or an empty address for chain ${chain}`);
    const normalised = (routers as string[]).map((router) => (router.startsWith('0x') ? router.toLowerCase() : router));
    merged[chain] = [...new Set([...(merged[chain] ?? []), ...normalised])];
  }
  return merged;
}
