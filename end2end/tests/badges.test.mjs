import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, phone, demoEventCode, logInDemoOrganiser, logInDemoAttendee, BASE_URL } from './helpers.mjs';

const browser = useBrowser();

test('the organiser downloads the badge PDF and opens the print view', async () => {
  const context = await browser().newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logInDemoOrganiser(page);
  await page.getByRole('link', { name: 'NetEvent Demo Day' }).click();
  await page.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name: 'Badges', exact: true }).click();
  await page.getByRole('heading', { name: 'Badges' }).waitFor();

  await page.selectOption('#badge-layout', 'letter-2x3');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 10_000);

  // A download records nothing; the organiser says when the sheet has printed.
  const mark = page.getByTestId('mark-printed');
  await mark.getByText(/The sheet holds \d+ badges/).waitFor();
  await mark.getByRole('button', { name: 'Mark as printed' }).click();
  await mark.getByText(/\d+ badges marked as printed/).waitFor();
  const marked = Number((await mark.textContent()).match(/(\d+) badges marked/)[1]);
  assert.ok(marked >= 6, `${marked} marked`);

  const [view] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Open print view' }).click(),
  ]);
  await view.waitForLoadState();
  assert.match(view.url(), /badges\?layout=letter-2x3&format=html/);
  assert.ok(await view.locator('article.badge').count() >= 6);
  await context.close();
});

test('an attendee shows their QR ticket on the phone', async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoAttendee(page, code);
  await page.getByRole('link', { name: 'My ticket (QR)' }).click();
  await page.waitForURL(`${BASE_URL}/e/${code}/ticket`);
  const qr = page.getByRole('img', { name: 'Your check-in QR code' }).locator('svg');
  await qr.waitFor();
  const box = await qr.boundingBox();
  assert.ok(box.width >= 300, `the code fills the phone's width (${box.width}px)`);
  assert.equal((await page.locator('#ticket-name').textContent()).trim(), 'Ada Lovelace');
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});
