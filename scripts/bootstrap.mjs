#!/usr/bin/env node
// The Quick start's two commands (`npm start`, `npm test`) on a machine with only Node 20 and npm:
// installs pnpm and the locked dependencies when missing, Chromium for the end-to-end tests when
// missing (Debian's package, as root), then runs the real command through pnpm.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2];
const run = (cmd, opts = {}) => {
  const r = spawnSync(cmd, { stdio: 'inherit', shell: true, cwd: root, ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const has = (cmd) => spawnSync(cmd, { shell: true, stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (!has('pnpm --version')) {
  console.log('[flowlight] installing pnpm 10 with npm');
  run('npm install -g pnpm@10');
}
const marker = path.join(root, 'node_modules/.modules.yaml');
const lock = path.join(root, 'pnpm-lock.yaml');
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  console.log('[flowlight] installing dependencies from pnpm-lock.yaml');
  run('pnpm install --frozen-lockfile', { env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
}

if (mode === 'start') {
  run('pnpm run dev:start');
} else if (mode === 'test') {
  const chromium = process.env.FLOWLIGHT_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    if (isRoot && has('apt-get --version')) {
      console.log('[flowlight] installing Debian Chromium for the end-to-end tests');
      run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
    } else {
      console.error(
        `[flowlight] the end-to-end tests need Chromium at ${chromium}: install it (apt-get install chromium) ` +
          'or set FLOWLIGHT_CHROMIUM to its path',
      );
      process.exit(1);
    }
  }
  run('pnpm run test:unit');
  run('pnpm run test:e2e');
} else {
  console.error('usage: node scripts/bootstrap.mjs start|test');
  process.exit(2);
}
