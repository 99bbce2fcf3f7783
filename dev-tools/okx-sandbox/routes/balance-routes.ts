import { Big } from '../big';
import { addressKind, isWalletOnChain, normalizeToken, normalizeWallet, tokenKey } from '../addresses';
import { CHAINS, logoUrl } from '../chains';
import { badParam, missingBody, readChains, readString, readTokenItem, requireChain, tooMany } from '../params';
import type { HoldingView } from '../world';
import type { Route, RouteContext } from './types';

const BASE = '/api/v6/dex/balance';

function readAddress(value: string | undefined): string {
  if (!value || !addressKind(value)) throw badParam('balance', 'address');
  return value;
}

/** excludeRiskToken on the token-list endpoints: "0" filters risk tokens (default), "1" includes them (§6.3). */
function readListRiskFlag(value: string | undefined | null): boolean {
  if (value === undefined || value === null || value === '' || value === '0') return true;
  if (value === '1') return false;
  throw badParam('balance', 'excludeRiskToken');
}

function asset(row: HoldingView) {
  return {
    chainIndex: row.chainIndex,
    tokenContractAddress: row.tokenContractAddress,
    address: row.address,
    symbol: row.symbol,
    balance: row.balance,
    rawBalance: row.rawBalance,
    tokenPrice: row.tokenPrice,
    isRiskToken: row.isRiskToken,
  };
}

function holdingsOn(context: RouteContext, address: string, chains: string[], isRiskExcluded: boolean): HoldingView[] {
  const kind = addressKind(address)!;
  const onChains = chains.filter((chain) => isWalletOnChain(kind, chain));
  return context.world
    .getBalances(address)
    .filter((row) => onChains.includes(row.chainIndex) && !(isRiskExcluded && row.isRiskToken));
}

const chainsParam = (context: RouteContext) =>
  (context.query.get('chains') ?? '').split(',').map((chain) => chain.trim());

export const balanceRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/supported/chain`,
    module: 'balance',
    handle: () =>
      CHAINS.map((chain) => ({
        name: chain.name,
        logoUrl: logoUrl(chain.shortName),
        shortName: chain.shortName,
        chainIndex: chain.chainIndex,
      })),
  },
  {
    method: 'GET',
    path: `${BASE}/total-value-by-address`,
    module: 'balance',
    chainsOf: chainsParam,
    handle(context) {
      const address = readAddress(context.query.get('address') ?? undefined);
      const chains = readChains('balance', context.query, context.options);
      const assetType = context.query.get('assetType') ?? '0';
      if (!['0', '1', '2'].includes(assetType)) throw badParam('balance', 'assetType');
      // Boolean here, "true" by default (§6.2), unlike the "0"/"1" of the token-list endpoints.
      const flag = context.query.get('excludeRiskToken') ?? 'true';
      if (flag !== 'true' && flag !== 'false') throw badParam('balance', 'excludeRiskToken');
      const rows = assetType === '2' ? [] : holdingsOn(context, address, chains, flag === 'true');
      const total = rows.reduce(
        (sum, row) => (row.tokenPrice === '' ? sum : sum.plus(new Big(row.balance).times(row.tokenPrice))),
        new Big(0),
      );
      return [{ totalValue: total.toString() }];
    },
  },
  {
    method: 'GET',
    path: `${BASE}/all-token-balances-by-address`,
    module: 'balance',
    chainsOf: chainsParam,
    handle(context) {
      const address = readAddress(context.query.get('address') ?? undefined);
      const chains = readChains('balance', context.query, context.options);
      const rows = holdingsOn(context, address, chains, readListRiskFlag(context.query.get('excludeRiskToken')));
      return [{ tokenAssets: rows.map(asset) }];
    },
  },
  {
    method: 'POST',
    path: `${BASE}/token-balances-by-address`,
    module: 'balance',
    chainsOf: (context) => {
      const list = (context.body as { tokenContractAddresses?: unknown } | undefined)?.tokenContractAddresses;
      return Array.isArray(list) ? list.map((item) => readString(item, 'chainIndex') ?? '') : [];
    },
    handle(context) {
      if (context.body === undefined) throw missingBody('balance');
      const address = readAddress(readString(context.body, 'address'));
      const list = (context.body as { tokenContractAddresses?: unknown }).tokenContractAddresses;
      if (!Array.isArray(list) || list.length === 0) throw badParam('balance', 'tokenContractAddresses');
      if (list.length > 20) throw tooMany('balance', 'tokenContractAddresses', 20, context.options);
      const isRiskExcluded = readListRiskFlag(readString(context.body, 'excludeRiskToken'));
      const held = new Map(
        context.world.getBalances(address).map((row) => [tokenKey(row.chainIndex, row.tokenContractAddress), row]),
      );
      const kind = addressKind(address)!;
      const rows: HoldingView[] = [];
      for (const item of list) {
        const { chainIndex, tokenAddress } = readTokenItem('balance', item, 'tokenContractAddresses');
        requireChain('balance', chainIndex);
        if (!isWalletOnChain(kind, chainIndex)) continue;
        const token = context.world.findToken(chainIndex, tokenAddress);
        if (!token) continue;
        const key = tokenKey(chainIndex, normalizeToken(chainIndex, tokenAddress));
        // A known token the wallet does not hold is reported with balance "0".
        rows.push(
          held.get(key) ?? {
            chainIndex,
            tokenContractAddress: token.address,
            address: normalizeWallet(address),
            symbol: token.symbol,
            balance: '0',
            rawBalance: '0',
            tokenPrice: token.priceUsd ?? '',
            isRiskToken: token.isRiskToken,
            decimals: token.decimals,
          },
        );
      }
      return [{ tokenAssets: rows.filter((row) => !(isRiskExcluded && row.isRiskToken)).map(asset) }];
    },
  },
];
