import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useBrowser, open, accessibilityProblems, demoEventCode, logInDemoOrganiser, uniqueEmail, DEMO_PASSWORD, BASE_URL } from './helpers.mjs';

const browser = useBrowser();
const run = promisify(execFile);

test('the self check-in kiosk checks a ticket in and prints its badge on a label', async () => {
  const code = await demoEventCode();
  const { items } = await (await fetch(`${BASE_URL}/api/events`)).json();
  const eventId = items.find((e) => e.code === code).id;
  // A guest with a ticket, registered as the invite page does it.
  const email = uniqueEmail('katherine');
  const registered = await fetch(`${BASE_URL}/api/auth/attendee/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event_code: code, email, password: 'password123', first_name: 'Katherine', last_name: 'Johnson', organisation: 'NASA Langley' }),
  });
  assert.equal(registered.status, 201);
  const { checkin_token: token } = await registered.json();

  // The organiser starts the kiosk on a tablet from the scanner, for 62 × 100 mm labels.
  const tablet = await browser().newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
  // The print dialog is the operating system's: the test counts the calls, then prints the
  // page itself through Chromium (Page.printToPDF) with the page's own @page size.
  await tablet.addInitScript(() => { window.print = () => { window.printed = (window.printed ?? 0) + 1; }; });
  const page = await tablet.newPage();
  await logInDemoOrganiser(page);
  await open(page, `/dashboard/events/${eventId}/scan`);
  await page.getByText('Self check-in kiosk').click();
  await page.selectOption('#kiosk-label', 'label-62x100');
  await page.getByRole('button', { name: 'Start the kiosk' }).click();
  await page.waitForURL(/\/kiosk\?label=label-62x100$/);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByRole('heading', { name: 'Welcome to NetEvent Demo Day' }).waitFor();
  const me = await page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).staff?.role);
  assert.equal(me, 'kiosk', 'the tablet is logged in as the kiosk, not as the organiser');
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no way out through the header');
  assert.deepEqual(await accessibilityProblems(page), [], 'the kiosk is accessible');

  // Katherine shows her ticket to the hand-held scanner: welcome, checked in, badge printing.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.type(token, { delay: 5 });
  await page.keyboard.press('Enter');
  const screen = page.getByTestId('kiosk-screen');
  await screen.getByText('Welcome, Katherine!').waitFor();
  await page.waitForFunction(() => window.printed === 1);
  const pdf = path.join(os.tmpdir(), `netevent-kiosk-${process.pid}.pdf`);
  try {
    await writeFile(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const { stdout: info } = await run('pdfinfo', [pdf]);
    assert.match(info, /Pages:\s+1\n/, 'one label, nothing else of the page');
    const [, width, height] = info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/);
    // 62 × 100 mm is 175.7 × 283.5 pt.
    assert.ok(Math.abs(width - 175.7) < 2 && Math.abs(height - 283.5) < 2, info);
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    assert.match(text, /Katherine/);
    assert.match(text, /Johnson/);
    assert.match(text, /NASA Langley/);
    assert.doesNotMatch(text, /leave the kiosk|Show the QR/i, 'only the badge prints');
  } finally {
    await rm(pdf, { force: true });
  }

  // The same ticket again: already in, no second badge.
  await page.waitForTimeout(3_500);
  await page.keyboard.type(token, { delay: 5 });
  await page.keyboard.press('Enter');
  await screen.getByText('Welcome back, Katherine').waitFor();
  assert.equal(await page.evaluate(() => window.printed), 1);

  // Only the organiser leaves the kiosk.
  await page.getByText('Organiser: leave the kiosk').click();
  await page.fill('#field-email', 'organizer@demo.netevent.dev');
  await page.fill('#field-password', 'not-the-password');
  await page.getByRole('button', { name: 'Leave the kiosk' }).click();
  await page.getByText(/do not match/).waitFor();
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Leave the kiosk' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard/events/${eventId}`);
  await tablet.close();
});
