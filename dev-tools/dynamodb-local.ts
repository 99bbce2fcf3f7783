import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { sleep } from '../shared/platform/helpers';

/**
 * Starts the official DynamoDB Local engine (the jar shipped in the npm package
 * `amplify-dynamodb-simulator`) with `java -jar`, on a free port. No dynalite fallback: the data
 * layer uses TransactWriteItems, which dynalite does not implement, so a missing Java is an error.
 */
export interface DynamoLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The java process, for the bench's CPU and memory figures. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface StartDynamoLocalOptions {
  /** Directory for on-disk data; omitted means in-memory. */
  readonly dbPath?: string;
  readonly port?: number;
  readonly startTimeoutMs?: number;
  /**
   * Run the engine in its own process group (default false). A terminal's Ctrl+C then reaches only the
   * caller, which can finish its writes before it stops the engine; `stop()` and process exit still kill it.
   */
  readonly detached?: boolean;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17+ on the PATH (`java -version` failed). Install a JRE, e.g. `apt-get install openjdk-17-jre-headless`.',
    );
    this.name = 'JavaMissingError';
  }
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function locateDynamoLocalJar(): { jar: string; libDir: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('amplify-dynamodb-simulator/package.json'));
  const emulatorDir = join(packageDir, 'emulator');
  return { jar: join(emulatorDir, 'DynamoDBLocal.jar'), libDir: join(emulatorDir, 'DynamoDBLocal_lib') };
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startDynamoLocal(options: StartDynamoLocalOptions = {}): Promise<DynamoLocal> {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) throw new JavaMissingError();
  const { jar, libDir } = locateDynamoLocalJar();
  const port = options.port ?? (await findFreePort());
  const storage = options.dbPath ? ['-dbPath', prepareDir(options.dbPath)] : ['-inMemory'];
  const child = spawn(
    'java',
    [`-Djava.library.path=${libDir}`, '-Xmx512m', '-jar', jar, '-port', String(port), '-sharedDb', ...storage],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: options.detached ?? false,
    },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  child.once('exit', () => running.delete(child));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(endpoint, options.startTimeoutMs ?? 30_000, exited);
  } catch (error) {
    await stop();
    throw new Error(
      `DynamoDB Local did not start on port ${port}: ${(error as Error).message}\n${stderr.slice(-2000)}`,
    );
  }
  return { endpoint, port, pid: child.pid, stop };
}

function prepareDir(path: string): string {
  const absolute = resolve(path);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

async function waitUntilReady(endpoint: string, timeoutMs: number, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('the java process exited');
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}
