import { test, expect } from '@playwright/test';
import { screenshot, waitForHydration, watchForErrors } from './helpers';

test('the super admin reads the local mailbox; nobody else sees it', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  const email = `mailbox.${Date.now()}@example.com`;

  // A sign-up sends a verification mail, which lands in the local mailbox (no SMTP_URL).
  const visitor = await browser.newContext();
  const signup = await visitor.newPage();
  await signup.goto('/signup');
  await signup.getByLabel('First name').fill('Mo');
  await signup.getByLabel('Last name').fill('Ray');
  await signup.getByLabel('Email').fill(email);
  await signup.getByLabel('Password').fill('Sturdy-Otter-42');
  await signup.getByRole('button', { name: 'Create account' }).click();
  await expect(signup).toHaveURL(/\/check-email$/);
  // Not for visitors.
  await signup.goto('/admin/mailbox');
  await expect(signup.getByText('Page not found.')).toBeVisible();
  await visitor.close();

  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('Email').fill('root@oikos.test');
  await page.getByLabel('Password').fill('Root-Pass-2026');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin/mailbox');
  const mail = page.getByRole('list', { name: 'Mails' }).locator('li', { hasText: email });
  await expect(mail).toContainText('Confirm your email address');
  await mail.locator('summary').click();
  await expect(mail.locator('pre')).toContainText('/verify-email?token=');
  await screenshot(page, 'admin-mailbox');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'admin-mailbox-phone');
  expect(errors).toEqual([]);
});
