import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, rsvp, uniqueEmail, overflowing, accessibilityProblems, keepScreenshot, BASE_URL } from './helpers.mjs';

const browser = useBrowser();

test('an organiser creates, edits, fills, and deletes an event', async () => {
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, '/organizer/register');
  await page.fill('#field-name', 'Katherine Johnson');
  await page.fill('#field-email', uniqueEmail('katherine'));
  await page.fill('#field-password', 'orbital-mechanics');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard`);

  await page.getByRole('link', { name: 'New event' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard/events/new`);
  await page.fill('#field-name', 'Orbit Meetup');
  await page.fill('#field-start_time', '2031-03-01T18:00');
  await page.fill('#field-end_time', '2031-03-01T21:00');
  await page.fill('#field-location', 'Launch Pad 39A');
  await page.fill('#field-max_attendees', '100');
  await page.getByRole('button', { name: 'Create event' }).click();
  await page.waitForURL(/\/dashboard\/events\/\d+$/);
  await page.getByRole('heading', { name: 'Orbit Meetup' }).waitFor();

  const manage = new URL(page.url()).pathname;
  // Opens a section from the sidebar: its heading shows, its link is marked, axe is content.
  const section = async (name, heading) => {
    const entry = page.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name, exact: true });
    await entry.click();
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    assert.equal(await entry.getAttribute('aria-current'), 'page');
    assert.deepEqual(await accessibilityProblems(page), [], `accessibility of ${name}`);
  };

  // Settings: rename; the header follows at once.
  await section('Settings', 'Edit event');
  await page.fill('#field-name', 'Orbit Meetup 2031');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Orbit Meetup 2031' }).waitFor();
  // A cover picture (a picture of this very page will do), with its progress, then shown.
  await page.getByText('No cover yet.').waitFor();
  await page.locator('#cover-input').setInputFiles({ name: 'stage.png', mimeType: 'image/png', buffer: await page.screenshot() });
  const cover = page.getByRole('img', { name: "The event's cover image" });
  await cover.waitFor();
  const coverSrc = await cover.getAttribute('src');
  assert.match(coverSrc, /^\/media\/photos\/[0-9a-f]{32}\.jpg$/);
  assert.equal(await cover.evaluate((img) => img.complete && img.naturalWidth > 0), true, 'the picture loads');
  await page.getByRole('button', { name: 'Replace the cover' }).waitFor();

  // Overview: the invite link; an attendee registers through it in another browser.
  await section('Overview', 'Overview');
  const link = await page.getByTestId('deep-link').getAttribute('href');
  // The invite shows the cover, and gives it to the link previews of chat apps.
  const invite = await (await fetch(new URL(link, BASE_URL))).text();
  assert.ok(invite.includes(`src="${coverSrc}"`), 'the invite page shows the cover');
  assert.match(invite, new RegExp(`property="og:image" content="https?://[^"]+${coverSrc}"`));
  await rsvp(browser(), link, { first: 'Dorothy', last: 'Vaughan', password: 'fortran-forever', organisation: 'NACA' });
  await rsvp(browser(), link, { first: 'Mary', last: 'Jackson', password: 'wind-tunnel', organisation: 'Langley' });

  // The dashboard lists it with the count.
  await open(page, '/dashboard');
  const card = page.locator('.event-card', { hasText: 'Orbit Meetup 2031' });
  await card.waitFor();
  assert.match(await card.textContent(), /2 going · 98 spots left/);
  await card.getByRole('link', { name: 'Orbit Meetup 2031' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.equal((await page.getByTestId('overview-registered').textContent()).trim(), '2');

  // Attendees: search, filters, and each row's actions.
  await section('Attendees', 'Attendees');
  const table = page.locator('table.attendees');
  await table.getByText('Dorothy Vaughan', { exact: true }).waitFor();
  await page.fill('#attendee-search', 'nobody-matches');
  await page.getByText('No attendees match.').waitFor();
  await page.fill('#attendee-search', 'naca');
  await table.getByText('Dorothy Vaughan', { exact: true }).waitFor();
  await page.fill('#attendee-search', '');
  await table.getByText('Mary Jackson', { exact: true }).waitFor();
  await page.selectOption('#attendee-organisation', 'Langley');
  await table.getByText('Dorothy Vaughan', { exact: true }).waitFor({ state: 'detached' });
  await page.selectOption('#attendee-organisation', '');
  const dorothy = table.getByRole('row', { name: /Dorothy Vaughan/ });
  await dorothy.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('status').filter({ hasText: 'Dorothy Vaughan is checked in.' }).waitFor();
  await dorothy.getByRole('button', { name: 'Undo check-in' }).waitFor();
  await page.selectOption('#attendee-status', 'false');
  await dorothy.waitFor({ state: 'detached' });
  await table.getByText('Mary Jackson', { exact: true }).waitFor();
  await page.selectOption('#attendee-status', '');
  await dorothy.getByRole('button', { name: 'Undo check-in' }).click();
  await page.getByRole('status').filter({ hasText: "Dorothy Vaughan's check-in is undone." }).waitFor();
  await dorothy.getByRole('button', { name: 'Resend ticket' }).click();
  await page.getByRole('status').filter({ hasText: "Dorothy Vaughan's ticket is on its way by mail." }).waitFor();

  // Both selected, checked in together.
  await page.getByLabel('Select all on this page').check();
  const bulk = page.getByRole('group', { name: 'Selected attendees' });
  await bulk.getByText('2 selected').waitFor();
  await bulk.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('status').filter({ hasText: 'Done for 2 people.' }).waitFor();
  await bulk.waitFor({ state: 'detached' });
  await table.getByRole('button', { name: 'Undo check-in' }).nth(1).waitFor();
  assert.equal(await table.getByRole('button', { name: 'Undo check-in' }).count(), 2);

  // Mary's registration cancelled, after a confirmation: her seat is free.
  const mary = table.getByRole('row', { name: /Mary Jackson/ });
  await mary.getByText('Cancel registration…').click();
  await mary.getByText("Cancel Mary Jackson's registration?").waitFor();
  await mary.getByRole('button', { name: 'Yes, cancel Mary' }).click();
  await page.getByRole('status').filter({ hasText: "Mary Jackson's registration is cancelled" }).waitFor();
  await mary.waitFor({ state: 'detached' });

  // At 360 px each person is a card, and nothing sticks out of the window.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.deepEqual(await overflowing(page), [], 'attendees at 360 px');
  await keepScreenshot(page, 'organiser-attendees-360');
  await page.setViewportSize({ width: 390, height: 844 });

  // The CSV export carries her.
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(),
    await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href'));
  assert.match(csv, /Dorothy,Vaughan,.*NACA/);

  // Check-in: the live figures refresh on their own.
  await section('Check-in', 'Live check-in');
  assert.equal((await page.getByTestId('stat-registered').textContent()).trim(), '1');
  assert.equal((await page.getByTestId('stat-checked-in').textContent()).trim(), '1');
  await rsvp(browser(), link, { first: 'Katherine', last: 'Goble', password: 'trajectories' });
  await page.waitForFunction(() => document.querySelector('[data-testid=stat-registered]')?.textContent.trim() === '2', null, { timeout: 15_000 });
  await page.getByRole('heading', { name: 'Doors and rooms' }).waitFor();

  // Badges and Staff each have their section; every section fits a 360 px phone.
  await section('Badges', 'Badges');
  await section('Staff', 'Check-in staff');
  await page.setViewportSize({ width: 360, height: 740 });
  for (const [name, heading] of [['Overview', 'Overview'], ['Check-in', 'Live check-in'], ['Badges', 'Badges'], ['Staff', 'Check-in staff'], ['Settings', 'Edit event']]) {
    await section(name, heading);
    assert.deepEqual(await overflowing(page), [], `${name} at 360 px`);
    await keepScreenshot(page, `organiser-${name.toLowerCase()}-360`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await section('Overview', 'Overview');
  await keepScreenshot(page, 'organiser-overview-laptop');
  await page.setViewportSize({ width: 390, height: 844 });

  // A crowd arrives through the API; the list pages through them 50 at a time.
  const code = link.split('/').pop();
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${BASE_URL}/api/auth/attendee/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_code: code, email: uniqueEmail(`crowd${i}`), password: 'crowd-password', first_name: `Crowd${i}`, last_name: 'Member' }),
    });
    assert.equal(response.status, 201);
  }
  await open(page, `${manage}/attendees`);
  await page.getByText('1–50 of 52').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('51–52 of 52').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);

  await open(page, `${manage}/settings`);
  // Delete, after a confirmation that names the event and its attendee count.
  await page.getByRole('button', { name: 'Delete this event…' }).click();
  const question = await page.locator('.confirm-text').textContent();
  assert.match(question, /Orbit Meetup 2031/);
  assert.match(question, /52 attendees/);
  assert.match(await page.locator('.danger-zone').textContent(), /restore it from your dashboard for 30 days/);
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard`);
  await page.getByRole('heading', { name: 'No events yet' }).waitFor();

  // Deleted, not lost: listed with the day it goes for good, and restored with its attendees.
  const deleted = page.getByRole('region', { name: 'Deleted events' });
  assert.match(await deleted.textContent(), /Orbit Meetup 2031.*52 attendees.*removed on/s);
  await deleted.getByRole('button', { name: 'Restore Orbit Meetup 2031' }).click();
  await page.getByRole('link', { name: 'Orbit Meetup 2031' }).waitFor();
  await deleted.waitFor({ state: 'detached' });
  await context.close();
});
