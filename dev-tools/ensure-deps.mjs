// Installs dependencies when node_modules is missing or the lockfile changed since the last install,
// so `npm start` and `npm test` work as the very first command on a fresh clone.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const stampPath = 'node_modules/.esther-deps-stamp';
const lock = existsSync('package-lock.json') ? readFileSync('package-lock.json') : Buffer.from('');
const digest = createHash('sha256').update(readFileSync('package.json')).update(lock).digest('hex');
const installed = existsSync(stampPath) ? readFileSync(stampPath, 'utf8').trim() : '';

if (installed !== digest) {
  const command = existsSync('package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund';
  console.log(`[ensure-deps] installing dependencies: ${command}`);
  execSync(command, { stdio: 'inherit' });
  writeFileSync(stampPath, `${digest}\n`);
}
