import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumLaunchOptions } from './chromium.config';

const port = Number(process.env.FLOWLIGHT_E2E_PORT ?? 4312);
// The main process starts the API once; workers load this file too but start nothing.
const db = process.env.FLOWLIGHT_E2E_DB ?? path.join(mkdtempSync(path.join(tmpdir(), 'flowlight-e2e-')), 'e2e.db');
process.env.FLOWLIGHT_E2E_DB = db;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  webServer: {
    // The real API serving the built dashboard, on a fresh SQLite file, without demo flows.
    command: 'node --import tsx apps/demo/src/main.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      FLOWLIGHT_DEMO: '0',
      FLOWLIGHT_PORT: String(port),
      FLOWLIGHT_DB: db,
      FLOWLIGHT_LOG_LEVEL: 'warn',
      FLOWLIGHT_HEARTBEAT_GRACE_SECONDS: '30',
    },
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    trace: 'off',
    launchOptions: chromiumLaunchOptions,
  },
});
