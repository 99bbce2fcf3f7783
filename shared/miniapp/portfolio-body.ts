import { toDecimal } from '../kernel/decimal';
import { chainName } from '../kernel/chains';
import type { DiversificationReport, PortfolioView, RiskFlag, Sector } from '../kernel/types';
import type { WalletSummary } from '../wallets/wallets-port';
import { DIVERSIFICATION_CAVEAT, SECTOR_LABELS, describeFlag } from '../portfolio/report-message';
import { htmlToPlainText } from '../platform/telegram/messages';

/** Whole seconds from `iso` to `now`, never negative (a clock a little ahead never shows "-3 s"). */
export function ageSecondsOf(iso: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
}

const sectorRows = (rows: DiversificationReport['sectors']) =>
  rows.map((row) => ({ sector: row.sector, label: SECTOR_LABELS[row.sector], share: row.share }));

/** GET /miniapp/api/portfolio: the /portfolio view with the Report's sector shares and the wallets' labels. */
export function portfolioBody(
  view: PortfolioView,
  diversification: DiversificationReport,
  wallets: readonly WalletSummary[],
  now: Date,
) {
  const change = view.change24h;
  return {
    generatedAt: now.toISOString(),
    totalValueUsd: view.totalValueUsd,
    ...(change
      ? {
          change24h: {
            ...change,
            isPartial: !toDecimal(change.coveredValueUsd).eq(toDecimal(change.totalValueUsd)),
          },
        }
      : {}),
    ...(view.asOf ? { asOf: view.asOf, ageSeconds: ageSecondsOf(view.asOf, now) } : {}),
    allocation: {
      assets: view.assets.map(({ tokens: _tokens, ...asset }) => asset),
      chains: view.chains.map((chain) => ({ ...chain, name: chainName(chain.chainIndex) })),
      sectors: sectorRows(diversification.sectors),
    },
    wallets: view.wallets.map((total) => walletRow(total, wallets, now)),
    notes: {
      staleWallets: view.staleWallets,
      unpricedTokens: view.unpricedTokens,
      hiddenRiskTokens: view.hiddenRiskTokens,
    },
  };
}

function walletRow(total: PortfolioView['wallets'][number], wallets: readonly WalletSummary[], now: Date) {
  const wallet = wallets.find((candidate) => candidate.walletId === total.walletId);
  return {
    walletId: total.walletId,
    address: total.address,
    ...(wallet?.label ? { label: wallet.label } : {}),
    ...(wallet ? { family: wallet.family, chains: wallet.chains } : {}),
    valueUsd: total.valueUsd,
    ...(total.lastSyncedAt
      ? { lastSyncedAt: total.lastSyncedAt, ageSeconds: ageSecondsOf(total.lastSyncedAt, now) }
      : {}),
    ...(total.staleSince ? { staleSince: total.staleSince } : {}),
  };
}

/** GET /miniapp/api/diversification: the Report's figures, each flag with the chat's sentence as plain text. */
export function diversificationBody(
  report: DiversificationReport,
  view: PortfolioView,
  wallets: readonly WalletSummary[],
  now: Date,
) {
  const symbols = new Map(view.assets.map((asset) => [asset.assetId, asset.symbol]));
  const labels = new Map(wallets.flatMap((wallet) => (wallet.label ? [[wallet.walletId, wallet.label] as const] : [])));
  const names = {
    assetSymbol: (assetId: string) => symbols.get(assetId) ?? assetId,
    walletLabel: (walletId: string) => labels.get(walletId),
  };
  return {
    generatedAt: now.toISOString(),
    hhi: report.hhi,
    effectiveAssets: report.effectiveAssets,
    top1Share: report.top1Share,
    top3Share: report.top3Share,
    stablecoinShare: report.stablecoinShare,
    sectors: sectorRows(report.sectors),
    chains: report.chains.map((row) => ({ ...row, name: chainName(row.chainIndex) })),
    flags: report.flags.map((flag) => ({
      ...flag,
      subjectLabel: subjectLabel(flag, names.assetSymbol),
      message: htmlToPlainText(describeFlag(flag, names)),
    })),
    caveat: DIVERSIFICATION_CAVEAT,
  };
}

function subjectLabel(flag: RiskFlag, assetSymbol: (assetId: string) => string): string {
  if (flag.kind === 'asset-concentration') return assetSymbol(flag.subject);
  if (flag.kind === 'sector-concentration') return SECTOR_LABELS[flag.subject as Sector] ?? flag.subject;
  return chainName(flag.subject);
}
