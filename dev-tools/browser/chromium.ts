import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Debian's Chromium (installed by dev-tools/ensure-deps.mjs), or CHROMIUM_PATH; undefined when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return CANDIDATES.find((path) => existsSync(path));
}

export const NO_CHROMIUM_MESSAGE =
  'Chromium not found: the browser tests are skipped. `npm test` installs it (apt-get install chromium) when run as root with apt; or set CHROMIUM_PATH.';

/** Headless Chromium through playwright-core (no browser download: the system's binary). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
  // Root (CI, containers) cannot use Chromium's sandbox.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath, args: [...args, '--disable-dev-shm-usage'] });
}
