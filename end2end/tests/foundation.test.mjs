import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, currentUser, uniqueEmail, demoEventCode, logInDemoOrganiser, BASE_URL, SECOND_URL } from './helpers.mjs';

const browser = useBrowser();

test('an organiser registers and lands on the dashboard', async () => {
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, '/organizer/register');
  await page.fill('#field-name', 'Grace Hopper');
  await page.fill('#field-email', uniqueEmail('grace'));
  await page.fill('#field-password', 'compilers-rock');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard`);
  assert.match(await currentUser(page), /Grace Hopper/);
  await page.getByRole('heading', { name: 'Your events' }).waitFor();
  await context.close();
});

test('registration errors are shown next to the field', async () => {
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, '/organizer/register');
  await page.fill('#field-name', 'Shorty');
  await page.fill('#field-email', uniqueEmail('shorty'));
  await page.fill('#field-password', 'short');
  // The browser's own checks pass; the server's password rule answers.
  await page.getByRole('button', { name: 'Create account' }).click();
  const note = page.locator('#field-password-note');
  await page.waitForFunction(() => document.querySelector('#field-password')?.getAttribute('aria-invalid') === 'true');
  assert.match(await note.textContent(), /at least 8/);
  assert.equal(page.url(), `${BASE_URL}/organizer/register`);
  await context.close();
});

test('client-side navigation does not reload the page (hydration works)', async () => {
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, '/');
  await page.evaluate(() => { window.__sameDocument = 'still here'; });
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.waitForURL(`${BASE_URL}/organizer/login`);
  await page.getByRole('heading', { name: 'Organiser login' }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), 'still here');
  await context.close();
});

test('an attendee RSVPs through the deep link, stays logged in, and logs out', async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, `/e/${code}`);
  await page.getByRole('heading', { name: 'NetEvent Demo Day' }).waitFor();
  const before = await page.locator('.event-head .spots').textContent();
  await page.fill('#field-first_name', 'Łukasz');
  await page.fill('#field-last_name', 'Zoë');
  await page.fill('#field-email', uniqueEmail('lukasz'));
  await page.fill('#field-password', 'networking!');
  await page.fill('#field-organisation', 'Acme');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: /You're in, Łukasz Zoë/ }).waitFor();
  assert.match(await currentUser(page), /Łukasz Zoë/);
  assert.notEqual(await page.locator('.event-head .spots').textContent(), before, 'the count went up');

  await page.reload();
  await page.waitForSelector('body[data-hydrated="true"]');
  assert.match(await currentUser(page), /Łukasz Zoë/, 'the session survives a reload');

  // The same cookie is accepted by the second server process (sessions live in MySQL).
  await open(page, `/e/${code}`, SECOND_URL);
  assert.match(await currentUser(page), /Łukasz Zoë/, 'second instance knows the session');
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
  assert.equal(me.role, 'attendee');

  await open(page, '/');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
  assert.equal(status, 401);
  await context.close();
});

test('the demo organiser logs in and sees the demo event', async () => {
  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoOrganiser(page);
  await page.getByRole('link', { name: 'NetEvent Demo Day' }).waitFor();
  await context.close();
});
