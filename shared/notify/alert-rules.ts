import { HUNDRED, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { DecimalString, DiversificationReport, IsoTime, PortfolioView, RiskFlag, Sector } from '../kernel/types';

/**
 * The alert rules (issue 14): each turns figures the portfolio already computes (the live view, the
 * diversification report, a rebalance plan's allocation) into observations, one per subject (asset,
 * sector, chain, wallet, wallet × chain) with the measured value and the two thresholds of its hysteresis.
 * Pure: no I/O, no clock (the caller passes `now`).
 */
export const ALERT_RULE_IDS = ['drift', 'asset', 'sector', 'chain', 'depeg', 'move', 'stale', 'gas'] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

export function isAlertRuleId(value: string): value is AlertRuleId {
  return (ALERT_RULE_IDS as readonly string[]).includes(value);
}

export interface AlertRuleDefinition {
  readonly id: AlertRuleId;
  /** What /alerts shows. */
  readonly title: string;
  /** The default trigger threshold, in `unit`. */
  readonly defaultThreshold: DecimalString;
  readonly unit: '%' | 'pp' | 'min' | '% of reserve';
  /** The values the − / + buttons step through (a typed value may be anything in [min, max]). */
  readonly steps: readonly DecimalString[];
  readonly min: DecimalString;
  readonly max: DecimalString;
  /** The clear threshold for a trigger threshold: inside it, so a value hovering at the trigger does not flap. */
  clearOf(trigger: Decimal): Decimal;
}

const minus = (gap: string) => (trigger: Decimal) => trigger.minus(gap);
const times = (factor: string) => (trigger: Decimal) => trigger.times(factor);

export const ALERT_RULES: Readonly<Record<AlertRuleId, AlertRuleDefinition>> = {
  // The rebalance's own absolute band (Swedroe 5, DEFAULT_REBALANCE_OPTIONS.absoluteBandPp); clears at 80 % of the band.
  drift: rule('drift', 'Drift outside the target band', '5', 'pp', ['2', '3', '5', '7.5', '10', '15'], times('0.8')),
  asset: rule('asset', 'One non-stable asset above', '50', '%', ['30', '40', '50', '60', '70', '80', '90'], minus('2')),
  sector: rule('sector', 'One sector above', '50', '%', ['30', '40', '50', '60', '70', '80', '90'], minus('2')),
  chain: rule('chain', 'One chain above', '80', '%', ['50', '60', '70', '80', '90', '95'], minus('2')),
  depeg: rule('depeg', 'Stablecoin off its $1 peg by', '2', '%', ['0.5', '1', '2', '3', '5'], times('0.75')),
  move: rule('move', 'Portfolio up or down in 24 h by', '10', '%', ['5', '10', '15', '20', '30'], minus('2')),
  stale: rule('stale', 'Wallet not synced for', '60', 'min', ['30', '60', '120', '240', '720'], times('0.5')),
  // Below this share of the chain's gas reserve (the native amount a rebalance never sells); clears at 125 % of it.
  gas: rule('gas', 'Gas below', '100', '% of reserve', ['50', '100', '150', '200'], times('1.25')),
};

function rule(
  id: AlertRuleId,
  title: string,
  defaultThreshold: string,
  unit: AlertRuleDefinition['unit'],
  steps: string[],
  clearOf: (trigger: Decimal) => Decimal,
): AlertRuleDefinition {
  return { id, title, defaultThreshold, unit, steps, min: steps[0]!, max: steps.at(-1)!, clearOf };
}

/** The next (+1) or previous (−1) step from a threshold; a value between steps moves to the neighbouring one. */
export function stepThreshold(ruleId: AlertRuleId, current: DecimalString, direction: 1 | -1): DecimalString {
  const steps = ALERT_RULES[ruleId].steps.map((step) => toDecimal(step));
  const value = toDecimal(current);
  const next =
    direction > 0 ? steps.find((step) => step.gt(value)) : [...steps].reverse().find((step) => step.lt(value));
  return (next ?? value).toString();
}

/** True for a threshold a user may set for this rule (within its first and last step). */
export function isThresholdAllowed(ruleId: AlertRuleId, value: DecimalString): boolean {
  const definition = ALERT_RULES[ruleId];
  const decimal = toDecimal(value);
  return decimal.gte(toDecimal(definition.min)) && decimal.lte(toDecimal(definition.max));
}

/** Where and what an alert is about, for its message line. */
export interface AlertDetail {
  readonly label: string;
  readonly chains?: readonly string[];
  readonly walletId?: string;
  readonly walletAddress?: string;
  /** Extra figures the message names (the target of a drift, the reserve of a gas alert, the 24 h change in USD). */
  readonly figures?: Readonly<Record<string, DecimalString>>;
}

export interface AlertObservation {
  readonly rule: AlertRuleId;
  /** Stable per subject: asset id, sector, chain index, wallet id, `chain|wallet`, 'down' / 'up'. */
  readonly subject: string;
  /** The measured value in the rule's unit. */
  readonly value: DecimalString;
  readonly trigger: DecimalString;
  readonly clear: DecimalString;
  /** 'above': bad when value > trigger, cleared when value ≤ clear; 'below' the mirror image. */
  readonly direction: 'above' | 'below';
  readonly detail: AlertDetail;
}

/** What the rules read: the figures the portfolio already computed for this user, right after their sync. */
export interface AlertFigures {
  readonly now: Date;
  readonly view: PortfolioView;
  /**
   * Shares and flags of analyseDiversification, run with `gasReserveShare` = the gas rule's clear threshold, so
   * its low-gas flags list every wallet × chain below the clear level (the rule triggers below its own threshold).
   */
  readonly diversification: DiversificationReport;
  /** The saved target's allocation from planRebalance (absolute band = the drift threshold); absent without a target. */
  readonly drift?: readonly { assetId: string; symbol: string; current: string; target: string; band: string }[];
}

/** The trigger threshold per enabled rule (a disabled rule observes nothing, so its open episodes clear). */
export type RuleThresholds = Partial<Record<AlertRuleId, DecimalString>>;

/** Every observation of the enabled rules. Subjects are included below their trigger too: the hysteresis needs them. */
export function observeRules(figures: AlertFigures, thresholds: RuleThresholds): AlertObservation[] {
  const out: AlertObservation[] = [];
  for (const id of ALERT_RULE_IDS) {
    const threshold = thresholds[id];
    if (threshold === undefined) continue;
    const trigger = toDecimal(threshold);
    const clear = ALERT_RULES[id].clearOf(trigger);
    const make = (
      subject: string,
      value: Decimal,
      detail: AlertDetail,
      direction: AlertObservation['direction'] = 'above',
      bounds = { trigger, clear },
    ): AlertObservation => ({
      rule: id,
      subject,
      value: value.toString(),
      trigger: bounds.trigger.toString(),
      clear: bounds.clear.toString(),
      direction,
      detail,
    });
    out.push(...OBSERVERS[id](figures, make, thresholds));
  }
  return out;
}

type Make = (
  subject: string,
  value: Decimal,
  detail: AlertDetail,
  direction?: AlertObservation['direction'],
  bounds?: { trigger: Decimal; clear: Decimal },
) => AlertObservation;

const percentOf = (fraction: string) => toDecimal(fraction).times(HUNDRED);

/** Sectors never alerted, as in the diversification flags: stablecoins are dry powder, 'other' is not a theme. */
const QUIET_SECTORS: ReadonlySet<Sector> = new Set<Sector>(['stablecoin', 'other']);

const OBSERVERS: Record<
  AlertRuleId,
  (figures: AlertFigures, make: Make, thresholds: RuleThresholds) => AlertObservation[]
> = {
  drift: (figures, make) =>
    (figures.drift ?? []).map((row) => {
      // The plan's bands already carry the user's absolute band: breached as in isBreached (strictly outside).
      const band = percentOf(row.band);
      return make(
        row.assetId,
        percentOf(row.current).minus(percentOf(row.target)).abs(),
        { label: row.symbol, figures: { current: row.current, target: row.target, band: row.band } },
        'above',
        { trigger: band, clear: ALERT_RULES.drift.clearOf(band) },
      );
    }),
  asset: (figures, make) =>
    figures.view.assets
      .filter((asset) => asset.share !== undefined && asset.sector !== 'stablecoin')
      .map((asset) =>
        make(asset.assetId, percentOf(asset.share!), {
          label: asset.symbol,
          chains: asset.chains,
          figures: { valueUsd: asset.valueUsd ?? '0' },
        }),
      ),
  sector: (figures, make, thresholds) => {
    const assetsIn = (sector: string) =>
      figures.view.assets.filter((asset) => asset.sector === sector && asset.share !== undefined);
    return figures.diversification.sectors
      .filter((row) => !QUIET_SECTORS.has(row.sector))
      .filter((row) => thresholds.asset === undefined || assetsIn(row.sector).length !== 1)
      .map((row) => make(row.sector, percentOf(row.share), { label: row.sector }));
  },
  chain: (figures, make) =>
    figures.diversification.chains.map((row) =>
      make(row.chainIndex, percentOf(row.share), { label: row.chainIndex, chains: [row.chainIndex] }),
    ),
  depeg: (figures, make) =>
    figures.view.assets
      .filter((asset) => asset.sector === 'stablecoin' && asset.priceUsd !== undefined)
      .map((asset) =>
        make(asset.assetId, toDecimal(asset.priceUsd!).minus('1').abs().times(HUNDRED), {
          label: asset.symbol,
          chains: asset.chains,
          figures: { priceUsd: asset.priceUsd! },
        }),
      ),
  move: (figures, make) => {
    const change = figures.view.change24h;
    if (!isWholeChange(change)) return [];
    const percent = percentOf(change.relative);
    const detail = { label: 'portfolio', figures: { relative: change.relative, absoluteUsd: change.absoluteUsd } };
    return [make('down', percent.neg(), detail), make('up', percent, detail)];
  },
  stale: (figures, make) =>
    figures.view.wallets
      .filter((wallet) => wallet.lastSyncedAt !== undefined)
      .map((wallet) =>
        make(wallet.walletId, minutesSince(wallet.lastSyncedAt!, figures.now), {
          label: wallet.address,
          walletId: wallet.walletId,
          walletAddress: wallet.address,
          figures: { lastSyncedAt: wallet.lastSyncedAt! },
        }),
      ),
  gas: (figures, make, thresholds) =>
    figures.diversification.flags
      .filter((flag): flag is RiskFlag & { walletId: string } => flag.kind === 'low-gas-reserve' && !!flag.walletId)
      .map((flag) => {
        // The flag's threshold is the reserve × the clear share; the trigger is the reserve × the rule's share.
        const share = toDecimal(thresholds.gas!).div(HUNDRED);
        const clear = toDecimal(flag.threshold);
        const reserve = clear.div(ALERT_RULES.gas.clearOf(share));
        return make(
          `${flag.subject}|${flag.walletId}`,
          toDecimal(flag.nativeBalance ?? '0'),
          {
            label: flag.subject,
            chains: [flag.subject],
            walletId: flag.walletId,
            walletAddress: flag.walletAddress,
            figures: { reserve: reserve.times(share).toString() },
          },
          'below',
          { trigger: reserve.times(share), clear },
        );
      }),
};

function minutesSince(iso: IsoTime, now: Date): Decimal {
  const ms = now.getTime() - Date.parse(iso);
  return ms <= 0 ? ZERO : toDecimal(String(Math.floor(ms / 1000))).div('60');
}

/**
 * Rules whose figures are missing this time (no 24 h baseline for the whole portfolio: the points around 24 h
 * ago were incomplete, or the history is younger than a day): their open episodes are kept as they are, neither cleared nor repeated.
 */
export function inconclusiveRules(figures: AlertFigures): ReadonlySet<AlertRuleId> {
  return new Set<AlertRuleId>(isWholeChange(figures.view.change24h) ? [] : ['move']);
}

type WholeChange = NonNullable<PortfolioView['change24h']> & { readonly relative: string };

/**
 * The 24 h change speaks for the portfolio only when it covers all of it: when some holdings have no price 24 h
 * ago (their chain was down then, so neither its snapshot nor its slot prices exist), the change of the rest is
 * not "the portfolio moved", and it would flap as the coverage comes and goes.
 */
function isWholeChange(change: PortfolioView['change24h']): change is WholeChange {
  return change?.relative !== undefined && toDecimal(change.coveredValueUsd).eq(toDecimal(change.totalValueUsd));
}

/** The gas share (a fraction) to run analyseDiversification with: the gas rule's clear level. */
export function gasFlagShare(thresholds: RuleThresholds): DecimalString | undefined {
  const gas = thresholds.gas;
  return gas === undefined ? undefined : ALERT_RULES.gas.clearOf(toDecimal(gas).div(HUNDRED)).toString();
}

// --- The hysteresis: one condition's episode, step by step ---

/**
 * Hysteresis for one alert subject (issue 14): an episode starts when the value crosses the trigger threshold
 * and ends only when it comes back inside the clear threshold, which lies inside the trigger (trigger 50 %,
 * clear 48 %). A value hovering between the two changes nothing, so an alert never flaps.
 */
export interface Thresholds {
  readonly value: DecimalString;
  readonly trigger: DecimalString;
  readonly clear: DecimalString;
  /** 'above': bad above the trigger (a share, a drift); 'below': bad below it (a gas balance). */
  readonly direction: 'above' | 'below';
}

export type EpisodeStep = 'start' | 'clear' | 'none';

/** Strictly past the trigger: a value exactly at the threshold does not alert (like a rebalance band edge). */
export function isTriggered(reading: Thresholds): boolean {
  const value = toDecimal(reading.value);
  return reading.direction === 'above' ? value.gt(reading.trigger) : value.lt(reading.trigger);
}

/** Back inside the clear threshold (at it counts as back). */
function isCleared(reading: Thresholds): boolean {
  const value = toDecimal(reading.value);
  return reading.direction === 'above' ? value.lte(reading.clear) : value.gte(reading.clear);
}

/**
 * One step of one subject: `reading` undefined means the subject is gone (the asset sold, the wallet removed,
 * the rule switched off), which ends an open episode.
 */
export function stepEpisode(isActive: boolean, reading: Thresholds | undefined): EpisodeStep {
  if (!isActive) return reading !== undefined && isTriggered(reading) ? 'start' : 'none';
  return reading === undefined || isCleared(reading) ? 'clear' : 'none';
}

/** The steps of a whole sequence of readings for one subject, from no open episode. */
export function replayEpisodes(readings: readonly (Thresholds | undefined)[]): EpisodeStep[] {
  let isActive = false;
  return readings.map((reading) => {
    const step = stepEpisode(isActive, reading);
    if (step === 'start') isActive = true;
    if (step === 'clear') isActive = false;
    return step;
  });
}

// --- The alert plan ---

/** Per-user alert settings (issue 14): rules on/off with thresholds, a global mute, quiet hours and a daily cap. */
export interface AlertSettings {
  readonly rules: Readonly<Record<AlertRuleId, { readonly on: boolean; readonly threshold: DecimalString }>>;
  /** Episodes are still tracked, but none is sent (nor sent later): a muted bot says nothing. */
  readonly muted: boolean;
  /** Local hours [start, end), wrapping midnight (22 → 7); absent: no quiet hours. */
  readonly quietHours?: { readonly start: number; readonly end: number };
  /** At most this many alerts a local day. */
  readonly dailyCap: number;
}

export const DEFAULT_DAILY_CAP = 5;
export const MAX_DAILY_CAP = 20;

export function defaultAlertSettings(): AlertSettings {
  const rules = Object.fromEntries(
    ALERT_RULE_IDS.map((id) => [id, { on: true, threshold: ALERT_RULES[id].defaultThreshold }]),
  ) as AlertSettings['rules'];
  return { rules, muted: false, dailyCap: DEFAULT_DAILY_CAP };
}

/** The trigger thresholds of the rules that are on. */
export function thresholdsOf(settings: AlertSettings): RuleThresholds {
  return Object.fromEntries(
    ALERT_RULE_IDS.filter((id) => settings.rules[id].on).map((id) => [id, settings.rules[id].threshold]),
  );
}

/** The user's local calendar date (YYYY-MM-DD) and hour (0–23) in an IANA time zone. */
export function localTime(now: Date, timeZone: string): { readonly date: string; readonly hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((item) => item.type === type)!.value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

/** Inside [start, end), wrapping midnight; start = end means no quiet hours. */
export function isQuietHour(hour: number, quiet: AlertSettings['quietHours']): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/**
 * An open episode: 'pending' (started, not yet sent: quiet hours, or the send failed), 'sent', 'capped' (over the
 * daily cap: never sent), 'muted' (started while the user had muted alerts: never sent).
 */
export type AlertStatus = 'pending' | 'sent' | 'capped' | 'muted';

export interface AlertState {
  readonly rule: AlertRuleId;
  readonly subject: string;
  readonly episodeStart: IsoTime;
  readonly status: AlertStatus;
  /** The value when the episode started, and what the message names. */
  readonly value: DecimalString;
  readonly detail: AlertDetail;
}

export const alertKey = (alert: { readonly rule: AlertRuleId; readonly subject: string }) =>
  `${alert.rule}#${alert.subject}`;

export interface AlertPlan {
  /** New episodes: write each with a condition that no episode is open for its subject. */
  readonly starts: readonly AlertState[];
  /** Open episodes whose condition cleared (or whose subject or rule is gone): delete, held or not. */
  readonly clears: readonly AlertState[];
  /** Open, pending episodes to send now (not in quiet hours), in rule order. */
  readonly deliverable: readonly AlertState[];
}

/**
 * One evaluation: each observation and open episode through the hysteresis. A pending alert whose condition
 * cleared during quiet hours is dropped with its episode (telling the user about something no longer true is
 * noise); one still open when quiet hours end is sent then.
 */
export function planAlerts(input: {
  readonly states: readonly AlertState[];
  readonly observations: readonly AlertObservation[];
  readonly now: Date;
  readonly isMuted: boolean;
  readonly isQuiet: boolean;
  /** Rules that could not be judged this time: their open episodes stay open. */
  readonly inconclusive?: ReadonlySet<AlertRuleId>;
}): AlertPlan {
  const open = new Map(input.states.map((state) => [alertKey(state), state]));
  const seen = new Map(input.observations.map((observation) => [alertKey(observation), observation]));
  const starts: AlertState[] = [];
  const clears: AlertState[] = [];
  for (const [key, observation] of seen) {
    if (stepEpisode(open.has(key), observation) !== 'start') continue;
    starts.push({
      rule: observation.rule,
      subject: observation.subject,
      episodeStart: input.now.toISOString(),
      status: input.isMuted ? 'muted' : 'pending',
      value: observation.value,
      detail: observation.detail,
    });
  }
  for (const [key, state] of open) {
    if (input.inconclusive?.has(state.rule) && !seen.has(key)) continue;
    if (stepEpisode(true, seen.get(key)) === 'clear') clears.push(state);
  }
  const cleared = new Set(clears.map(alertKey));
  const pending = [...input.states.filter((state) => !cleared.has(alertKey(state))), ...starts].filter(
    (state) => state.status === 'pending',
  );
  return { starts, clears, deliverable: input.isQuiet ? [] : sortAlerts(pending) };
}

function sortAlerts<T extends { rule: AlertRuleId; subject: string }>(alerts: readonly T[]): T[] {
  const rank = (rule: AlertRuleId) => ALERT_RULE_IDS.indexOf(rule);
  return [...alerts].sort((a, b) => rank(a.rule) - rank(b.rule) || a.subject.localeCompare(b.subject));
}
