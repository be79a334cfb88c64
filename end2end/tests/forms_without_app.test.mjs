import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, uniqueEmail, BASE_URL } from './helpers.mjs';

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
