import { expect, test } from '@playwright/test';
import { headerBadge, runFlow, seenColor, waitForState } from './support';

test('a failing flow shows red and its traceback has the thrown message and the user frame', async ({ page }) => {
  const run = await runFlow('failing');
  await waitForState(run.id, 'Failed');
  await page.goto(`/runs/${run.id}`);
  const badge = headerBadge(page);
  await expect(badge).toHaveAttribute('data-state-name', 'Failed');
  expect(await seenColor(badge)).toBe('red');
  await page.getByRole('tab', { name: 'Traceback' }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('RangeError');
  await expect(panel).toContainText('order quantity must be positive, got -3');
  await expect(panel).toContainText('validateOrder');
  await expect(panel).toContainText('e2e/flows/run.ts');
});

test('filtering to Failed shows only failed runs and the URL carries it', async ({ page }) => {
  const ok = await runFlow('steady', { E2E_MS: '200' });
  const bad = await runFlow('failing');
  await Promise.all([waitForState(ok.id, 'Completed'), waitForState(bad.id, 'Failed')]);
  await page.goto('/runs');
  await page.getByRole('group', { name: 'Filter by state' }).getByRole('button', { name: /Failed/ }).click();
  await expect(page).toHaveURL(/stateType=FAILED/);
  const table = page.getByRole('table', { name: 'Flow runs' });
  await expect(table.locator(`[data-run-id="${bad.id}"]`)).toBeVisible();
  await expect(table.locator(`[data-run-id="${ok.id}"]`)).toHaveCount(0);
  const types = await table.locator('[data-run-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state-type')));
  expect(types.length).toBeGreaterThan(0);
  expect(new Set(types)).toEqual(new Set(['FAILED']));
  // the filter survives a reload: it lives in the URL
  await page.reload();
  await expect(table.locator(`[data-run-id="${ok.id}"]`)).toHaveCount(0);
  await expect(table.locator(`[data-run-id="${bad.id}"]`)).toBeVisible();
});
