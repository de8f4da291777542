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
