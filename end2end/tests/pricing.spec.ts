import { test, expect, type Page } from '@playwright/test';
import { screenshot, waitForHydration, watchForErrors } from './helpers';

const price = (page: Page, plan: string) => page.locator(`[data-plan="${plan}"] [data-testid="price"]`);

test('the billing toggle switches prices, the state in the URL', async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto('/pricing');
  await waitForHydration(page);

  await expect(price(page, 'FREE')).toHaveText('Free');
  await expect(price(page, 'BASIC')).toHaveText('$10/month');
  await expect(price(page, 'PRO')).toHaveText('$29/month');
  await expect(page.getByRole('link', { name: 'Monthly' })).toHaveAttribute('aria-current', 'true');
  await screenshot(page, 'pricing-monthly');

  await page.getByRole('link', { name: /Annual/ }).click();

  await expect(price(page, 'BASIC')).toHaveText('$8/month (billed $96 annually)');
  await expect(price(page, 'PRO')).toHaveText('$23/month (billed $276 annually)');
  await expect(price(page, 'ENTERPRISE')).toHaveText('$79/month (billed $948 annually)');
  await expect(page).toHaveURL(/\?billing=annual$/);
  await expect(page.getByRole('link', { name: /Annual/ })).toHaveAttribute('aria-current', 'true');
  await screenshot(page, 'pricing-annual');

  await page.getByRole('link', { name: 'Monthly' }).click();
  await expect(price(page, 'BASIC')).toHaveText('$10/month');
  expect(errors).toEqual([]);
});

test('the billing toggle works without JavaScript, state in the URL', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/pricing');
  await expect(price(page, 'BASIC')).toHaveText('$10/month');
  await page.getByRole('link', { name: /Annual/ }).click();
  await expect(page).toHaveURL(/\?billing=annual$/);
  await expect(price(page, 'BASIC')).toHaveText('$8/month (billed $96 annually)');
  await screenshot(page, 'pricing-annual-no-js');
  await context.close();
});
