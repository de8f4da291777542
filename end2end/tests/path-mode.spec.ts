import { test, expect, type Page } from '@playwright/test';
import { screenshot, waitForHydration, watchForErrors } from './helpers';

// The server of the `path-mode` project: OIKOS_TENANT_ROUTING=path, so every portal lives
// under /t/{slug} on the main host (no wildcard DNS or certificate needed).

const PASSWORD = 'Sturdy-Otter-42';

/** Matches exactly that page of the portal `slug` (`path` may carry a query). */
function portalPath(page: Page, slug: string, path: string) {
  const origin = new URL(page.url()).origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const escaped = `/t/${slug}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${origin}${escaped}$`);
}

async function next(page: Page, label: string) {
  await page.getByRole('button', { name: label }).click();
}

test('in path mode an owner registers, lands under /t/{slug} and works in the portal', async ({ page }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  const name = `Pathway Cafe ${stamp}`;
  const slug = `pathway-cafe-${stamp}`;

  await page.goto('/register');
  await waitForHydration(page);
  await page.getByLabel('Business name').fill(name);
  // The preview shows the address under the main host.
  await expect(page.getByText(`/t/${slug}`)).toBeVisible();
  await page.getByLabel('Business email').fill(`hello.${stamp}@pathway.example`);
  await next(page, 'Next: your account');
  await page.getByLabel('First name').fill('Paz');
  await page.getByLabel('Last name').fill('Ortega');
  await page.getByLabel('Your email').fill(`paz.${stamp}@pathway.example`);
  await page.getByLabel('Password').fill(PASSWORD);
  await next(page, 'Next: choose a plan');
  await next(page, 'Next: review');
  await page.getByLabel('I accept the terms of service.').check();
  await page.getByLabel('I accept the privacy policy.').check();
  await next(page, 'Create my workspace');

  // The handoff lands on the dashboard under the portal's path, signed in.
  await expect(page).toHaveURL(portalPath(page, slug, '/dashboard?welcome=1'));
  await waitForHydration(page);
  await expect(page.getByText('Your workspace is ready.')).toBeVisible();
  await expect(page.getByRole('link', { name })).toHaveAttribute('href', `/t/${slug}/dashboard`);
  await screenshot(page, 'path-mode-dashboard');

  // The header's links stay under the path.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outlets' }).click();
  await expect(page).toHaveURL(portalPath(page, slug, '/outlets'));
  await expect(page.getByText('No outlets yet.')).toBeVisible();
  await waitForHydration(page);
  // A form post to a server function: saved for this portal, shown in the list.
  const addOutlet = page.getByRole('region', { name: 'Add an outlet' });
  await addOutlet.getByLabel('Name').fill('Pathway Corner');
  await addOutlet.getByLabel('Time zone').fill('Europe/Madrid');
  await addOutlet.getByLabel('Monday').fill('08:00-16:00');
  await addOutlet.getByRole('button', { name: 'Add the outlet' }).click();
  await expect(page).toHaveURL(portalPath(page, slug, '/outlets?saved=1'));
  await expect(page.getByText('The outlet is saved.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Outlets' }).getByText('Pathway Corner')).toBeVisible();
  await screenshot(page, 'path-mode-outlets');
  expect(errors).toEqual([]);
});

test('in path mode a plain form (JavaScript off) saves for the portal it was sent from', async ({ browser }) => {
  const stamp = Date.now();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.request.post('/api/v1/public/register', {
    data: {
      business_name: `Quiet Path ${stamp}`,
      business_email: `hello.${stamp}@quiet.example`,
      admin_first_name: 'Ines',
      admin_last_name: 'Roca',
      admin_email: `ines.${stamp}@quiet.example`,
      admin_password: PASSWORD,
      terms_accepted: true,
      privacy_accepted: true,
    },
  });
  expect(response.status()).toBe(201);
  const slug = (await response.json()).slug as string;

  // Without JavaScript the portal's own sign-in page is a plain form too.
  await page.goto(`/t/${slug}/dashboard`);
  await expect(page).toHaveURL(portalPath(page, slug, `/login?next=/dashboard`));
  await page.getByLabel('Email').fill(`ines.${stamp}@quiet.example`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(portalPath(page, slug, '/dashboard'));

  await page.goto(`/t/${slug}/settings`);
  const profile = page.getByRole('region', { name: 'Business profile' });
  await profile.getByLabel('Phone').fill('+34 600 000 000');
  await profile.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page).toHaveURL(portalPath(page, slug, '/settings?saved=1'));
  await expect(page.getByText('Your profile is saved.')).toBeVisible();
  await expect(profile.getByLabel('Phone')).toHaveValue('+34600000000');
  await screenshot(page, 'path-mode-settings-no-js');
  await context.close();
});
