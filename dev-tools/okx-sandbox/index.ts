import { randomUUID } from 'node:crypto';
import { ENV } from '../../shared/platform/config/env-names';
import type { AddressInfo } from 'node:net';
import type { SandboxCredentials } from './auth';
import { createFaultBoard, type SandboxFaults } from './faults';
import { createLedger, type Ledger } from './ledger';
import { createRouter } from './router';
import { createSandboxServer } from './server';
import { createStats, type SandboxStats } from './stats';
import { createWorld, type SandboxWorld } from './world';

export type { SandboxCredentials } from './auth';
export type { DemoWallet } from './demo-wallets';
export type { FaultKind, FaultSpec, SandboxFaults } from './faults';
export type { SandboxStats } from './stats';
export type { HoldingView, SandboxWorld, TokenInput } from './world';
export type { IssuedTx, Ledger, LedgerSettings, Order } from './ledger';
export { routerAllowlist } from './chains';
export type { TokenSpec } from './tokens';

export interface OkxSandboxOptions {
  /** 0 (default) = a free port. The server binds to 127.0.0.1 only. */
  readonly port?: number;
  /** Seeds the demo wallets, generated portfolios and price paths (default 42). */
  readonly seed?: number;
  readonly credentials?: Partial<SandboxCredentials>;
  /** Per API key (default 20). */
  readonly rateLimitPerSecond?: number;
  /** Added before every API response (default 0). */
  readonly latencyMs?: number;
  /** Send `Retry-After: 1` with 429 answers (the real API sends none; default false). */
  readonly retryAfterHeader?: boolean;
  /** Code for "too many items" on market/aggregator paths (default 50025; balance/gateway always 81001). */
  readonly limitCode?: '50025' | '51000';
  /** Wall clock for auth and data timestamps (default Date.now). */
  readonly now?: () => number;
  /** How long a broadcast order stays pending before it settles (default 3000; also POST /__sandbox/settings). */
  readonly confirmAfterMs?: number;
}

export interface OkxSandbox {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly credentials: SandboxCredentials;
  readonly world: SandboxWorld;
  readonly faults: SandboxFaults;
  readonly stats: SandboxStats;
  /** Issued transactions, allowances, nonces and broadcast orders (see README "Signing and broadcasting"). */
  readonly ledger: Ledger;
  /** "METHOD path" of every OKX route served. */
  readonly routes: readonly string[];
  stop(): Promise<void>;
}

/** Starts a local OKX Web3/DEX v6 look-alike (see README.md in this folder). */
export async function startOkxSandbox(options: OkxSandboxOptions = {}): Promise<OkxSandbox> {
  const seed = options.seed ?? 42;
  const credentials: SandboxCredentials = {
    apiKey: options.credentials?.apiKey ?? randomUUID(),
    secretKey: options.credentials?.secretKey ?? randomUUID().replaceAll('-', '').toUpperCase(),
    passphrase: options.credentials?.passphrase ?? `sandbox-${randomUUID().slice(0, 8)}`,
    projectId: options.credentials?.projectId ?? randomUUID().replaceAll('-', ''),
  };
  const world = createWorld(seed);
  const router = createRouter();
  const faults = createFaultBoard();
  const ledger = createLedger(world, faults, options.confirmAfterMs);
  const recorder = createStats();
  const { server, close } = createSandboxServer({
    credentials,
    world,
    ledger,
    router,
    faults,
    recorder,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 20,
    latencyMs: options.latencyMs ?? 0,
    retryAfterHeader: options.retryAfterHeader ?? false,
    params: { limitCode: options.limitCode ?? '50025' },
    now: options.now ?? Date.now,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    credentials,
    world,
    faults: faults.faults,
    stats: recorder.stats,
    ledger,
    routes: router.list(),
    stop: () => (stopped ??= close()),
  };
}

/** The OKX variables that point the product's client at this sandbox (base URL and its key set). */
export function okxEnvOf(sandbox: Pick<OkxSandbox, 'url' | 'credentials'>): Record<string, string> {
  return {
    [ENV.okxBaseUrl]: sandbox.url,
    [ENV.okxApiKey]: sandbox.credentials.apiKey,
    [ENV.okxApiSecret]: sandbox.credentials.secretKey,
    [ENV.okxApiPassphrase]: sandbox.credentials.passphrase,
    [ENV.okxProjectId]: sandbox.credentials.projectId,
  };
}
