import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const screenshotDir = path.join(__dirname, '..', 'screenshots');

/** Collects console errors and failed requests so a test can assert the page ran cleanly. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/does-not-exist')) {
      errors.push(`${response.status()} ${response.url()}`);
    }
  });
  return errors;
}

/** Waits until the wasm has hydrated the page (the app marks <body> when it has). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The port the server under test listens on (see playwright.config.ts). */
export const port = Number(process.env.E2E_PORT ?? 3100);

/** A page of the portal of the workspace `slug`: `http://{slug}.localhost:{port}{path}`. */
export function portalUrl(slug: string, path = '') {
  return `http://${slug}.localhost:${port}${path}`;
}

/** Matches exactly that portal page (`path` may carry a query). */
export function portalPage(slug: string, path: string) {
  const escaped = portalUrl(slug, path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}$`);
}

/** The password of the owners [`ownerSignedIn`] registers. */
export const OWNER_PASSWORD = 'Sturdy-Otter-42';

/** Registers a business over the REST API and signs its owner in on its portal; its slug. */
export async function ownerSignedIn(page: Page, stamp: number) {
  const response = await page.request.post('/api/v1/public/register', {
    // A client address of this journey's own: the sign-up limit is per address.
    headers: { 'x-forwarded-for': `10.77.${stamp % 250}.${Math.floor(stamp / 256) % 250}` },
    data: {
      business_name: `Team Salon ${stamp}`,
      business_email: `hello.${stamp}@team.example`,
      admin_first_name: 'Olga',
      admin_last_name: 'Owner',
      admin_email: `olga.${stamp}@team.example`,
      admin_password: OWNER_PASSWORD,
      terms_accepted: true,
      privacy_accepted: true,
    },
  });
  expect(response.status()).toBe(201);
  const slug = (await response.json()).slug as string;
  await page.goto(portalUrl(slug, '/login'));
  await page.getByLabel('Email').fill(`olga.${stamp}@team.example`);
  await page.getByLabel('Password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/dashboard'));
  return slug;
}

