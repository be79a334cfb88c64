import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, uniqueEmail, BASE_URL } from './helpers.mjs';

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
  await page.fill('#field-max_attendees', '40');
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
  const guestContext = await phone(browser());
  const guest = await guestContext.newPage();
  await open(guest, link);
  await guest.fill('#field-first_name', 'Dorothy');
  await guest.fill('#field-last_name', 'Vaughan');
  await guest.fill('#field-email', uniqueEmail('dorothy'));
  await guest.fill('#field-password', 'fortran-forever');
  await guest.fill('#field-organisation', 'NACA');
  await guest.getByRole('button', { name: 'Register' }).click();
  await guest.getByRole('heading', { name: /You're in/ }).waitFor();
  await guestContext.close();

  // The dashboard lists it with the count; the attendee list shows and searches her.
  await open(page, '/dashboard');
  const card = page.locator('.event-card', { hasText: 'Orbit Meetup 2031' });
  await card.waitFor();
  assert.match(await card.textContent(), /1 going · 39 spots left/);
  await open(page, new URL(manageUrl).pathname);
  const table = page.locator('table.attendees');
  await table.getByText('Dorothy Vaughan').waitFor();
  await page.fill('#attendee-search', 'nobody-matches');
  await page.getByText('No attendees yet').waitFor();
  await page.fill('#attendee-search', 'naca');
  await table.getByText('Dorothy Vaughan').waitFor();

  // Delete, after a confirmation that names the event and its attendee count.
  await page.getByRole('button', { name: 'Delete this event…' }).click();
  const question = await page.locator('.confirm-text').textContent();
  assert.match(question, /Orbit Meetup 2031/);
  assert.match(question, /1 attendee/);
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard`);
  await page.getByRole('heading', { name: 'No events yet' }).waitFor();
  await context.close();
});
