import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, uniqueEmail, BASE_URL, DEMO_PASSWORD } from './helpers.mjs';

const browser = useBrowser();

test('a form sent before the app runs comes back with its error shown and its values kept', async () => {
  // No script at all (a slow phone before the wasm arrives): a wrong password.
  const bare = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await bare.newPage();
  await page.goto(`${BASE_URL}/organizer/login`);
  await page.fill('#field-email', 'organizer@demo.netevent.dev');
  await page.fill('#field-password', 'not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('That email and password do not match.').waitFor();
  assert.equal(await page.inputValue('#field-email'), 'organizer@demo.netevent.dev');
  assert.equal(await page.inputValue('#field-password'), '', 'a password never comes back');
  assert.equal(new URL(page.url()).search, '', 'the address stays clean');
  // Shown once: a reload is the plain form again.
  await page.reload();
  assert.equal(await page.getByText('That email and password do not match.').count(), 0);
  await bare.close();

  // An RSVP sent before hydration; when the app then runs, focus is on the field to fix.
  const code = await demoEventCode();
  const context = await phone(browser());
  const tab = await context.newPage();
  await open(tab, `/e/${code}`);
  const action = await tab.locator('form:has(input[name="event_code"])').getAttribute('action');
  const email = uniqueEmail('ray');
  await context.request.post(`${BASE_URL}${action}`, {
    form: { event_code: code, first_name: 'Ray', last_name: 'Tomlinson', email, password: 'short', organisation: 'BBN', role: '' },
    headers: { accept: 'text/html', referer: `${BASE_URL}/e/${code}` },
    maxRedirects: 0,
  });
  await open(tab, `/e/${code}`);
  assert.equal(await tab.evaluate(() => document.activeElement?.id), 'field-password');
  assert.equal(await tab.inputValue('#field-first_name'), 'Ray');
  assert.equal(await tab.inputValue('#field-email'), email);
  assert.equal(await tab.inputValue('#field-organisation'), 'BBN');
  assert.equal(await tab.getAttribute('#field-password', 'aria-invalid'), 'true');
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});

test('a meeting request sent before the app runs keeps its note, place and length', async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const login = await context.request.post(`${BASE_URL}/api/auth/attendee/login`, {
    data: { email: 'ada@demo.netevent.dev', password: DEMO_PASSWORD, event_code: code },
  });
  assert.equal(login.status(), 200);
  const ada = await login.json();
  const eventId = ada.attendee?.event_id ?? ada.event_id;
  const people = await (await context.request.get(`${BASE_URL}/api/events/${eventId}/attendees?q=Grace`)).json();
  const grace = people.items[0];
  const page = await context.newPage();
  await open(page, `/me/people/${grace.id}`);
  const action = await page.locator('form:has(#field-notes)').getAttribute('action');
  await context.request.post(`${BASE_URL}${action}`, {
    form: { target_id: String(grace.id), appointment_time: '2001-01-01T10:00', duration_minutes: '45', location: 'Coffee bar', notes: 'Rust in space' },
    headers: { accept: 'text/html', referer: `${BASE_URL}/me/people/${grace.id}` },
    maxRedirects: 0,
  });
  await open(page, `/me/people/${grace.id}`);
  await page.locator('.form-error, .field.invalid').first().waitFor();
  assert.equal(await page.inputValue('#field-notes'), 'Rust in space');
  assert.equal(await page.inputValue('#field-location'), 'Coffee bar');
  assert.equal(await page.inputValue('#field-duration_minutes'), '45');
  assert.equal(await page.inputValue('#field-appointment_time'), '2001-01-01T10:00');
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});
