import { test, expect, type Page } from '@playwright/test';
import * as path from 'node:path';
import { portalPage, portalUrl, screenshot, waitForHydration, watchForErrors } from './helpers';

const PASSWORD = 'Sturdy-Otter-42';

/** Registers a business over the REST API; its slug. */
async function registerBusiness(page: Page, stamp: number) {
  const response = await page.request.post('/api/v1/public/register', {
    // A client address of this journey's own: the sign-up limit is per address.
    headers: { 'x-forwarded-for': `10.78.${stamp % 250}.${Math.floor(stamp / 256) % 250}` },
    data: {
      business_name: `Harbor Salon ${stamp}`,
      business_email: `hello.${stamp}@harbor.example`,
      admin_first_name: 'Hana',
      admin_last_name: 'Sato',
      admin_email: `hana.${stamp}@harbor.example`,
      admin_password: PASSWORD,
      terms_accepted: true,
      privacy_accepted: true,
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).slug as string;
}

test('an owner signs in, sets up outlets and services, and deletes then restores the workspace', async ({ page }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  const slug = await registerBusiness(page, stamp);

  // Signing in on the main site hands over to the workspace's own portal.
  await page.goto('/login');
  await page.getByLabel('Email').fill(`hana.${stamp}@harbor.example`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/dashboard'));
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('0 of 6 done')).toBeVisible();
  await screenshot(page, 'portal-dashboard-new');

  // The checklist leads to the outlets, which start empty.
  await page.getByRole('link', { name: 'Add your first outlet with its opening hours' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/outlets'));
  await expect(page.getByText('No outlets yet.')).toBeVisible();
  await waitForHydration(page);
  const addOutlet = page.getByRole('region', { name: 'Add an outlet' });
  await addOutlet.getByLabel('Name').fill('Harbor Main');
  await addOutlet.getByLabel('City').fill('Yokohama');
  await addOutlet.getByLabel('Time zone').fill('Asia/Tokyo');
  await addOutlet.getByLabel('Monday').fill('09:00-13:00, 12:00-17:00');
  await addOutlet.getByRole('button', { name: 'Add the outlet' }).click();
  await expect(addOutlet.getByText('This range overlaps another one of the day.')).toBeVisible();
  await expect(addOutlet.getByLabel('Monday')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'portal-outlet-hours-error');
  errors.length = 0; // the 422 above was the point
  await addOutlet.getByLabel('Monday').fill('09:00-12:00, 13:00-17:00');
  await addOutlet.getByLabel('Tuesday').fill('10:00-18:00');
  await addOutlet.getByRole('button', { name: 'Add the outlet' }).click();
  await expect(page.getByText('The outlet is saved.')).toBeVisible();
  const outlets = page.getByRole('list', { name: 'Outlets' });
  await expect(outlets.getByText('Mon 09:00-12:00, 13:00-17:00 · Tue 10:00-18:00')).toBeVisible();
  await screenshot(page, 'portal-outlets');

  // The catalog: a service offered at that outlet, then found and changed.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/services'));
  await expect(page.getByText('No services yet.')).toBeVisible();
  await waitForHydration(page);
  const addService = page.getByRole('region', { name: 'Add a service' });
  await addService.getByLabel('Name').fill('Haircut');
  await addService.getByLabel('Category').fill('Hair');
  await addService.getByLabel(/^Price/).fill('25.5.0');
  await addService.getByLabel('Duration (minutes)').fill('45');
  await addService.getByLabel('Offered at').selectOption({ label: 'Harbor Main' });
  await addService.getByRole('button', { name: 'Add the service' }).click();
  await expect(addService.getByText('Use a price like 25 or 25.50.')).toBeVisible();
  errors.length = 0;
  await addService.getByLabel(/^Price/).fill('25.5');
  await addService.getByRole('button', { name: 'Add the service' }).click();
  await expect(page.getByText('The service is saved.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Services' });
  await expect(table.getByRole('row', { name: /Haircut/ })).toContainText('25.50');
  await expect(table.getByRole('row', { name: /Haircut/ })).toContainText('Harbor Main');
  await screenshot(page, 'portal-services');
  await page.getByRole('searchbox', { name: 'Search' }).fill('massage');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('No service matches.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill('hair');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: 'Edit Haircut' }).click();
  await expect(page).toHaveURL(new RegExp(`/services/[0-9a-f-]+$`));
  await waitForHydration(page);
  await screenshot(page, 'portal-service-edit');
  await page.getByLabel('Duration (minutes)').fill('60');
  await page.getByRole('button', { name: 'Save the service' }).click();
  await expect(table.getByRole('row', { name: /Haircut/ })).toContainText('60 min');

  // The profile (with the logo, added below) completes a step of the checklist.
  await page.goto(portalUrl(slug, '/settings'));
  await waitForHydration(page);
  await page.getByLabel('Phone').fill('+81 45 123 4567');
  await page.getByLabel('Description').fill('Cuts and colour by the harbour');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.getByText('Your profile is saved.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByText('2 of 6 done')).toBeVisible();

  // Branding: a colour white text cannot be read on is refused; a good one shows at once in
  // the preview and, once saved, across the portal; the logo replaces the initial.
  await page.goto(portalUrl(slug, '/settings'));
  await waitForHydration(page);
  const branding = page.getByRole('region', { name: 'Branding' });
  await branding.getByLabel('Buttons and links').fill('#fde047');
  await expect(branding.getByRole('group', { name: 'Preview' }).getByText('A button'))
    .toHaveCSS('background-color', 'rgb(253, 224, 71)');
  await branding.getByRole('button', { name: 'Save the colours' }).click();
  await expect(branding.getByText(/White on this colour is hard to read/)).toBeVisible();
  await screenshot(page, 'portal-branding-contrast-error');
  errors.length = 0;
  await branding.getByLabel('Buttons and links').fill('#0f766e');
  await branding.getByRole('button', { name: 'Save the colours' }).click();
  await expect(page.getByText('The colours are saved.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save the profile' })).toHaveCSS('background-color', 'rgb(15, 118, 110)');
  await page.getByLabel('Upload a logo').setInputFiles(path.join(__dirname, '..', 'fixtures', 'logo.png'));
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByText('The logo is changed.')).toBeVisible();
  await expect(page.getByRole('link', { name: `Harbor Salon ${stamp}` }).locator('img')).toBeVisible();
  const features = page.getByRole('region', { name: 'Features' });
  await features.getByLabel('Loyalty points').check();
  await features.getByRole('button', { name: 'Save the features' }).click();
  await expect(page.getByText('The features are saved.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Features' }).getByLabel('Loyalty points')).toBeChecked();
  await screenshot(page, 'portal-branding');

  // Deleting asks for the address typed out, and can be undone during the grace period.
  await expect(page.getByRole('link', { name: `Harbor Salon ${stamp}` })).toBeVisible();
  await page.goto(portalUrl(slug, '/settings'));
  await waitForHydration(page);
  await page.getByLabel(`Type ${slug} to confirm`).fill('harbor');
  await page.getByRole('button', { name: 'Delete this workspace' }).click();
  await expect(page.getByText(`Type ${slug} to confirm.`)).toBeVisible();
  errors.length = 0;
  await page.getByLabel(`Type ${slug} to confirm`).fill(slug);
  await page.getByRole('button', { name: 'Delete this workspace' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/dashboard'));
  await expect(page.getByText('This workspace is scheduled for deletion.')).toBeVisible();
  await expect(page.getByText('3 of 6 done')).toBeVisible();
  await screenshot(page, 'portal-deletion-scheduled');
  await page.getByRole('button', { name: 'Restore the workspace' }).click();
  await expect(page.getByText('Your workspace is restored; nothing will be deleted.')).toBeVisible();
  await screenshot(page, 'portal-dashboard-progress');
  expect(errors).toEqual([]);
});

test('the dashboard on a phone, and a visitor sent to sign in on the portal', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const stamp = Date.now();
  const slug = await registerBusiness(page, stamp);
  await page.goto(portalUrl(slug, '/dashboard'));
  await expect(page).toHaveURL(portalPage(slug, '/login?next=/dashboard'));
  await page.getByLabel('Email').fill(`hana.${stamp}@harbor.example`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/dashboard'));
  await expect(page.getByRole('region', { name: 'Get your workspace ready' })).toBeVisible();
  await screenshot(page, 'portal-dashboard-phone');
  // Every section of the portal at phone width.
  for (const [path, heading] of [['/outlets', 'Outlets'], ['/services', 'Services'], ['/settings', 'Workspace settings']]) {
    await page.goto(portalUrl(slug, path));
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    await screenshot(page, `portal${path.replace('/', '-')}-phone`);
  }
  await context.close();
});

test('a handoff link opened from elsewhere asks before signing in, and Continue signs in', async ({ page, browser }) => {
  const stamp = Date.now();
  const slug = await registerBusiness(page, stamp);
  // Someone signs in on the main site and keeps the link to their portal instead of following it.
  const signedIn = await page.request.post('/api/auth/login', {
    form: { email: `hana.${stamp}@harbor.example`, password: PASSWORD },
    maxRedirects: 0,
  });
  const link = signedIn.headers()['location'];
  expect(link).toContain('/auth/handoff?token=');

  // Another person opens it (typed, or from a mail): nothing happens behind their back.
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 860 } });
    const visitor = await context.newPage();
    const errors = watchForErrors(visitor);
    await visitor.goto(link);
    expect(visitor.url().startsWith(portalUrl(slug, '/auth/continue?token='))).toBe(true);
    await expect(visitor.getByRole('heading', { name: 'Continue to your workspace?' })).toBeVisible();
    await expect(visitor.getByText(`This link signs you in to Harbor Salon ${stamp} as hana.${stamp}@harbor.example.`)).toBeVisible();
    await screenshot(visitor, width > 500 ? 'handoff-continue' : 'handoff-continue-phone');
    if (width > 500) {
      // "Not now" leads back to the main site, signed in nowhere.
      await visitor.getByRole('link', { name: 'Not now' }).click();
      await expect(visitor).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    } else {
      // Continue, chosen knowingly, signs in (the token was never used before).
      await visitor.getByRole('button', { name: `Continue as hana.${stamp}@harbor.example` }).click();
      await expect(visitor).toHaveURL(portalPage(slug, '/dashboard'));
      await expect(visitor.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    }
    expect(errors).toEqual([]);
    await context.close();
  }
});
