/** Shared helpers of the end-to-end tests: real flows in real engine processes, API calls. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_PORT = Number(process.env.FLOWLIGHT_E2E_PORT ?? 4312);
export const API_URL = `http://127.0.0.1:${E2E_PORT}`;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface RunningFlow {
  id: string;
  exit: Promise<number | null>;
  kill: () => void;
}

/** Starts a scenario of e2e/flows/run.ts in its own engine process; resolves once its run exists. */
export async function runFlow(scenario: string, env: Record<string, string> = {}): Promise<RunningFlow> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'flows/run.ts'), scenario], {
    cwd: path.join(here, '..'),
    env: { ...process.env, FLOWLIGHT_API_URL: API_URL, FLOWLIGHT_PRINT_LOGS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  const exit = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      children.delete(child);
      r(code);
    }),
  );
  const id = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /flow-run (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exit.then(() => reject(new Error(`flow process ended before its run started:\n${out}`)));
  });
  return { id, exit, kill: () => child.kill('SIGKILL') };
}

export async function apiGet<T>(p: string): Promise<T> {
  const res = await fetch(`${API_URL}${p}`);
  if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
  return (await res.json()) as T;
}

/** Waits until the API reports the run in a state of that name. */
export async function waitForState(id: string, name: string, timeout = 20_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await fetch(`${API_URL}/api/flow-runs/${id}`);
        return res.ok ? ((await res.json()) as { state: { name: string } }).state.name : `HTTP ${res.status}`;
      },
      { timeout },
    )
    .toBe(name);
}

/** The state badge in the run detail page header. */
export const headerBadge = (page: Page): Locator => page.locator('header:has(h1)').getByTestId('state-badge').first();

/**
 * The color a person sees on a badge (its icon), as a coarse hue name: the computed color is
 * painted on a canvas and read back as RGB, whatever color space the stylesheet uses.
 */
export async function seenColor(badge: Locator): Promise<'green' | 'red' | 'yellow' | 'blue' | 'orange' | 'grey' | 'other'> {
  const [r, g, b] = await badge.evaluate((el) => {
    const icon = (el.querySelector('span') ?? el) as HTMLElement;
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.fillStyle = getComputedStyle(icon).color;
    ctx.fillRect(0, 0, 1, 1);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data);
  });
  const max = Math.max(r!, g!, b!);
  const min = Math.min(r!, g!, b!);
  if (max - min < 40) return 'grey';
  if (b! >= r! && b! >= g!) return 'blue';
  if (g! > r! && g! >= b!) return 'green';
  if (r! > 150 && g! > 150 && b! < 120) return 'yellow';
  if (r! > 150 && g! > 110 && b! < 120 && g! / r! > 0.6) return 'yellow';
  if (r! > 150 && g! > 60 && b! < 100) return 'orange';
  if (r! > g! && r! > b!) return 'red';
  return 'other';
}
