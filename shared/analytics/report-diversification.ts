import { toDecimal } from '../kernel/decimal';
import type { DiversificationReport, RiskFlag, Sector } from '../kernel/types';
import { escapeHtml } from '../platform/telegram/messages';
import { formatQuantity, formatShare, shortenAddress } from '../platform/telegram/money-format';
import { chainInfo, chainName } from '../kernel/chains';

/** What the chat and the dashboard call each sector. */
export const SECTOR_LABELS: Record<Sector, string> = {
  stablecoin: 'Stablecoins',
  l1: 'Layer 1',
  l2: 'Layer 2',
  defi: 'DeFi',
  meme: 'Meme',
  rwa: 'Real-world assets',
  'liquid-staking': 'Liquid staking',
  exchange: 'Exchange tokens',
  other: 'Other',
};

export interface DiversificationLabels {
  /** Display symbol per canonical asset id (flags name assets by id). */
  readonly assetSymbol: (assetId: string) => string;
  /** The user's label for a wallet, when it has one (flags otherwise name the wallet by short address). */
  readonly walletLabel?: (walletId: string) => string | undefined;
}

/** Said under every diversification figure, in the chat and on the dashboard. */
export const DIVERSIFICATION_CAVEAT =
  'Crypto assets tend to move together, so the real diversification is lower than these numbers suggest.';

/** "Savings (0x12ab…cdef)" or "0x12ab…cdef": which wallet a flag comes from. */
function walletName(flag: RiskFlag, labels: DiversificationLabels): string {
  const address = shortenAddress(flag.walletAddress ?? '');
  const label = flag.walletId === undefined ? undefined : labels.walletLabel?.(flag.walletId);
  return escapeHtml(label ? `${label} (${address})` : address);
}

/** Concentration in plain words: effective number of assets, biggest exposures, and what to watch. */
export function renderDiversification(report: DiversificationReport, labels: DiversificationLabels): string {
  const share = (value: string) => escapeHtml(formatShare(value));
  const lines = [
    '🧩 <b>Diversification</b>',
    `Effective number of assets: <b>${toDecimal(report.effectiveAssets).toFixed(1)}</b> (HHI ${toDecimal(report.hhi).toFixed(3)})`,
    `Largest asset: ${share(report.top1Share)} · top 3: ${share(report.top3Share)}`,
    `Stablecoins: ${share(report.stablecoinShare)}`,
    `<b>By sector:</b> ${report.sectors.map((row) => `${escapeHtml(SECTOR_LABELS[row.sector])} ${share(row.share)}`).join(' · ')}`,
    `<b>By chain:</b> ${report.chains.map((row) => `${escapeHtml(chainName(row.chainIndex))} ${share(row.share)}`).join(' · ')}`,
  ];
  if (report.flags.length > 0) {
    lines.push('', '⚠️ <b>Risk flags</b>', ...report.flags.map((flag) => `• ${describeFlag(flag, labels)}`));
  }
  lines.push(`<i>${DIVERSIFICATION_CAVEAT}</i>`);
  return lines.join('\n');
}

/** One sentence per flag, saying what it means for the user rather than naming the metric. */
export function describeFlag(flag: RiskFlag, labels: DiversificationLabels): string {
  const share = flag.share === undefined ? '' : `${escapeHtml(formatShare(flag.share))} `;
  const limit = escapeHtml(formatShare(flag.threshold));
  switch (flag.kind) {
    case 'asset-concentration':
      return `${escapeHtml(labels.assetSymbol(flag.subject))} is ${share}of your portfolio (above ${limit}): one asset drives most of your ups and downs.`;
    case 'sector-concentration':
      return `${escapeHtml(SECTOR_LABELS[flag.subject as Sector] ?? flag.subject)} makes up ${share}of your portfolio (above ${limit}): one theme going out of favour would hit most of it.`;
    case 'chain-concentration':
      return `${share}sits on ${escapeHtml(chainName(flag.subject))} (above ${limit}): an outage or bridge problem there would affect most of your funds.`;
    case 'low-gas-reserve':
      return describeLowGas(flag, labels);
  }
}

/** Names the wallet and chain: gas is paid per wallet, so another wallet's coins do not help. */
function describeLowGas(flag: RiskFlag, labels: DiversificationLabels): string {
  const chain = escapeHtml(chainName(flag.subject));
  if (flag.walletAddress === undefined)
    return `Low gas on ${chain}: keep a little of the native coin there to pay for transactions.`;
  const coin = escapeHtml(chainInfo(flag.subject)?.nativeSymbol ?? 'native coin');
  const held = escapeHtml(formatQuantity(flag.nativeBalance ?? '0'));
  return `Low gas in wallet ${walletName(flag, labels)} on ${chain}: it holds tokens there but only ${held} ${coin} (keep at least ${escapeHtml(flag.threshold)} ${coin} in that wallet to pay for transactions).`;
}
