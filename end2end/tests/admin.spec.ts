import { test, expect, type Page } from '@playwright/test';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { portalPage, portalUrl, screenshot, waitForHydration, watchForErrors } from './helpers';

/** Signs the first super admin in (its account page opens), from a client address of its
 * own: sign-in allows five a minute per account and address. */
async function signInAsRoot(page: Page) {
  const octet = () => Math.floor(Math.random() * 250);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': `10.8.${octet()}.${octet()}` });
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
  // Nothing inactive among them yet, and all on the free plan.
  await page.getByLabel('Status').selectOption('inactive');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No tenant matches.')).toBeVisible();
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Plan').selectOption('PRO');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No tenant matches.')).toBeVisible();
  await page.getByLabel('Plan').selectOption('FREE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'tenant(s)' })).toHaveText('27 tenant(s) · page 1 of 2');
  await expect(rows.first().getByRole('cell').nth(2)).toHaveText('FREE');
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
  await expect(page.getByRole('region', { name: 'Invoices' })).toContainText('No invoice yet.');
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

test('the super admin creates a tenant, acts as its admin with a banner, and ends it', async ({ page }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  const name = `Acting ${stamp}`;
  await signInAsRoot(page);
  await page.goto('/admin/tenants');
  await page.getByText('New tenant').click();
  await page.getByLabel('Business name').fill(name);
  await page.getByLabel('Business email').fill(`acting.${stamp}@example.com`);
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Admin');
  await page.getByLabel('Email', { exact: true }).fill(`ada.${stamp}@example.com`);
  await page.getByLabel('Password').fill('Sturdy-Otter-42');
  await screenshot(page, 'admin-new-tenant');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.getByText('The tenant is created with its admin')).toBeVisible();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const tenantPage = page.url().replace(/\?.*$/, '');

  const acting = page.getByRole('region', { name: 'Act as an admin' });
  await expect(acting.getByLabel('Admin')).toContainText(`ada.${stamp}@example.com`);
  await acting.getByRole('button', { name: 'Act as this admin' }).click();
  await expect(page).toHaveURL(portalPage(`acting-${stamp}`, '/dashboard'));
  const banner = page.getByRole('region', { name: 'Impersonation' });
  await expect(banner).toContainText(`root@oikos.test is acting as Ada Admin (ada.${stamp}@example.com)`);
  await screenshot(page, 'impersonation-dashboard');
  // On every page.
  await page.goto(portalUrl(`acting-${stamp}`, '/team'));
  await expect(banner).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'impersonation-team-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  await banner.getByRole('button', { name: 'End impersonation' }).click();
  await expect(page).toHaveURL(`${tenantPage}?impersonation=ended`);
  await expect(page.getByText('You stopped acting as the workspace')).toBeVisible();
  const activity = page.getByRole('region', { name: 'Recent activity' });
  await expect(activity).toContainText('impersonation.started');
  await expect(activity).toContainText('impersonation.ended');
  await screenshot(page, 'impersonation-ended');
  expect(errors).toEqual([]);
});

test('the super admin creates an API key shown once, which works until revoked', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const name = `Partner ${Date.now()}`;
  await signInAsRoot(page);
  await page.goto('/admin/api-keys');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Read tenants').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('status', { name: 'Your new API key' });
  const key = await shown.getByRole('textbox').inputValue();
  expect(key).toMatch(/^oik_/);
  await screenshot(page, 'admin-api-key-created');
  const unknown = `/api/provisioning/tenants/${crypto.randomUUID()}`;
  const auth = { headers: { authorization: `Bearer ${key}` } };
  expect((await request.get(unknown, auth)).status()).toBe(404);

  // Once only: the next visit lists it without the key.
  await page.goto('/admin/api-keys');
  await expect(page.getByRole('status', { name: 'Your new API key' })).toHaveCount(0);
  const item = page.getByRole('list', { name: 'API keys' }).locator('li', { hasText: name });
  await expect(item).toContainText('tenant:read');
  await expect(item).toContainText('Active');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'admin-api-keys-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await item.getByText(`Revoke ${name}…`).click();
  await item.getByRole('button', { name: 'Yes, revoke it' }).click();
  await expect(page.getByText('The key is revoked')).toBeVisible();
  await expect(page.getByRole('list', { name: 'API keys' }).locator('li', { hasText: name })).toContainText('Revoked');
  expect((await request.get(unknown, auth)).status()).toBe(401);
  expect(errors).toEqual([]);
});

test('the super admin registers a webhook, sends a test event and reads the delivery log', async ({ page }) => {
  const errors = watchForErrors(page);
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(`${req.headers['oikos-signature']} ${body}`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${Date.now()}`;
  try {
    await signInAsRoot(page);
    await page.goto('/admin/webhooks');
    await page.getByLabel('URL').fill(url);
    await page.getByLabel('tenant.deleted').uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByRole('status', { name: "The endpoint's signing secret" }).getByRole('textbox').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await screenshot(page, 'admin-webhook-created');
    const endpoint = page.getByRole('list', { name: 'Endpoints' }).locator('li', { hasText: url });
    await expect(endpoint).toContainText('tenant.reactivated');
    await expect(endpoint).not.toContainText('tenant.deleted');
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    await expect(page.getByText('A webhook.test event is queued')).toBeVisible();
    // The worker delivers within seconds; the log shows the receiver's answer.
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
    expect(received[0]).toMatch(/^t=\d+,v1=[0-9a-f]{64} \{.*"type":"webhook.test"/);
    await page.reload();
    const delivery = page.getByRole('list', { name: 'Deliveries' }).locator('li').first();
    await expect(delivery).toContainText('webhook.test');
    await expect(delivery).toContainText('delivered');
    await expect(delivery.getByRole('table', { name: 'Attempts' })).toContainText('204');
    await screenshot(page, 'admin-webhook-log');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'admin-webhook-log-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/admin/outbox');
    await expect(page.getByRole('heading', { name: 'Outgoing mail' })).toBeVisible();
    await screenshot(page, 'admin-outbox');
    expect(errors).toEqual([]);
  } finally {
    receiver.close();
  }
});
