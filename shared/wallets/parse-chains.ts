/** Names users type for the chains they meet most (and the OKX chain index for each). */
const CHAIN_ALIASES: Readonly<Record<string, string>> = {
  ethereum: '1',
  eth: '1',
  mainnet: '1',
  optimism: '10',
  op: '10',
  bsc: '56',
  bnb: '56',
  polygon: '137',
  matic: '137',
  tron: '195',
  trx: '195',
  xlayer: '196',
  zksync: '324',
  solana: '501',
  sol: '501',
  mantle: '5000',
  base: '8453',
  arbitrum: '42161',
  arb: '42161',
  avalanche: '43114',
  avax: '43114',
  linea: '59144',
  blast: '81457',
  scroll: '534352',
};

export type ParsedChains =
  { readonly ok: true; readonly chains: readonly string[] } | { readonly ok: false; readonly unknown: string };

/** "ethereum,base 42161" -> ["1", "8453", "42161"]; numbers pass through (the domain checks support). */
export function parseChains(words: readonly string[]): ParsedChains {
  const chains: string[] = [];
  for (const word of words.flatMap((item) => item.split(',')).filter((item) => item !== '')) {
    const chain = /^\d{1,9}$/.test(word) ? word : CHAIN_ALIASES[word.toLowerCase()];
    if (!chain) return { ok: false, unknown: word };
    if (!chains.includes(chain)) chains.push(chain);
  }
  return { ok: true, chains };
}

export const KNOWN_CHAIN_NAMES =
  'ethereum, base, arbitrum, optimism, polygon, bsc, avalanche, linea, zksync, scroll, blast, mantle, xlayer, solana, tron';
