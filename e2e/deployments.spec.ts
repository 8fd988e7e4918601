import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { API_URL, apiGet, headerBadge, seenColor } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));
let worker: ChildProcess | undefined;

test.beforeAll(async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'flows/worker.ts')], {
    cwd: path.join(here, '..'),
    env: { ...process.env, FLOWLIGHT_API_URL: API_URL, FLOWLIGHT_PRINT_LOGS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker = child;
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('serving')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited (${code}):\n${out}`)));
  });
});
test.afterAll(() => {
  worker?.kill('SIGKILL');
});

test('Run with parameters from the Deployments page: the form validates, the run turns green with those parameters', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deployments' }).click();
  await expect(page).toHaveURL(/\/deployments$/);
  const table = page.getByRole('table', { name: 'Deployments' });
  const row = table.getByRole('row').filter({ hasText: 'forecast' });
  await expect(row).toContainText('weather-report');
  await row.getByRole('button', { name: 'Run forecast' }).click();

  const dialog = page.getByRole('dialog', { name: 'Run forecast' });
  // fields come from the zod schema, with the deployment's parameters as defaults
  await expect(dialog.getByLabel('city')).toHaveValue('Oslo');
  await expect(dialog.getByLabel('days')).toHaveValue('3');
  await expect(dialog.getByLabel('units')).toHaveValue('metric');
  await expect(dialog.getByLabel('alerts')).not.toBeChecked();

  // inline validation names the field
  await dialog.getByLabel('city').fill('L');
  await dialog.getByLabel('days').fill('many');
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(dialog.getByText('Must have at least 2 characters')).toBeVisible();
  await expect(dialog.getByText('Enter a whole number')).toBeVisible();
  await expect(dialog.getByLabel('days')).toHaveAttribute('aria-invalid', 'true');

  await dialog.getByLabel('city').fill('Lisbon');
  await dialog.getByLabel('days').fill('5');
  await dialog.getByLabel('units').selectOption('imperial');
  await dialog.getByLabel('alerts').check();
  await dialog.getByRole('button', { name: 'Start run' }).click();

  // the run's detail page opens and turns green
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  const badge = headerBadge(page);
  await expect(badge).toHaveAttribute('data-state-name', 'Completed', { timeout: 30_000 });
  expect(await seenColor(badge)).toBe('green');
  await page.getByRole('tab', { name: 'Parameters' }).click();
  const params = page.getByRole('tabpanel');
  await expect(params).toContainText('Lisbon');
  await expect(params).toContainText('imperial');
  const run = await apiGet<{ parameters: { text: string }; result: { text: string }; deploymentId: string }>(`/api/flow-runs/${id}`);
  expect(JSON.parse(run.parameters.text)).toEqual({ city: 'Lisbon', days: 5, units: 'imperial', alerts: true });
  expect(JSON.parse(run.result.text)).toBe('Forecast for Lisbon: 5 days (imperial, with alerts)');

  // "Run again…" starts from this run's parameters; a changed one makes a new run
  await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Run again…' }).click();
  const again = page.getByRole('dialog', { name: 'Run forecast' });
  await expect(again.getByLabel('city')).toHaveValue('Lisbon');
  await expect(again.getByLabel('days')).toHaveValue('5');
  await again.getByLabel('city').fill('Porto');
  await again.getByRole('button', { name: 'Start run' }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(headerBadge(page)).toHaveAttribute('data-state-name', 'Completed', { timeout: 30_000 });
  const second = await apiGet<{ parameters: { text: string } }>(`/api/flow-runs/${page.url().split('/').pop()!}`);
  expect(JSON.parse(second.parameters.text)).toEqual({ city: 'Porto', days: 5, units: 'imperial', alerts: true });

  // back on the Deployments page, both runs are among the last runs, as green marks
  await page.goto('/deployments');
  const marks = page.getByRole('list', { name: /Last \d+ runs of forecast/ });
  await expect(marks.locator('[data-state-name="Completed"]')).toHaveCount(2);
});

test('the schedule switch turns a deployment’s schedule off and on', async ({ page }) => {
  await page.goto('/deployments');
  const sw = page.getByRole('switch', { name: 'Schedule heartbeat' });
  await expect(sw).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('table', { name: 'Deployments' }).getByRole('row').filter({ hasText: 'heartbeat' })).toContainText('Every 30 s');
  await sw.click();
  await expect(sw).toHaveAttribute('aria-checked', 'false');
  const [d] = await apiGet<{ paused: boolean }[]>('/api/deployments?name=heartbeat');
  expect(d!.paused).toBe(true);
  await sw.click();
  await expect(sw).toHaveAttribute('aria-checked', 'true');
});
