import { expect, test } from '@playwright/test';
import { runFlow, waitForState } from './support';

test('the log level filter and the log search narrow the lines', async ({ page }) => {
  const run = await runFlow('logs');
  await waitForState(run.id, 'Completed');
  await page.goto(`/runs/${run.id}`);
  await page.getByRole('tab', { name: 'Logs' }).click();
  const lines = page.getByRole('list', { name: 'Log lines' }).getByRole('listitem');
  await expect(lines.filter({ hasText: 'loaded 42 rows' })).toHaveCount(1);
  const all = await lines.count();
  expect(all).toBeGreaterThanOrEqual(4);

  await page.getByRole('combobox', { name: 'Minimum log level' }).selectOption({ label: 'Warning and above' });
  await expect(lines.filter({ hasText: 'loaded 42 rows' })).toHaveCount(0);
  await expect(lines.filter({ hasText: 'missing prices' })).toHaveCount(1);
  await expect(lines.filter({ hasText: 'pricing-service' })).toHaveCount(1);
  await expect(lines).toHaveCount(2);

  await page.getByRole('searchbox', { name: 'Search logs' }).fill('pricing');
  await expect(lines).toHaveCount(1);
  await expect(lines.first()).toContainText('could not reach pricing-service');
  await expect(lines.first().locator('mark')).toHaveText(/pricing/i);
});
