import { test, expect, type Page } from '@playwright/test';
import { portalPage, screenshot, waitForHydration, watchForErrors } from './helpers';

const PASSWORD = 'Sturdy-Otter-42';

function current(page: Page) {
  return page.getByRole('list', { name: 'Progress' }).locator('[aria-current="step"]');
}

async function next(page: Page, label: string) {
  await page.getByRole('button', { name: label }).click();
}

test('a new owner registers a business through the wizard', async ({ page }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  const name = `Sunrise Studio ${stamp}`;
  const slug = `sunrise-studio-${stamp}`;

  await page.goto('/');
  await page.getByRole('link', { name: 'Register your business' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await waitForHydration(page);
  await expect(current(page)).toHaveText('1. Business');

  // The address preview follows the name as it is typed.
  await page.getByLabel('Business name').fill(name);
  await expect(page.getByText(`${slug}.`)).toBeVisible();
  // A missing email is named in place; nothing typed is lost.
  await next(page, 'Next: your account');
  await expect(page.getByText('Enter an email address.')).toBeVisible();
  await expect(page.getByLabel('Business email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Business name')).toHaveValue(name);
  await screenshot(page, 'register-business-errors');
  await page.getByLabel('Business email').fill(`hello.${stamp}@example.com`);
  await page.getByLabel('Website (optional)').fill('sunrise.example');
  await next(page, 'Next: your account');
  await expect(page).toHaveURL(/\/register\/account$/);
  await expect(current(page)).toHaveText('2. Your account');

  // Back keeps what was typed, and so does a reload.
  await page.getByLabel('First name').fill('Rosa');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByLabel('Business email')).toHaveValue(`hello.${stamp}@example.com`);
  await page.reload();
  await expect(page.getByLabel('Business name')).toHaveValue(name);
  await next(page, 'Next: your account');
  await expect(page.getByLabel('First name')).toHaveValue('Rosa');
  await page.getByLabel('Last name').fill('Diaz');
  await page.getByLabel('Your email').fill(`rosa.${stamp}@example.com`);
  await page.getByLabel('Password').fill('password');
  await next(page, 'Next: choose a plan');
  await expect(page.getByText('Use upper- and lower-case letters and at least one digit.')).toBeVisible();
  errors.length = 0;
  await page.getByLabel('Password').fill(PASSWORD);
  await next(page, 'Next: choose a plan');
  await expect(page).toHaveURL(/\/register\/plan$/);

  // FREE is preselected; the toggle shows annual prices.
  await waitForHydration(page);
  await expect(page.getByRole('radio', { name: /^Free/ })).toBeChecked();
  const annualBasic = page.getByText(/\$8\/month/);
  await expect(annualBasic).toBeHidden();
  await page.getByText('Annual', { exact: true }).click();
  await expect(annualBasic).toBeVisible();
  await screenshot(page, 'register-plan-annual');
  await next(page, 'Next: review');
  await expect(page).toHaveURL(/\/register\/review$/);

  // The consents are required, each named in place.
  await next(page, 'Create my workspace');
  await expect(page.getByText('Accept the terms of service to continue.')).toBeVisible();
  errors.length = 0;
  await page.getByLabel('I accept the terms of service.').check();
  await page.getByLabel('I accept the privacy policy.').check();
  await screenshot(page, 'register-review');
  await next(page, 'Create my workspace');
  // Handed over to the new workspace's own portal, on its subdomain, signed in there.
  await expect(page).toHaveURL(portalPage(slug, '/dashboard?welcome=1'));
  await expect(page.getByText('Your workspace is ready.')).toBeVisible();
  await expect(page.getByRole('link', { name: name })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account (Rosa)' })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveAttribute('value', '0');
  await expect(page.locator('[data-step="verify_email"]')).toHaveAttribute('data-done', 'false');
  await screenshot(page, 'register-done-dashboard');
  expect(errors).toEqual([]);
});

test('the wizard works with JavaScript off, on a phone', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const stamp = Date.now();

  await page.goto('/register');
  await page.getByLabel('Business name').fill(`Plain Forms ${stamp}`);
  await page.getByLabel('Business email').fill('not an address');
  await next(page, 'Next: your account');
  // The server renders the error, and the draft keeps the name.
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByLabel('Business name')).toHaveValue(`Plain Forms ${stamp}`);
  await screenshot(page, 'register-business-errors-no-js');
  await page.getByLabel('Business email').fill(`plain.${stamp}@example.com`);
  await next(page, 'Next: your account');
  await expect(page).toHaveURL(/\/register\/account$/);
  await page.getByLabel('First name').fill('Pat');
  await page.getByLabel('Last name').fill('Lo');
  await page.getByLabel('Your email').fill(`pat.${stamp}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await next(page, 'Next: choose a plan');
  await expect(page).toHaveURL(/\/register\/plan$/);
  await next(page, 'Next: review');
  await expect(page).toHaveURL(/\/register\/review$/);
  await page.getByLabel('I accept the terms of service.').check();
  await page.getByLabel('I accept the privacy policy.').check();
  await screenshot(page, 'register-review-phone');
  await next(page, 'Create my workspace');
  await expect(page).toHaveURL(portalPage(`plain-forms-${stamp}`, '/dashboard?welcome=1'));
  await expect(page.getByText('Your workspace is ready.')).toBeVisible();
  await expect(page.getByText('0 of 6 done')).toBeVisible();
  await screenshot(page, 'register-done-phone-no-js');
  await context.close();
});
