import { test, expect, type Page } from '@playwright/test';
import { linkFromMail } from './mailbox';
import { ownerSignedIn, portalPage, portalUrl, screenshot, waitForHydration, watchForErrors } from './helpers';

const PASSWORD = 'Sturdy-Otter-42';

/** Invites `email` as `role` from the team page. */
async function invite(page: Page, email: string, role: string) {
  const form = page.getByRole('region', { name: 'Invite someone' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption({ label: role });
  await form.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(page.getByText('The invitation is on its way.')).toBeVisible();
}

test('an owner invites, the invitee joins from the mail and sees the staff view', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  const stamp = Date.now();
  const slug = await ownerSignedIn(page, stamp);
  await waitForHydration(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page).toHaveURL(portalPage(slug, '/team'));
  await expect(page.getByText('No pending invitations.')).toBeVisible();
  await waitForHydration(page);
  const invitee = `sam.${stamp}@team.example`;
  await invite(page, invitee, 'Staff');
  const pending = page.getByRole('list', { name: 'Pending invitations' });
  await expect(pending.getByText(invitee)).toBeVisible();
  await screenshot(page, 'team-invited');
  expect(errors).toEqual([]);

  // The invitee, in a browser of their own, opens the link from the mail.
  const link = await linkFromMail(invitee, portalUrl(slug, '/invitation?token='));
  const context = await browser.newContext();
  const guest = await context.newPage();
  const response = await guest.goto(link);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  await expect(guest.getByText(`invites ${invitee} to join as Staff.`)).toBeVisible();
  await waitForHydration(guest);
  await guest.getByLabel('First name').fill('Sam');
  await guest.getByLabel('Last name').fill('Lee');
  await guest.getByLabel('Password').fill(PASSWORD);
  await screenshot(guest, 'team-invitation');
  await guest.getByRole('button', { name: 'Join the workspace' }).click();
  await expect(guest).toHaveURL(portalPage(slug, '/dashboard?joined=1'));
  // The staff view: no team, no settings; the server refuses the team page too.
  const nav = guest.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Services' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await screenshot(guest, 'team-staff-dashboard');
  // The link is used up.
  await guest.goto(link);
  await expect(guest.getByText('This invitation was used already.')).toBeVisible();
  await context.close();

  // Back with the owner: the new member is listed, the invitation gone.
  await page.goto(portalUrl(slug, '/team'));
  await expect(page.getByRole('list', { name: 'Members' }).getByText('Sam Lee')).toBeVisible();
  await expect(page.getByText('No pending invitations.')).toBeVisible();
  await screenshot(page, 'team-members');

  // An outlet (made over the API from the owner's page; FREE allows one), then the owner
  // gives the new member a position and that outlet; the list shows both.
  for (const name of ['North']) {
    const status = await page.evaluate(async (name) => {
      const made = await fetch('/api/v1/outlets', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      return made.status;
    }, name);
    expect(status).toBe(201);
  }
  await page.reload();
  await page.getByRole('link', { name: `Edit ${invitee}` }).click();
  await expect(page.getByRole('heading', { name: 'Member', exact: true })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel('Position').fill('Colorist');
  await page.getByRole('group', { name: 'Outlets' }).getByLabel('North').check();
  await screenshot(page, 'team-member-edit');
  await page.getByRole('button', { name: 'Save the membership' }).click();
  await expect(page.getByText('The membership is saved.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Members' }).getByText('Colorist · North')).toBeVisible();
  expect(errors).toEqual([]);

  // At phone width: the team and the member page in one column.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'team-phone');
  await page.getByRole('link', { name: `Edit ${invitee}` }).click();
  await expect(page.getByRole('group', { name: 'Outlets' }).getByLabel('North')).toBeChecked();
  await screenshot(page, 'team-member-phone');
});

test('a receptionist sees no team page', async ({ page, browser }) => {
  const stamp = Date.now();
  const slug = await ownerSignedIn(page, stamp);
  await page.goto(portalUrl(slug, '/team'));
  const receptionist = `rita.${stamp}@team.example`;
  await invite(page, receptionist, 'Receptionist');
  const link = await linkFromMail(receptionist, portalUrl(slug, '/invitation?token='));
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const desk = await context.newPage();
  await desk.goto(link);
  await desk.getByLabel('First name').fill('Rita');
  await desk.getByLabel('Last name').fill('Desk');
  // Too short a password: back on the invitation (the page sends no referrer), told why.
  await desk.getByLabel('Password').fill('short');
  await desk.getByRole('button', { name: 'Join the workspace' }).click();
  await expect(desk.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(desk.getByText('invites')).toBeVisible();
  await expect(desk.getByLabel('First name')).toHaveValue('Rita');
  await expect(desk.getByLabel('Last name')).toHaveValue('Desk');
  await screenshot(desk, 'team-invitation-error-phone');
  await desk.getByLabel('Password').fill(PASSWORD);
  await desk.getByRole('button', { name: 'Join the workspace' }).click();
  await expect(desk).toHaveURL(portalPage(slug, '/dashboard?joined=1'));
  await expect(desk.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0);
  await desk.goto(portalUrl(slug, '/team'));
  await expect(desk.getByText('You do not have permission to do that.')).toBeVisible();
  await screenshot(desk, 'team-receptionist-refused');
  await context.close();
});
