import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../../shared/platform/dynamo/ensure-tables';
import { localTableNames, tableEnv, type TableNames } from '../../shared/platform/dynamo/table-definitions';
import { ENV } from '../../shared/platform/config/env-names';
import { startDynamoLocal } from '../dynamodb-local';
import { okxEnvOf, startOkxSandbox } from '../okx-sandbox/index';
import { readFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createPortfolioStore } from '../../shared/wallets/portfolio-store';
import { resolveTrackedChains } from '../../shared/kernel/chains';

export interface BenchSettings {
  readonly users: number;
  readonly addresses: number;
  /** OKX requests per second: the sandbox's limit and the client's configured rate. */
  readonly rate: number;
  readonly latency: number;
  readonly concurrency: number;
  readonly sharedPercent: number;
  /** Percent every non-stable price moves between the warm-up and the measured cycle (0 = a still market). */
  readonly move: number;
  /** Print OKX and DynamoDB requests per second of the measured cycle. */
  readonly timeline: boolean;
  /** The account-wide OKX limiter in DynamoDB on for the measured cycle, as in AWS (OKX_SHARED_RATE_LIMIT). */
  readonly sharedLimit: boolean;
  /** Tokens held by the one-address users whose steady-state sync writes are counted item by item (empty: skipped). */
  readonly tokenCounts: readonly number[];
}

/**
 * Defaults: 250 users x 500 addresses at 10 requests/s (the real free tier is about 1/s; okx-api.md
 * §3.1), so the default run takes about a minute. CLI `--name=value` wins over BENCH_* env variables.
 */
export function readSettings(argv = process.argv.slice(2), env = process.env): BenchSettings {
  const args = Object.fromEntries(
    argv
      .map((arg) => /^--([\w-]+)=(.*)$/.exec(arg))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const read = (arg: string, envName: string, fallback: number) => {
    const value = Number(args[arg] ?? env[envName] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${arg} / ${envName} must be a non-negative number`);
    return value;
  };
  const rate = read('rate', 'BENCH_RATE', 10);
  return {
    users: read('users', 'BENCH_USERS', 250),
    addresses: read('addresses', 'BENCH_ADDRESSES', 500),
    rate,
    latency: read('latency', 'BENCH_LATENCY_MS', 50),
    concurrency: read('concurrency', 'BENCH_CONCURRENCY', Math.max(2, rate)),
    sharedPercent: read('shared-percent', 'BENCH_SHARED_PERCENT', 10),
    move: read('move', 'BENCH_MOVE_PERCENT', 1),
    timeline: read('timeline', 'BENCH_TIMELINE', 0) > 0,
    sharedLimit: read('shared-limit', 'BENCH_SHARED_LIMIT', 0) > 0,
    tokenCounts: readList(args.tokens ?? env.BENCH_TOKENS ?? '10,100,500'),
  };
}

function readList(value: string): number[] {
  const counts = value
    .split(',')
    .filter((part) => part.trim() !== '')
    .map(Number);
  if (counts.some((count) => !Number.isInteger(count) || count < 0))
    throw new Error('--tokens / BENCH_TOKENS must be a comma-separated list of whole numbers');
  return counts.filter((count) => count > 0);
}

/** The n-th seeded address. */
export const benchAddress = (n: number) => `0x${(n + 1).toString(16).padStart(40, '0')}`;

export interface SeededUsers {
  readonly wallets: number;
  readonly distinct: number;
  readonly shared: number;
}

/**
 * Address i belongs to user i mod N; `sharedPercent` of the users also track one address of another
 * (pseudo-random) user. Users are marked synced an hour ago, so nobody gets a first sync (a first sync
 * also back-fills chart history from candles, which is a different cost).
 */
export async function seedUsers(
  doc: DynamoDBDocumentClient,
  table: string,
  settings: BenchSettings,
  syncedAt: string,
): Promise<SeededUsers> {
  const store = createPortfolioStore(doc, table);
  const chains = resolveTrackedChains('evm');
  const byUser = Array.from({ length: settings.users }, () => [] as string[]);
  for (let n = 0; n < settings.addresses; n += 1) byUser[n % settings.users]!.push(benchAddress(n));
  let shared = 0;
  for (let user = 0; user < settings.users; user += 1) {
    if ((user * 7919) % 100 >= settings.sharedPercent) continue;
    const pick = byUser[(user * 104_729 + 13) % settings.users]![0];
    if (!pick || byUser[user]!.includes(pick)) continue;
    byUser[user]!.push(pick);
    shared += 1;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < settings.users) {
        const user = next++;
        const addresses = byUser[user]!.slice(0, 10);
        for (const [index, wallet] of addresses.entries())
          await store.addWallet(
            {
              userId: `bench${user}`,
              walletId: `w${index}`,
              address: wallet,
              family: 'evm',
              chains,
              addedAt: syncedAt,
              lastSyncedAt: syncedAt,
            },
            10,
          );
        await store.markSynced(
          `bench${user}`,
          addresses.map((_, index) => `w${index}`),
          syncedAt,
        );
      }
    }),
  );
  const wallets = byUser.reduce((sum, list) => sum + Math.min(10, list.length), 0);
  return { wallets, distinct: new Set(byUser.flat()).size, shared };
}

/**
 * The short names (prefix dropped, `/index` added) of the tables a request reads or writes: batch and transaction
 * requests name them in RequestItems / TransactItems, not TableName.
 */
export function tablesOf(request: unknown): string[] {
  const input = request as {
    TableName?: string;
    IndexName?: string;
    RequestItems?: Record<string, unknown>;
    TransactItems?: readonly Record<string, { TableName?: string }>[];
  };
  const tables = input.TableName
    ? [`${input.TableName}${input.IndexName ? `/${input.IndexName}` : ''}`]
    : input.RequestItems
      ? Object.keys(input.RequestItems)
      : [...new Set((input.TransactItems ?? []).map((item) => Object.values(item)[0]?.TableName ?? '?'))];
  return tables.length > 0 ? tables.map((table) => table.replace(/^.*?-/, '')) : ['?'];
}

/** Counts a document client's commands by name, by command and table, and by the phase `phaseOf` names. */
export function countCommands(
  doc: DynamoDBDocumentClient,
  phaseOf: () => string = () => 'all',
): Map<string, number> & { byTable: Map<string, number>; byPhase: Map<string, number> } {
  const counts = Object.assign(new Map<string, number>(), {
    byTable: new Map<string, number>(),
    byPhase: new Map<string, number>(),
  });
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      bump(counts, name);
      bump(counts.byPhase, phaseOf());
      bump(counts.byTable, `${name} ${tablesOf(args.input).join('+')}`);
      return next(args);
    },
    { step: 'initialize', name: 'benchCommandCounter' },
  );
  return counts;
}

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
export function readProcessCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the ")" of the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** A process's peak resident memory in MiB (Linux /proc; undefined elsewhere). */
export function readPeakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the tables under `prefix` in a local DynamoDB engine (one short-lived client) and returns their names. */
export async function createLocalTables(endpoint: string, prefix: string): Promise<TableNames> {
  const tables = localTableNames(prefix);
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTables(raw, tables);
  } finally {
    raw.destroy();
  }
  return tables;
}

export interface BenchSystem {
  readonly dynamo: Awaited<ReturnType<typeof startDynamoLocal>>;
  readonly tables: TableNames;
  /** process.env plus what points the app at this DynamoDB Local, its tables and the sandbox. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * DynamoDB Local and the OKX sandbox (seed 7, no rate limit) with fresh tables under `prefix`, for `run`; both are
 * stopped afterwards, whatever `run` did.
 */
export async function withBenchSystem<T>(prefix: string, run: (system: BenchSystem) => Promise<T>): Promise<T> {
  const dynamo = await startDynamoLocal();
  const sandbox = await startOkxSandbox({ port: 0, seed: 7, rateLimitPerSecond: 10_000 });
  try {
    const tables = await createLocalTables(dynamo.endpoint, prefix);
    const env = {
      ...process.env,
      [ENV.dynamodbEndpoint]: dynamo.endpoint,
      [ENV.awsRegion]: 'us-east-1',
      ...tableEnv(tables),
      ...okxEnvOf(sandbox),
    };
    return await run({ dynamo, tables, env });
  } finally {
    await sandbox.stop();
    await dynamo.stop();
  }
}
