import { CHAINS, isTradeChain, logoUrl, type SandboxChain } from '../chains';
import { gasLimitFor, inputDataOf } from './tx-reports';
import { bodyField, gatewayChain } from './tx-routes';
import type { Route } from './types';

const BASE = '/api/v6/dex';

const scale = (wei: string, numerator: bigint, denominator: bigint) =>
  ((BigInt(wei) * numerator) / denominator).toString();

function gasPrice(chain: SandboxChain) {
  if (chain.kind === 'solana') {
    return {
      priorityFee: {
        proposePriorityFee: '120000',
        safePriorityFee: '60000',
        fastPriorityFee: '500000',
        extremePriorityFee: '2000000',
      },
    };
  }
  const base = {
    normal: chain.gasPriceWei,
    min: scale(chain.gasPriceWei, 3n, 4n),
    max: scale(chain.gasPriceWei, 7n, 5n),
    supporteip1559: chain.supportsEip1559,
  };
  if (!chain.supportsEip1559) return base;
  const baseFee = scale(chain.gasPriceWei, 4n, 5n);
  return {
    ...base,
    eip1559Protocol: {
      suggestBaseFee: scale(baseFee, 5n, 4n),
      baseFee,
      proposePriorityFee: scale(chain.gasPriceWei, 1n, 10n),
      safePriorityFee: scale(chain.gasPriceWei, 1n, 20n),
      fastPriorityFee: scale(chain.gasPriceWei, 1n, 5n),
    },
  };
}

/** Gas and chain lookups; simulate, broadcast, orders and history live in tx-routes.ts and tx-reports.ts. */
export function createGatewayRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: `${BASE}/pre-transaction/supported/chain`,
      module: 'gateway',
      handle: () =>
        CHAINS.filter(isTradeChain).map((chain) => ({
          name: chain.name,
          logoUrl: logoUrl(chain.shortName),
          shortName: chain.shortName,
          chainIndex: chain.chainIndex,
        })),
    },
    {
      method: 'GET',
      path: `${BASE}/pre-transaction/gas-price`,
      module: 'gateway',
      handle: (context) => [gasPrice(gatewayChain(context.query.get('chainIndex') ?? ''))],
    },
    {
      method: 'POST',
      path: `${BASE}/pre-transaction/gas-limit`,
      module: 'gateway',
      handle(context) {
        gatewayChain(bodyField(context, 'chainIndex'));
        bodyField(context, 'fromAddress');
        bodyField(context, 'toAddress');
        return [{ gasLimit: gasLimitFor(inputDataOf(context)) }];
      },
    },
  ];
}
