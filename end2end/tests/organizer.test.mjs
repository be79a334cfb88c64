import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, rsvp, uniqueEmail, BASE_URL } from './helpers.mjs';

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

  // Edit: rename and change capacity.
  await page.fill('#field-name', 'Orbit Meetup 2031');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Orbit Meetup 2031' }).waitFor();
  const manageUrl = page.url();

  // An attendee registers through the deep link in another browser.
  const link = await page.getByTestId('deep-link').getAttribute('href');
  await rsvp(browser(), link, { first: 'Dorothy', last: 'Vaughan', password: 'fortran-forever', organisation: 'NACA' });

  // The dashboard lists it with the count; the attendee list shows and searches her.
  await open(page, '/dashboard');
  const card = page.locator('.event-card', { hasText: 'Orbit Meetup 2031' });
  await card.waitFor();
  assert.match(await card.textContent(), /1 going · 99 spots left/);
  await open(page, new URL(manageUrl).pathname);
  const table = page.locator('table.attendees');
  await table.getByText('Dorothy Vaughan').waitFor();
  await page.fill('#attendee-search', 'nobody-matches');
  await page.getByText('No attendees match your search.').waitFor();
  await page.fill('#attendee-search', 'naca');
  await table.getByText('Dorothy Vaughan').waitFor();

  // The CSV export carries her.
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(),
    await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href'));
  assert.match(csv, /Dorothy,Vaughan,.*NACA/);

  // Live stats: the registration shows, and the figures refresh on their own.
  await page.getByRole('link', { name: 'Live stats' }).click();
  await page.getByRole('heading', { name: 'Live stats' }).waitFor();
  assert.equal((await page.getByTestId('stat-registered').textContent()).trim(), '1');
  assert.equal((await page.getByTestId('stat-checked-in').textContent()).trim(), '0');
  await rsvp(browser(), link, { first: 'Mary', last: 'Jackson', password: 'wind-tunnel' });
  await page.waitForFunction(() => document.querySelector('[data-testid=stat-registered]')?.textContent.trim() === '2', null, { timeout: 15_000 });

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
  await open(page, new URL(manageUrl).pathname);
  await page.getByText('1–50 of 52').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('51–52 of 52').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);

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
