import { test, expect, type Page } from '@playwright/test';
import {
  ownerSignedIn,
  port,
  portalPage,
  portalUrl,
  screenshot,
  waitForHydration,
  watchForErrors,
} from './helpers';

// localstripe, started by playwright.config.ts beside the server.
const stripe = `http://127.0.0.1:${port + 10}`;
const stripeAuth = { authorization: `Basic ${Buffer.from('sk_test_e2e:').toString('base64')}` };

/** A call of localstripe's API, as Stripe.js or Stripe itself would make it. */
async function stripeCall(path: string, form: Record<string, string>) {
  const response = await fetch(`${stripe}${path}`, {
    method: 'POST',
    headers: { ...stripeAuth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

/** A card made as Stripe.js makes it, then attached through the REST API from the page. */
async function addCard(page: Page) {
  const card = await stripeCall('/v1/payment_methods', {
    type: 'card',
    'card[number]': '4242424242424242',
    'card[exp_month]': '12',
    'card[exp_year]': '2034',
    'card[cvc]': '123',
  });
  const status = await page.evaluate(async (id) => {
    const added = await fetch('/api/v1/payment-methods', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payment_method_id: id }),
    });
    return added.status;
  }, card.id as string);
  expect(status).toBe(201);
}

test.beforeAll(async () => {
  // localstripe signs its events and delivers them to the server's webhook.
  const registered = await fetch(`${stripe}/_config/webhooks/oikos`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      url: `http://localhost:${port}/api/v1/webhooks/stripe`,
      secret: 'whsec_e2e',
    }).toString(),
  });
  expect(registered.ok).toBe(true);
});

test('an owner toggles annual, upgrades, sees the invoice, cancels and keeps the plan', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  const slug = await ownerSignedIn(page, stamp);
  await waitForHydration(page);
  await addCard(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/billing'));
  const plan = page.getByRole('region', { name: 'Your plan' });
  await expect(plan.getByText('Free')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Cards' }).getByText('visa ending 4242')).toBeVisible();
  await waitForHydration(page);
  await screenshot(page, 'billing-free');

  // Annual prices per month (the state in the URL).
  await page.getByRole('link', { name: /^Annual/ }).click();
  await expect(page).toHaveURL(portalPage(slug, '/billing?billing=annual'));
  const plans = page.getByRole('list', { name: 'Plans' });
  await expect(plans.getByText('$8/month (billed $96 annually)')).toBeVisible();

  // Upgrade: the cost first, then confirm.
  await page.getByRole('link', { name: 'Switch to Basic' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/billing/change?plan=BASIC&billing=annual'));
  await expect(page.getByRole('heading', { name: 'Upgrade to Basic, billed annually' })).toBeVisible();
  await expect(page.getByText('$96').first()).toBeVisible();
  await waitForHydration(page);
  await screenshot(page, 'billing-change');
  await page.getByRole('button', { name: 'Confirm the change' }).click();
  await expect(page.getByText('Your plan is changed.')).toBeVisible();
  await expect(plan.getByText('Basic')).toBeVisible();
  await expect(plan.getByText(/billed annual · active/)).toBeVisible();
  await expect(plan.getByText(/^Renews on /)).toBeVisible();
  const invoices = page.getByRole('region', { name: 'Invoices' });
  await expect(invoices.getByRole('link', { name: /^Download invoice/ }).first()).toBeVisible();
  await screenshot(page, 'billing-basic');

  // Cancel at the end of the period (a second click confirms), then keep the plan after all.
  await waitForHydration(page);
  await page.getByText('Cancel the subscription…').click();
  await page.getByRole('button', { name: 'Yes, cancel at the end of the period' }).click();
  await expect(page.getByText('Your subscription ends at the end of this period.')).toBeVisible();
  await expect(plan.getByText(/^Ends on /)).toBeVisible();
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Keep my subscription' }).click();
  await expect(page.getByText('Your subscription continues.')).toBeVisible();
  await expect(plan.getByText(/^Renews on /)).toBeVisible();
  expect(errors).toEqual([]);

  // The toggle without JavaScript, at phone width.
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    storageState: await page.context().storageState(),
  });
  const plain = await context.newPage();
  await plain.goto(portalUrl(slug, '/billing?billing=monthly'));
  await expect(plain.getByRole('list', { name: 'Plans' }).getByText('$29/month')).toBeVisible();
  await plain.getByRole('link', { name: /^Annual/ }).click();
  await expect(plain).toHaveURL(portalPage(slug, '/billing?billing=annual'));
  await expect(plain.getByRole('list', { name: 'Plans' }).getByText('$23/month (billed $276 annually)')).toBeVisible();
  // Stripe draws the card fields: without JavaScript the page says so, with no dead form.
  await expect(plain.getByText('Adding a card needs JavaScript')).toBeVisible();
  await expect(plain.getByRole('button', { name: 'Add card' })).toBeHidden();
  await screenshot(plain, 'billing-phone');
  await context.close();
});

test('a paid plan chosen in the wizard leads to paying for it with a card typed in the page', async ({ page }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  // A client address of this journey's own: the sign-up limit is per address.
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': `10.78.${stamp % 250}.${Math.floor(stamp / 256) % 250}` });
  const slug = `paid-studio-${stamp}`;
  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Business name').fill(`Paid Studio ${stamp}`);
  await page.getByLabel('Business email').fill(`hello.${stamp}@paid.example`);
  await page.getByRole('button', { name: 'Next: your account' }).click();
  await page.getByLabel('First name').fill('Pia');
  await page.getByLabel('Last name').fill('Payer');
  await page.getByLabel('Your email').fill(`pia.${stamp}@paid.example`);
  await page.getByLabel('Password').fill('Sturdy-Otter-42');
  await page.getByRole('button', { name: 'Next: choose a plan' }).click();
  await expect(page).toHaveURL(/\/register\/plan$/);
  await waitForHydration(page);
  await page.getByText('Annual', { exact: true }).click();
  await page.getByRole('radio', { name: /^Basic/ }).check();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await page.getByLabel('I accept the terms of service.').check();
  await page.getByLabel('I accept the privacy policy.').check();
  await page.getByRole('button', { name: 'Create my workspace' }).click();
  await page.waitForURL(/\/billing\/change/);
  // Only the registration needed its own address (Stripe.js's calls must not carry it).
  await page.setExtraHTTPHeaders({});

  // The new workspace starts on Free and goes straight to paying for Basic: a card first.
  await expect(page).toHaveURL(portalPage(slug, '/billing/change?plan=BASIC&billing=annual'));
  await expect(page.getByRole('heading', { name: 'Upgrade to Basic, billed annually' })).toBeVisible();
  await expect(page.getByText('Add the card that pays for the plan')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirm the change' })).toHaveCount(0);
  // Stripe.js (localstripe's stand-in here) draws the card fields.
  const fields = page.locator('#card-element');
  await fields.getByPlaceholder('number').fill('4242424242424242');
  await fields.getByPlaceholder('exp_month').fill('12');
  await fields.getByPlaceholder('exp_year').fill('34');
  await fields.getByPlaceholder('cvc').fill('123');
  await fields.getByPlaceholder('postal_code').fill('10115');
  await screenshot(page, 'billing-add-card');
  await page.getByRole('button', { name: 'Add card' }).click();
  // Back on the same page, reloaded: the card is there, so the change can be confirmed.
  await expect(page).toHaveURL(portalPage(slug, '/billing/change?plan=BASIC&billing=annual&card_added=1'));
  await expect(page.getByRole('button', { name: 'Confirm the change' })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Confirm the change' }).click();
  await expect(page.getByText('Your plan is changed.')).toBeVisible();
  const plan = page.getByRole('region', { name: 'Your plan' });
  await expect(plan.getByText('Basic')).toBeVisible();
  await expect(plan.getByText(/billed annual · active/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Cards' }).getByText('visa ending 4242')).toBeVisible();
  expect(errors).toEqual([]);

  // The confirmation page at phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(portalUrl(slug, '/billing/change?plan=PRO&billing=annual'));
  await expect(page.getByRole('heading', { name: 'Upgrade to Pro, billed annually' })).toBeVisible();
  await screenshot(page, 'billing-change-phone');
});
