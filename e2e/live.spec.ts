import { expect, test } from '@playwright/test';
import { headerBadge, runFlow, seenColor } from './support';

test('a running flow turns from blue to green without a reload', async ({ page }) => {
  const run = await runFlow('steady', { E2E_MS: '6000' });
  await page.goto(`/runs/${run.id}`);
  const badge = headerBadge(page);
  await expect(badge).toHaveAttribute('data-state-name', 'Running');
  expect(await seenColor(badge)).toBe('blue');
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await expect(badge).toHaveAttribute('data-state-name', 'Completed', { timeout: 30_000 });
  expect(await seenColor(badge)).toBe('green');
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  expect(await run.exit).toBe(0);
});

test('the runs list shows a new run and its state change live', async ({ page }) => {
  await page.goto('/runs');
  await expect(page.getByRole('table', { name: 'Flow runs' })).toBeVisible();
  const run = await runFlow('steady', { E2E_MS: '3000' });
  const row = page.locator(`[data-run-id="${run.id}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('state-badge')).toHaveAttribute('data-state-name', 'Completed', { timeout: 30_000 });
});
