import { ApiError, type MiniAppApi } from '../api';
import { h } from '../dom';
import type { PreparedStep, SigningLeg, SigningPlan } from '../signing/signing-types';
import {
  LEG_STATE,
  STEP_STATE,
  STEP_TITLE,
  hasPendingStep,
  isLegDone,
  legLine,
  refusalOf,
  sameAddress,
  stepLines,
  timeLeft,
  type Refusal,
} from '../signing/signing-words';
import { discoverEvmWallets } from '../wallets/evm-wallets';
import { discoverSolanaWallets } from '../wallets/solana-wallets';
import { checkWalletSession, saveWalletSession, type StoredWalletSession } from '../wallets/wallet-session';
import { WalletError, type ConnectedWallet, type SignOutcome, type WalletOption } from '../wallets/wallet-types';
import { renderWalletFallback } from './wallet-fallback';

export interface SigningDeps {
  readonly api: MiniAppApi;
  readonly planId: string;
  /** The Telegram user who opened the page (from initData); a wallet session is tied to it. */
  readonly userId: string | undefined;
  readonly pageUrl: string;
  readonly openExternal: (url: string) => boolean;
  readonly haptic: (kind: 'select' | 'success' | 'error' | 'tap') => void;
  /** How often the plan is read while a transaction waits for the chain (the contract: every 2–3 s). */
  readonly pollMs?: number;
}

/** What a leg's action area shows. */
type LegUi =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'pick-wallet'; options: WalletOption[]; fallback?: string }
  | { kind: 'review'; step: PreparedStep }
  | { kind: 'tracking' }
  | { kind: 'refused'; refusal: Refusal; retry?: { label: string; run: () => void } };

const shortAddress = (address: string) =>
  address.length > 14 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;

/**
 * The signing view (`#sign=<planId>`): the plan's legs with their state; per leg: connect the leg's wallet, the
 * server prepares the next transaction (approval reset, approval, swap), the page shows exactly what will be signed
 * and the intent check, the wallet signs, the page hands it to the server (or the wallet sends it itself) once, and
 * follows it until the chain confirms it; then the leg's next step. Nothing is ever broadcast twice by the page.
 */
export async function showSigning(app: HTMLElement, deps: SigningDeps): Promise<void> {
  const { api, planId } = deps;
  const pollMs = deps.pollMs ?? 2500;
  const wallets = new Map<'evm' | 'solana', ConnectedWallet>();
  const ui = new Map<number, LegUi>();
  const root = h('div', { class: 'signing', 'data-testid': 'signing', 'data-plan': planId });
  const header = h('section', { class: 'card', 'data-testid': 'signing-header' });
  const legsBox = h('ol', { class: 'legs', 'data-testid': 'legs' });
  root.append(header, legsBox);
  app.replaceChildren(h('p', { class: 'hint loading' }, 'Loading the plan…'));

  let plan: SigningPlan;
  try {
    plan = await api.plan(planId);
  } catch (error) {
    const refusal = error instanceof ApiError ? refusalOf(error) : undefined;
    app.replaceChildren(
      h(
        'div',
        { class: 'card error', 'data-testid': 'error' },
        refusal ? `${refusal.title}. ${refusal.detail}` : 'The plan could not be loaded; close and open it again.',
      ),
    );
    return;
  }
  app.replaceChildren(root);

  let sessionNote: string | undefined;
  let lastSession: StoredWalletSession | undefined;
  if (deps.userId) {
    const check = checkWalletSession(deps.userId);
    if (check.kind === 'own') lastSession = check.session;
    if (check.kind === 'dropped') {
      sessionNote =
        'A wallet session from another Telegram account was found on this device and dropped: connect your own wallet.';
      if (check.session.source === 'okx-connect')
        void import('../wallets/okx-connect').then((okx) => okx.disconnectOkx()).catch(() => undefined);
    }
  }

  const signable = () =>
    !plan.dryRun &&
    deps.userId !== undefined &&
    ['awaiting-signature', 'submitted'].includes(plan.state) &&
    (!plan.signBy || Date.parse(plan.signBy) > Date.now());

  const renderHeader = () => {
    const banners: HTMLElement[] = [];
    if (plan.dryRun)
      banners.push(
        h(
          'p',
          { class: 'banner', 'data-testid': 'dry-run' },
          'Dry run: this plan is read-only. It shows what would be done; nothing is signed or sent. Turn /live on for a plan you can sign.',
        ),
      );
    const expired = plan.state === 'expired' || (plan.signBy !== undefined && Date.parse(plan.signBy) <= Date.now());
    if (expired && !['confirmed', 'failed'].includes(plan.state))
      banners.push(
        h(
          'p',
          { class: 'banner error', 'data-testid': 'expired' },
          'This plan has expired: its signing window has closed and nothing more can be signed. Run /rebalance for fresh quotes.',
        ),
      );
    if (!deps.userId)
      banners.push(h('p', { class: 'banner error' }, 'Open this page from your private chat with the bot to sign.'));
    if (sessionNote) banners.push(h('p', { class: 'banner', 'data-testid': 'session-dropped' }, sessionNote));
    const connected = [...wallets.values()].map((wallet) =>
      h('li', { 'data-testid': `connected-${wallet.family}` }, `${wallet.name}: `, h('code', {}, wallet.address)),
    );
    header.replaceChildren(
      h('h2', {}, 'Sign the rebalance'),
      h(
        'p',
        { 'data-testid': 'plan-state', 'data-state': plan.state },
        `Plan ${plan.planId}: ${plan.state.replace('-', ' ')}`,
        plan.signBy && !expired
          ? ` · sign by ${new Date(plan.signBy).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} (${timeLeft(plan.signBy, Date.now())})`
          : '',
      ),
      ...banners,
      connected.length > 0 ? h('ul', { class: 'connected hint', 'data-testid': 'connected' }, ...connected) : '',
    );
  };

  const legItems = new Map<number, { item: HTMLElement; info: HTMLElement; action: HTMLElement }>();
  const render = () => {
    renderHeader();
    for (const leg of plan.legs) {
      let entry = legItems.get(leg.index);
      if (!entry) {
        entry = {
          item: h('li', { class: 'card leg', 'data-testid': 'leg', 'data-leg': String(leg.index) }),
          info: h('div', {}),
          action: h('div', { class: 'leg-action', 'data-testid': 'leg-action' }),
        };
        entry.item.append(entry.info, entry.action);
        legsBox.append(entry.item);
        legItems.set(leg.index, entry);
      }
      entry.item.dataset.state = leg.state;
      entry.info.replaceChildren(...legInfo(leg));
      entry.action.replaceChildren(...legAction(leg));
    }
  };

  const setUi = (index: number, next: LegUi) => {
    ui.set(index, next);
    render();
  };
  const legOf = (index: number) => plan.legs.find((leg) => leg.index === index)!;

  const legAction = (leg: SigningLeg): (HTMLElement | string)[] => {
    const state = ui.get(leg.index) ?? { kind: 'idle' };
    if (state.kind === 'refused') return refusalView(state.refusal, state.retry);
    if (isLegDone(leg)) return [];
    if (state.kind === 'busy') return [h('p', { class: 'hint loading', 'data-testid': 'busy' }, state.text)];
    if (state.kind === 'tracking' || hasPendingStep(leg))
      return [
        h('p', { class: 'hint loading', 'data-testid': 'tracking' }, 'Sent. Waiting for the chain to confirm it…'),
      ];
    if (state.kind === 'pick-wallet') return walletPicker(leg, state.options, state.fallback);
    if (state.kind === 'review') return reviewView(leg, state.step);
    if (!signable()) return [];
    const start = h('button', { type: 'button', class: 'primary', 'data-testid': 'sign-leg' }, 'Sign this leg');
    start.addEventListener('click', () => {
      deps.haptic('tap');
      void startLeg(leg.index);
    });
    return [start];
  };

  const refusalView = (refusal: Refusal, retry?: { label: string; run: () => void }): HTMLElement[] => {
    const box = h(
      'div',
      { class: 'refusal error', 'data-testid': 'refusal', 'data-code': refusal.code, role: 'alert' },
      h('strong', {}, refusal.title),
      h('p', {}, refusal.detail),
    );
    if (refusal.failedChecks && refusal.failedChecks.length > 0)
      box.append(
        h(
          'ul',
          { class: 'checks', 'data-testid': 'failed-checks' },
          ...refusal.failedChecks.map((check) =>
            h('li', { class: 'check failed' }, `✗ ${check.name}: ${check.detail}`),
          ),
        ),
      );
    if (retry) {
      const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'retry' }, retry.label);
      button.addEventListener('click', () => retry.run());
      box.append(button);
    }
    return [box];
  };

  const walletPicker = (leg: SigningLeg, options: WalletOption[], fallback?: string): HTMLElement[] => {
    const list = h('div', { class: 'wallet-options', 'data-testid': 'wallet-options' });
    for (const option of options) {
      const last = lastSession && lastSession.walletId === option.id ? ' (last used)' : '';
      const button = h(
        'button',
        { type: 'button', class: 'secondary', 'data-testid': 'wallet-option', 'data-wallet': option.id },
        option.icon ? h('img', { src: option.icon, alt: '', width: '20', height: '20' }) : false,
        `${option.name}${last}`,
      );
      button.addEventListener('click', () => void connectWith(leg.index, option));
      list.append(button);
    }
    const parts: HTMLElement[] = [
      h('p', {}, `Connect the wallet `, h('code', { 'data-testid': 'leg-wallet-to-connect' }, leg.walletAddress), ':'),
      list,
    ];
    if (fallback) parts.push(renderWalletFallback(deps.pageUrl, fallback, deps.openExternal));
    else {
      const help = h('button', { type: 'button', class: 'link', 'data-testid': 'wallet-help' }, 'Wallet not opening?');
      help.addEventListener('click', () =>
        setUi(leg.index, {
          kind: 'pick-wallet',
          options,
          fallback: 'If the wallet does not open from Telegram:',
        }),
      );
      parts.push(help);
    }
    return parts;
  };

  const reviewView = (leg: SigningLeg, step: PreparedStep): HTMLElement[] => {
    const lines = stepLines(step).map((line) =>
      h('tr', { 'data-testid': line.testId }, h('th', {}, line.label), h('td', {}, line.value)),
    );
    const checks = step.checks.map((check) =>
      h(
        'li',
        { class: `check ${check.ok ? 'ok' : 'failed'}` },
        `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`,
      ),
    );
    const sign = h('button', { type: 'button', class: 'primary', 'data-testid': 'sign-in-wallet' }, 'Sign in wallet');
    sign.addEventListener('click', () => {
      sign.setAttribute('disabled', '');
      deps.haptic('tap');
      void signStep(leg.index, step);
    });
    const cancel = h('button', { type: 'button', class: 'secondary', 'data-testid': 'cancel-step' }, 'Not now');
    cancel.addEventListener('click', () => setUi(leg.index, { kind: 'idle' }));
    return [
      h(
        'div',
        { class: 'review', 'data-testid': 'review', 'data-step': step.kind },
        h('h3', {}, `${STEP_TITLE[step.kind]} — what your wallet will sign`),
        h('table', { class: 'sign-summary' }, h('tbody', {}, ...lines)),
        h('p', { class: 'hint' }, `Checked against your plan before it was shown:`),
        h('ul', { class: 'checks', 'data-testid': 'checks' }, ...checks),
        h('div', { class: 'buttons' }, sign, cancel),
      ),
    ];
  };

  const legInfo = (leg: SigningLeg): (HTMLElement | string)[] => [
    h('h3', {}, `Leg ${leg.index + 1} · ${leg.chainName}`),
    h('p', { 'data-testid': 'leg-line' }, legLine(leg)),
    h('p', { class: 'hint' }, 'Wallet: ', h('code', { 'data-testid': 'leg-wallet' }, leg.walletAddress)),
    h('p', { 'data-testid': 'leg-state', class: `state ${leg.state}` }, LEG_STATE[leg.state]),
    leg.steps.length > 0
      ? h(
          'ul',
          { class: 'steps hint', 'data-testid': 'steps' },
          ...leg.steps.map((step) =>
            h(
              'li',
              { 'data-step': step.kind, 'data-state': step.state },
              `${STEP_TITLE[step.kind]}: ${STEP_STATE[step.state]}`,
              step.txHash ? h('code', {}, ` ${shortAddress(step.txHash)}`) : '',
              step.failReason ? ` — ${step.failReason}` : '',
            ),
          ),
        )
      : '',
    leg.failReason ? h('p', { class: 'error', 'data-testid': 'leg-fail' }, `Failed: ${leg.failReason}`) : '',
    leg.realised
      ? h(
          'p',
          { 'data-testid': 'realised' },
          `Done: spent ${leg.realised.fromAmount} ${leg.from.symbol}, received ${leg.realised.toAmount} ${leg.to.symbol}.`,
        )
      : '',
  ];

  /** Answers the leg's wallet, connected; undefined when the person still has to pick one. */
  const walletFor = async (index: number): Promise<ConnectedWallet | undefined> => {
    const leg = legOf(index);
    const connected = wallets.get(leg.family);
    if (connected && sameAddress(leg.family, connected.address, leg.walletAddress)) return connected;
    // Another leg's wallet (or none): this leg's wallet is connected anew.
    if (connected) wallets.delete(leg.family);
    setUi(index, { kind: 'busy', text: 'Looking for wallets…' });
    const options = leg.family === 'evm' ? await discoverEvmWallets() : discoverSolanaWallets();
    if (leg.family === 'evm')
      options.push({
        id: 'okx-connect',
        name: 'OKX Wallet (OKX Connect)',
        source: 'okx-connect',
        family: 'evm',
        connect: async (chainId) =>
          (await import('../wallets/okx-connect')).connectOkx(
            chainId ?? Number(leg.chainIndex),
            lastSession?.source === 'okx-connect',
          ),
      });
    const injected = options.filter((option) => option.source !== 'okx-connect');
    setUi(index, {
      kind: 'pick-wallet',
      options,
      fallback:
        injected.length === 0
          ? `No ${leg.family === 'evm' ? 'EVM' : 'Solana'} wallet was found in this browser.`
          : undefined,
    });
    return undefined;
  };

  const connectWith = async (index: number, option: WalletOption) => {
    const leg = legOf(index);
    const previous = ui.get(index);
    setUi(index, { kind: 'busy', text: `Connecting ${option.name}… confirm in the wallet.` });
    let wallet: ConnectedWallet;
    try {
      wallet = await option.connect(leg.family === 'evm' ? Number(leg.chainIndex) : undefined);
    } catch (error) {
      const declined = error instanceof WalletError && error.declined;
      setUi(index, {
        kind: 'pick-wallet',
        options: previous?.kind === 'pick-wallet' ? previous.options : [option],
        fallback: declined
          ? undefined
          : `${option.name} did not connect (${(error as Error).message ?? error}). In Telegram the hand-off to a wallet fails in some clients.`,
      });
      return;
    }
    if (!sameAddress(leg.family, wallet.address, leg.walletAddress)) {
      await wallet.disconnect().catch(() => undefined);
      deps.haptic('error');
      setUi(index, {
        kind: 'refused',
        refusal: {
          code: 'wrong-wallet',
          title: `Connect the wallet ${leg.walletAddress}`,
          detail: `${option.name} connected ${wallet.address}, but only ${leg.walletAddress} may sign this leg. Switch the account in your wallet and connect again.`,
        },
        retry: { label: 'Connect another wallet', run: () => void startLeg(index) },
      });
      return;
    }
    wallets.set(leg.family, wallet);
    if (deps.userId)
      saveWalletSession({
        ownerUserId: deps.userId,
        source: option.source,
        walletId: option.id,
        name: option.name,
        family: leg.family,
        address: wallet.address,
      });
    await prepareNext(index);
  };

  const startLeg = async (index: number) => {
    if (!signable()) return render();
    const wallet = await walletFor(index);
    if (wallet) await prepareNext(index);
  };

  const refuse = (index: number, error: unknown, retry?: { label: string; run: () => void }) => {
    deps.haptic('error');
    if (error instanceof ApiError) {
      const refusal = refusalOf(error, legOf(index));
      if (['already-submitted', 'wait'].includes(error.code)) {
        setUi(index, { kind: 'tracking' });
        void follow(index);
        return;
      }
      setUi(index, { kind: 'refused', refusal, retry });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    setUi(index, {
      kind: 'refused',
      refusal: { code: error instanceof WalletError ? 'wallet' : 'network', title: 'Not signed', detail: message },
      retry,
    });
  };

  /** Asks the server for the leg's next transaction, built fresh from OKX and intent-checked. */
  const prepareNext = async (index: number) => {
    const wallet = wallets.get(legOf(index).family);
    if (!wallet) return void startLeg(index);
    setUi(index, { kind: 'busy', text: 'Building the transaction with OKX and checking it against your plan…' });
    try {
      const step = await api.prepare(planId, index, wallet.address);
      setUi(index, { kind: 'review', step });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'wrong-wallet') {
        wallets.delete(wallet.family);
        return refuse(index, error, { label: 'Connect another wallet', run: () => void startLeg(index) });
      }
      refuse(index, error);
    }
  };

  /** The wallet signs the prepared step; the page hands it to the server exactly once. */
  const signStep = async (index: number, step: PreparedStep) => {
    const wallet = wallets.get(step.family);
    if (!wallet) return void startLeg(index);
    if (Date.parse(step.expiresAt) <= Date.now())
      return refuse(index, new ApiError(409, 'expired', 'The signing window closed before the wallet signed.'));
    setUi(index, { kind: 'busy', text: `Confirm in ${wallet.name}…` });
    let outcome: SignOutcome;
    try {
      if (step.family === 'evm' && step.evm && wallet.signEvm) outcome = await wallet.signEvm(step.evm);
      else if (step.family === 'solana' && step.solana && wallet.signSolana)
        outcome = await wallet.signSolana(step.solana.transaction);
      else throw new WalletError('This wallet cannot sign a transaction of this chain.');
    } catch (error) {
      // Nothing left the device: the same prepared transaction may be signed again.
      return refuse(index, error, { label: 'Try again', run: () => setUi(index, { kind: 'review', step }) });
    }
    setUi(index, { kind: 'busy', text: 'Sending…' });
    try {
      plan =
        'signedTx' in outcome
          ? await api.broadcast(planId, index, step.stepId, outcome.signedTx)
          : await api.submitted(planId, index, step.stepId, outcome.txHash);
    } catch (error) {
      // Never sent again from here: the plan as the server now has it, and the refusal.
      refuse(index, error);
      await refresh();
      return;
    }
    deps.haptic('success');
    setUi(index, { kind: 'tracking' });
    await follow(index);
  };

  const refresh = async () => {
    try {
      plan = await api.plan(planId);
    } catch {
      /* the next poll tries again */
    }
    render();
  };

  let poll: Promise<void> | undefined;
  /** One read of the plan every few seconds, however many legs wait on it (each read costs the user's rate budget). */
  const nextPoll = () =>
    (poll ??= new Promise((resolve) => setTimeout(resolve, pollMs))
      .then(() => (root.isConnected ? refresh() : undefined))
      .finally(() => (poll = undefined)));

  const following = new Set<number>();
  /** Follows the plan's reads while a step of the leg waits for the chain; then its next step. */
  const follow = async (index: number) => {
    if (following.has(index)) return;
    following.add(index);
    try {
      for (;;) {
        await nextPoll();
        if (!root.isConnected) return;
        const leg = legOf(index);
        if (hasPendingStep(leg)) continue;
        if (isLegDone(leg)) {
          deps.haptic(leg.state === 'confirmed' ? 'success' : 'error');
          setUi(index, { kind: 'idle' });
          return;
        }
        // The approval (or its reset) confirmed: the swap comes next, fresh from OKX.
        if (signable()) await prepareNext(index);
        else setUi(index, { kind: 'idle' });
        return;
      }
    } finally {
      following.delete(index);
    }
  };

  render();
  for (const leg of plan.legs) if (hasPendingStep(leg) && !isLegDone(leg)) void follow(leg.index);
  const clock = setInterval(() => {
    if (!root.isConnected) return clearInterval(clock);
    renderHeader();
  }, 1000);
}
