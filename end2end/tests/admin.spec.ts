import { test, expect, type Page } from '@playwright/test';
import { screenshot, waitForHydration, watchForErrors } from './helpers';

/** Signs the first super admin in (its account page opens). */
async function signInAsRoot(page: Page) {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('Email').fill('root@oikos.test');
  await page.getByLabel('Password').fill('Root-Pass-2026');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

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

  await signInAsRoot(page);
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

test('the super admin sees the platform figures as charts with their tables', async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto('/admin');
  await expect(page.getByText('Page not found.')).toBeVisible();

  await signInAsRoot(page);
  await page.getByRole('link', { name: 'Open the platform overview' }).click();
  await expect(page.getByRole('heading', { name: 'Platform overview' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  // Each chart is an image with its figures in a table; the tables hold the counts.
  const byPlan = page.getByRole('table', { name: 'Tenants by plan' });
  await expect(byPlan.getByRole('row', { name: /Free/ })).toBeVisible();
  const byStatus = page.getByRole('table', { name: 'Tenants by status' });
  const count = async (name: RegExp) =>
    Number(await byStatus.getByRole('row', { name }).getByRole('cell').textContent());
  const total = (await count(/^Active/)) + (await count(/^Inactive/));
  await expect(page.locator('dt', { hasText: /^Tenants$/ }).locator('+ dd')).toHaveText(String(total));
  await expect(page.getByRole('img', { name: /Sign-ups per day/ })).toBeVisible();
  await expect(page.locator('figure').nth(2).locator('rect')).toHaveCount(90);
  await page.getByText('Show the figures').click();
  await expect(page.getByRole('table', { name: /Sign-ups per day/ }).getByRole('row')).toHaveCount(91);
  await screenshot(page, 'admin-overview');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'admin-overview-phone');
  expect(errors).toEqual([]);
});

test('the super admin searches, filters, sorts and pages the tenants table', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  // 27 tenants through the public registration API, one of them deactivated below.
  for (let i = 0; i < 27; i++) {
    const n = String(i).padStart(2, '0');
    const created = await request.post('/api/v1/public/register', {
      // A client address each: the sign-up limit is per address.
      headers: { 'x-forwarded-for': `10.9.${i}.${stamp % 250}` },
      data: {
        business_name: `Table ${stamp} ${n}`, business_email: `table.${stamp}.${n}@example.com`,
        admin_first_name: 'Tab', admin_last_name: 'Le', admin_email: `owner.${stamp}.${n}@example.com`,
        admin_password: 'Sturdy-Otter-42', terms_accepted: true, privacy_accepted: true,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
  }
  await signInAsRoot(page);
  await page.goto('/admin/tenants');
  await page.getByLabel('Search by name, address or email').fill(`Table ${stamp}`);
  await page.getByLabel('Order').selectOption('name');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'tenant(s)' })).toHaveText('27 tenant(s) · page 1 of 2');
  const rows = page.getByRole('table', { name: 'Tenants' }).locator('tbody tr');
  await expect(rows).toHaveCount(25);
  await expect(rows.first().getByRole('rowheader')).toHaveText(`Table ${stamp} 00`);
  await screenshot(page, 'admin-tenants');
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.last().getByRole('rowheader')).toHaveText(`Table ${stamp} 26`);
  // Nothing inactive among them yet.
  await page.getByLabel('Status').selectOption('inactive');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No tenant matches.')).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel('Status').selectOption('');
  await page.getByRole('button', { name: 'Apply' }).click();
  await screenshot(page, 'admin-tenants-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Open one: its profile, members, plan and activity; deactivate it (a second click), then
  // reactivate it.
  const name = `Table ${stamp} 00`;
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const members = page.getByRole('region', { name: 'Members (1)' });
  await expect(members).toContainText(`owner.${stamp}.00@example.com`);
  await expect(page.getByRole('region', { name: 'Subscription' })).toContainText('FREE');
  await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText('tenant.registered');
  await screenshot(page, 'admin-tenant');
  await page.getByText(`Deactivate ${name}…`).click();
  await page.getByRole('button', { name: 'Yes, deactivate it' }).click();
  await expect(page.getByText('The tenant is deactivated')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Profile' })).toContainText('Status: Inactive');
  await page.goto('/admin/tenants?status=inactive');
  await expect(page.getByRole('link', { name })).toBeVisible();
  await page.getByRole('link', { name }).click();
  await page.getByRole('button', { name: 'Reactivate' }).click();
  await expect(page.getByText('The tenant is active again.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Profile' })).toContainText('Status: Active');
  expect(errors).toEqual([]);
});
