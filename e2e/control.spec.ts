import { expect, test, type Page } from '@playwright/test';
import { headerBadge, runFlow, seenColor, waitForState } from './support';

/** Clicks a run action, confirming in the dialog when one opens. */
async function act(page: Page, name: string) {
  await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog');
  if (await dialog.isVisible().catch(() => false)) {
    await dialog.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }
}

test('pause from the UI turns the run yellow and resume lets it finish green', async ({ page }) => {
  const run = await runFlow('long', { E2E_STEPS: '24' });
  await waitForState(run.id, 'Running');
  await page.goto(`/runs/${run.id}`);
  const badge = headerBadge(page);
  await expect(badge).toHaveAttribute('data-state-name', 'Running');
  await act(page, 'Pause');
  await expect(badge).toHaveAttribute('data-state-name', 'Paused');
  expect(await seenColor(badge)).toBe('yellow');
  await act(page, 'Resume');
  await expect(badge).toHaveAttribute('data-state-name', 'Running');
  await expect(badge).toHaveAttribute('data-state-name', 'Completed', { timeout: 40_000 });
  expect(await seenColor(badge)).toBe('green');
  expect(await run.exit).toBe(0);
});

test('a retrying task shows yellow, then green', async ({ page }) => {
  const run = await runFlow('retrying');
  await page.goto(`/runs/${run.id}?tab=task-runs`);
  const taskBadge = page.locator('[data-task-run-id]').first().getByTestId('state-badge');
  await expect(taskBadge).toHaveAttribute('data-state-name', 'AwaitingRetry', { timeout: 20_000 });
  expect(await seenColor(taskBadge)).toBe('yellow');
  await expect(taskBadge).toHaveAttribute('data-state-name', 'Completed', { timeout: 20_000 });
  expect(await seenColor(taskBadge)).toBe('green');
  await expect(headerBadge(page)).toHaveAttribute('data-state-name', 'Completed');
});

test('bulk cancel stops several running flows', async ({ page }) => {
  const runs = await Promise.all([1, 2, 3].map(() => runFlow('long', { E2E_STEPS: '400' })));
  await Promise.all(runs.map((r) => waitForState(r.id, 'Running')));
  await page.goto('/runs?stateType=RUNNING');
  const table = page.getByRole('table', { name: 'Flow runs' });
  for (const r of runs) {
    await table.locator(`[data-run-id="${r.id}"]`).getByRole('checkbox').check();
  }
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: /^Cancel/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /^Cancel/ }).last().click();
  for (const r of runs) await waitForState(r.id, 'Cancelled', 30_000);
  for (const r of runs) expect(await r.exit).toBe(0);
  await page.goto('/runs?stateType=CANCELLED');
  for (const r of runs) {
    await expect(table.locator(`[data-run-id="${r.id}"]`).getByTestId('state-badge')).toHaveAttribute('data-state-name', 'Cancelled');
  }
});
