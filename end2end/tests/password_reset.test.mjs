// An attendee who forgot their password asks for a link, opens it from the mail that
// arrives (a real SMTP server, maildev), sets a new password and is logged in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, uniqueEmail, demoEventCode, BASE_URL } from './helpers.mjs';

const browser = useBrowser();
const MAILDEV_URL = process.env.MAILDEV_URL;

async function mailTo(address, subject) {
  for (let i = 0; i < 100; i++) {
    const mails = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
    const found = mails.find((m) => m.to.some((t) => t.address === address) && m.subject.includes(subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no mail "${subject}" to ${address}`);
}

test('an attendee resets a forgotten password from the mailed link and is logged in', async () => {
  const code = await demoEventCode();
  const email = uniqueEmail('forgetful');
  const registered = await fetch(`${BASE_URL}/api/auth/attendee/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event_code: code, email, password: 'first password', first_name: 'Fay', last_name: 'Forgetful' }),
  });
  assert.equal(registered.status, 201);
  // The registration's own mail: the ticket.
  await mailTo(email, "You're in");

  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, `/e/${code}/login`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await page.fill('#field-email', email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByRole('status').filter({ hasText: 'Check your inbox' }).waitFor();

  const mail = await mailTo(email, 'Reset your NetEvent password');
  const link = mail.text.match(/http:\/\/\S+\/reset-password\/[0-9a-f]{64}/)[0];
  assert.ok(link.startsWith(BASE_URL), link);
  await open(page, link.slice(BASE_URL.length));
  await page.fill('#field-password', 'second password');
  await page.getByRole('button', { name: 'Set password and log in' }).click();
  await page.getByRole('heading', { name: /You're in/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/e/${code}`);

  // The old password no longer works; the new one does.
  const login = (password) => fetch(`${BASE_URL}/api/auth/attendee/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, event_code: code }),
  });
  assert.equal((await login('first password')).status, 401);
  assert.equal((await login('second password')).status, 200);
  await context.close();
});
