import { test, expect, type Page, type Browser } from '@playwright/test';
import { screenshot, waitForHydration, watchForErrors } from './helpers';
import { linkFromMail } from './mailbox';

const PASSWORD = 'Sturdy-Otter-42';

async function signUp(page: Page, email: string) {
  await page.goto('/signup');
  await page.getByLabel('First name').fill('Ann');
  await page.getByLabel('Last name').fill('Lee');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/check-email$/);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
}

async function confirmFromMail(page: Page, email: string) {
  const link = await linkFromMail(email, '/verify-email?token=');
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await expect(page.getByText('Your email address is confirmed')).toBeVisible();
}

async function logIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
}

const PHONE = { width: 390, height: 844 };

async function newPage(browser: Browser, options: { javaScriptEnabled?: boolean; viewport?: typeof PHONE } = {}) {
  const context = await browser.newContext(options);
  return { context, page: await context.newPage() };
}

test('sign up, confirm from the mail, log in, see the sessions, log out everywhere', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  const email = `ann.${Date.now()}@example.com`;

  await page.goto('/signup');
  await waitForHydration(page);
  // While a form is on its way its button says so, and a second click does not send it
  // again (the post is held here, so that the state can be seen).
  await page.evaluate(() => window.addEventListener('submit', (event) => event.preventDefault(), { once: true }));
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Creating…' })).toHaveAttribute('aria-busy', 'true');
  await page.reload();
  await waitForHydration(page);
  // Field errors appear in place, next to their fields, and what was typed stays (but
  // never the password).
  await page.getByLabel('First name').fill('Ann');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('This field is required.').first()).toBeVisible();
  await expect(page.getByLabel('First name')).toHaveValue('Ann');
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await screenshot(page, 'signup-field-errors');

  await signUp(page, email);
  await screenshot(page, 'check-email');
  await confirmFromMail(page, email);
  await waitForHydration(page);
  await screenshot(page, 'login-verified');
  await logIn(page, email);
  await expect(page.getByLabel('Sessions').getByText('This browser')).toBeVisible();

  // A second device, a phone, signs in: both sessions are listed.
  const phone = await newPage(browser, { viewport: PHONE });
  await phone.page.goto('/login');
  await logIn(phone.page, email);
  await expect(phone.page.getByLabel('Sessions').getByText(/^Chrome on /).first()).toBeVisible();
  await screenshot(phone.page, 'account-phone');
  await page.reload();
  await expect(page.getByLabel('Sessions').locator('li')).toHaveCount(2);
  await screenshot(page, 'account-sessions');

  // A destructive action asks first.
  await page.getByText('Log out everywhere…').click();
  await expect(page.getByText('This ends every session of your account')).toBeVisible();
  await screenshot(page, 'account-log-out-everywhere-confirm');
  await page.getByRole('button', { name: 'Yes, log out everywhere' }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=everywhere$/);
  await expect(page.getByText('You are signed out on every device.')).toBeVisible();
  await screenshot(page, 'logged-out-everywhere');

  // The other device is signed out too: its account page sends it to log in.
  await phone.page.goto('/account');
  await expect(phone.page).toHaveURL(/\/login\?next=\/account$/);
  await phone.context.close();
  expect(errors.filter((e) => !e.includes('/api/'))).toEqual([]);
});

test('the same sign-up and login with JavaScript off', async ({ browser }) => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  const email = `bo.${Date.now()}@example.com`;

  // A plain form post with a weak password comes back with the errors on the page.
  await page.goto('/signup');
  await page.getByLabel('First name').fill('Bo');
  await page.getByLabel('Last name').fill('Kim');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use upper- and lower-case letters and at least one digit.')).toBeVisible();
  await screenshot(page, 'signup-errors-no-js');

  await signUp(page, email);
  await confirmFromMail(page, email);
  // A wrong password first: the error is rendered by the server.
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Wrong-Pass-99');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('Incorrect email or password.');
  await screenshot(page, 'login-error-no-js');
  await logIn(page, email);
  await expect(page.getByLabel('Sessions').getByText('This browser')).toBeVisible();
  await screenshot(page, 'account-no-js');
  await context.close();
});

test('forgot password: the link from the mail sets a new one', async ({ browser }) => {
  const { context, page } = await newPage(browser);
  const email = `cy.${Date.now()}@example.com`;
  await signUp(page, email);
  await confirmFromMail(page, email);

  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page).toHaveURL(/\/forgot-password\?sent=1$/);
  await screenshot(page, 'forgot-password-sent');
  const link = await linkFromMail(email, '/reset-password?token=');
  await page.goto(link);
  await page.getByLabel('New password').fill('Brand-New-Pass-7');
  await screenshot(page, 'reset-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Brand-New-Pass-7');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/account$/);

  // The header knows who is signed in, and its "Log out" signs this browser out.
  const header = page.getByRole('navigation', { name: 'Main' });
  await expect(header.getByRole('link', { name: 'Your account (Ann)' })).toBeVisible();
  await screenshot(page, 'header-signed-in');
  await header.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);
  await expect(header.getByRole('link', { name: 'Log in' })).toBeVisible();
  await context.close();
});
