// Installs dependencies when node_modules is missing or the lockfile changed since the last install,
// so `npm start` and `npm test` work as the very first command on a fresh clone. It also checks that the
// pinned Node (the `node` devDependency: the runtime the Lambda functions run, see docs/decisions.md) was
// really installed: npm puts it in node_modules/.bin, which every npm script finds before the system's Node.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, execSync } from 'node:child_process';

const stampPath = 'node_modules/.esther-deps-stamp';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = existsSync('package-lock.json') ? readFileSync('package-lock.json') : Buffer.from('');
const digest = createHash('sha256').update(readFileSync('package.json')).update(lock).digest('hex');
const installed = existsSync(stampPath) ? readFileSync(stampPath, 'utf8').trim() : '';
const pinnedNode = pkg.devDependencies?.node;

function localNodeVersion() {
  try {
    return execFileSync('node_modules/.bin/node', ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  } catch {
    return undefined;
  }
}

if (installed !== digest || (pinnedNode && localNodeVersion() !== pinnedNode)) {
  const command = existsSync('package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund';
  console.log(`[ensure-deps] installing dependencies: ${command}`);
  execSync(command, { stdio: 'inherit' });
  const got = pinnedNode ? localNodeVersion() : undefined;
  if (pinnedNode && got !== pinnedNode) {
    console.error(
      `[ensure-deps] node ${pinnedNode} was not installed into node_modules/.bin (found ${got ?? 'nothing'}).\n` +
        '  Its install script must run: check that npm allows it ("allowScripts" in package.json) and that ignore-scripts is off.',
    );
    process.exit(1);
  }
  writeFileSync(stampPath, `${digest}\n`);
}

// The browser tests and `npm run docs:screenshots` drive Debian's Chromium with playwright-core (a browser download
// is not possible here). Install the `chromium` package when it is missing; as root (CI, the dev machines) with apt
// this just works; anywhere else say how, and the browser tests skip with the same message.
const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const hasChromium = () => Boolean(process.env.CHROMIUM_PATH) || CHROMIUM_PATHS.some((path) => existsSync(path));
const hasCommand = (name) => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (!hasChromium()) {
  if (process.getuid?.() === 0 && hasCommand('apt-get')) {
    console.log(
      '[ensure-deps] installing Chromium for the browser tests: apt-get install -y chromium (about a minute)',
    );
    const install = () =>
      execSync('apt-get install -y -q chromium', {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    try {
      install();
    } catch {
      execSync('apt-get update -q', { stdio: 'inherit' });
      install();
    }
  } else {
    console.warn(
      '[ensure-deps] Chromium is missing and cannot be installed here (needs root and apt-get): the browser tests will be skipped.\n' +
        '  Install it with `sudo apt-get install chromium`, or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
}
