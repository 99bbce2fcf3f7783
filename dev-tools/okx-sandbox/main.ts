import { routerAllowlist, startOkxSandbox } from './index';

/**
 * Standalone sandbox: `npx tsx dev-tools/okx-sandbox/main.ts`.
 * Env: SANDBOX_PORT (default 8787), SANDBOX_SEED (default 42), SANDBOX_RATE_LIMIT (per key and second, default 20),
 * SANDBOX_CONFIRM_AFTER_MS (how long a broadcast stays pending, default 3000).
 */
async function main(): Promise<void> {
  const env = process.env;
  const sandbox = await startOkxSandbox({
    port: Number(env.SANDBOX_PORT ?? '8787'),
    seed: Number(env.SANDBOX_SEED ?? '42'),
    rateLimitPerSecond: Number(env.SANDBOX_RATE_LIMIT ?? '20'),
    confirmAfterMs: Number(env.SANDBOX_CONFIRM_AFTER_MS ?? '3000'),
  });
  console.log(`[okx-sandbox] listening on ${sandbox.url}`);
  console.log(`OKX_BASE_URL=${sandbox.url}`);
  console.log(`OKX_API_KEY=${sandbox.credentials.apiKey}`);
  console.log(`OKX_API_SECRET=${sandbox.credentials.secretKey}`);
  console.log(`OKX_API_PASSPHRASE=${sandbox.credentials.passphrase}`);
  console.log(`OKX_PROJECT_ID=${sandbox.credentials.projectId}`);
  console.log(`OKX_ROUTER_ALLOWLIST=${JSON.stringify(routerAllowlist())}`);
  for (const wallet of sandbox.world.demoWallets())
    console.log(`[okx-sandbox] demo wallet ${wallet.name.padEnd(14)} ${wallet.address}  ${wallet.description}`);
  console.log(
    `[okx-sandbox] controls: ${sandbox.url}/__sandbox/wallets (GET), /__sandbox/set-price, /__sandbox/move-market ... (see README.md). Ctrl+C to stop.`,
  );
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`[okx-sandbox] failed: ${(error as Error).message}`);
  process.exit(1);
});
