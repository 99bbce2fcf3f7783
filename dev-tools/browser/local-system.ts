import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface LocalSystem {
  /** http://127.0.0.1:<port>/chat, as `npm start` prints it. */
  readonly chatUrl: string;
  /** The sandbox's demo wallets by name (whale, degen, stable-saver…), from the start banner. */
  readonly demoWallets: Readonly<Record<string, string>>;
  /** The OKX sandbox's base URL (its `/__sandbox/*` controls), from the start banner; undefined with real OKX. */
  readonly sandboxUrl: string | undefined;
  /** Everything the runner printed (for a failing test's message). */
  readonly output: () => string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `npm start`'s runner (dev-tools/local/start.ts) as a child process, exactly what a newcomer starts: fake
 * Bot API, OKX sandbox, the handlers, the chat page and the Mini App. `dynamoEndpoint` points it at a running
 * DynamoDB Local (a test run's in-memory engine) instead of starting one on disk.
 */
export async function startLocalSystem(options: {
  dynamoEndpoint: string;
  /** The local sync loop's period (default 3600: one cycle at start, then Refresh). */
  syncIntervalSeconds?: number;
  timeoutMs?: number;
  /** More environment for the runner (e.g. DRY_RUN_MODE=false for live plans). */
  env?: Readonly<Record<string, string>>;
}): Promise<LocalSystem> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    SYNC_INTERVAL_SECONDS: String(options.syncIntervalSeconds ?? 3600),
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...options.env,
  };
  for (const name of ['TELEGRAM_BOT_TOKEN', 'OKX_API_KEY', 'TELEGRAM_API_ROOT', 'OKX_BASE_URL']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev-tools/local/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    await waitFor(
      () => /\[start\] sync loop every/.test(output),
      child,
      options.timeoutMs ?? 60_000,
      () => output,
    );
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const chatUrl = /Chat with the bot in your browser: (\S+)/.exec(output)?.[1];
  if (!chatUrl) {
    await stopChild(child);
    throw new Error(`no chat URL in the start banner:\n${output}`);
  }
  const demoWallets = Object.fromEntries(
    [...output.matchAll(/^ {2}([a-z-]+) +(0x[0-9a-fA-F]{40}|[1-9A-HJ-NP-Za-km-z]{32,44})$/gm)].map((match) => [
      match[1]!,
      match[2]!,
    ]),
  );
  const sandboxUrl = /OKX: local SANDBOX at (\S+)/.exec(output)?.[1];
  return { chatUrl, demoWallets, sandboxUrl, output: () => output, stop: () => stopChild(child) };
}

async function waitFor(
  isReady: () => boolean,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const started = Date.now();
  while (!isReady()) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`npm start not ready after ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM lets the runner stop its pieces in order; a runner still there after 10 s is killed. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
