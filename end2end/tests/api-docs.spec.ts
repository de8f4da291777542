import { test, expect } from '@playwright/test';
import { screenshot, watchForErrors } from './helpers';

test('the API docs show every route from the generated document, under the site CSP', async ({ page }) => {
  const errors = watchForErrors(page);
  const document = await (await page.request.get('/api/openapi.json')).json();
  expect(document.openapi).toBe('3.1.0');
  expect(Object.keys(document.paths)).toContain('/api/provisioning/tenants');

  await page.goto('/api/docs');
  const csp = (await page.request.get('/api/docs')).headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self'");
  await expect(page.getByRole('heading', { name: /Oikos/ })).toBeVisible();
  // The partner API's create, opened: its body's fields come from the Rust type.
  const create = page.locator('#operations-provisioning-post_api_provisioning_tenants');
  await create.locator('.opblock-summary').click();
  await expect(create).toContainText('client_name');
  await screenshot(page, 'api-docs');
  // Swagger UI ran without a blocked script or style and without a call elsewhere.
  expect(errors).toEqual([]);
});
