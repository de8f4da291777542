import { test, expect } from '@playwright/test';
import { screenshot, waitForHydration, watchForErrors } from './helpers';

test('the landing page is server-rendered, loads its assets and hydrates', async ({ page }) => {
  const errors = watchForErrors(page);
  const assets: { path: string; cache: string; encoding: string }[] = [];
  page.on('response', async (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/pkg/') && response.ok()) {
      const headers = await response.allHeaders();
      assets.push({ path, cache: headers['cache-control'] ?? '', encoding: headers['content-encoding'] ?? '' });
    }
  });

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  // Server-rendered: the HTML as sent already holds the content.
  const html = await response!.text();
  expect(html).toContain('Run every business from its own workspace');

  await waitForHydration(page);
  // Hashed names, cached for a year, sent precompressed (Chromium accepts br).
  const kinds = assets.map((asset) => asset.path.replace(/^\/pkg\/oikos\.[\w-]+\./, '/pkg/oikos.HASH.'));
  expect(kinds).toEqual(expect.arrayContaining(['/pkg/oikos.HASH.css', '/pkg/oikos.HASH.js', '/pkg/oikos.HASH.wasm']));
  for (const asset of assets) {
    expect(asset.cache, asset.path).toBe('public, max-age=31536000, immutable');
    expect(asset.encoding, asset.path).toBe('br');
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Run every business from its own workspace',
  );
  // Tailwind is applied: the call to action is indigo, not an unstyled link.
  const cta = page.getByRole('link', { name: 'Register your business' });
  await expect(cta).toHaveCSS('color', 'rgb(255, 255, 255)');
  await expect(cta).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
  expect(errors).toEqual([]);
  await screenshot(page, 'landing-desktop');

  // Pages are rendered on the server and only their islands hydrate: the next page loads
  // from the server and the browser keeps the one wasm module it has (one module, no chunks).
  const modules = () => new Set(assets.filter((asset) => asset.path.endsWith('.wasm')).map((asset) => asset.path));
  expect(modules().size).toBe(1);
  await page.getByRole('link', { name: 'See plans and pricing' }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.locator('[data-plan="BASIC"] [data-testid="price"]')).toHaveText('$10/month');
  await waitForHydration(page);
  expect(modules().size).toBe(1);
  expect(errors).toEqual([]);
});

test('the navigation works from a phone through the menu', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const errors = watchForErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await page.getByText('Menu', { exact: true }).click();
  await screenshot(page, 'landing-mobile-menu');
  await page.getByRole('navigation', { name: 'Mobile' }).getByRole('link', { name: 'Pricing' }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plans and pricing');
  await expect(page.getByRole('navigation', { name: 'Mobile' })).toBeHidden();
  expect(errors).toEqual([]);
  await screenshot(page, 'pricing-mobile');
});

test('unknown pages answer 404 with a way back', async ({ page }) => {
  const response = await page.goto('/does-not-exist');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'Back to the home page' })).toBeVisible();
});
