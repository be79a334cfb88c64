import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, logInDemoOrganiser, logInDemoAttendee, BASE_URL } from './helpers.mjs';

const browser = useBrowser();

/** Ada's ticket code, as her QR holds it. */
async function adasTicket(code) {
  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoAttendee(page, code);
  const me = await page.evaluate(async () => JSON.stringify(await (await fetch('/api/auth/me')).json()));
  await context.close();
  const token = me.match(/"checkin_token":"([0-9a-z]+)"/)?.[1];
  assert.ok(token, `a ticket in ${me}`);
  return token;
}

test('a workshop door: its own list counting who is inside, a steward bound to it, and a hardware scanner', async () => {
  const code = await demoEventCode();
  const token = await adasTicket(code);
  const room = `Workshop room ${Date.now() % 100000}`;

  // The organiser adds the room as a list that counts exits, and a steward link for it.
  const organiser = await phone(browser());
  const admin = await organiser.newPage();
  await logInDemoOrganiser(admin);
  await admin.getByRole('link', { name: 'NetEvent Demo Day' }).click();
  await admin.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name: 'Check-in', exact: true }).click();
  await admin.getByRole('heading', { name: 'Doors and rooms' }).waitFor();
  await admin.waitForSelector('body[data-hydrated="true"]');
  await admin.fill('#field-list_name', room);
  await admin.getByLabel('Also scan people out, to count who is inside').check();
  await admin.getByRole('button', { name: 'Add list' }).click();
  const lists = admin.getByTestId('checkin-lists');
  await lists.getByText(room).waitFor();
  assert.match(await lists.textContent(), /Main entrance\s*Default/);
  // The Staff section offers the new room for a door link.
  await admin.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name: 'Staff', exact: true }).click();
  await admin.getByRole('heading', { name: 'Check-in staff' }).waitFor();
  await admin.getByRole('option', { name: room }).waitFor({ state: 'attached' });
  await admin.fill('#field-staff_name', `Steward at ${room}`);
  await admin.selectOption('#field-staff_list', { label: room });
  await admin.getByRole('button', { name: 'Create link' }).click();
  const row = admin.locator('.staff-link', { hasText: `Steward at ${room}` });
  await row.getByText('Steward · scans tickets · one door').waitFor();
  const staffLink = await row.locator('a').first().getAttribute('href');

  // The steward's phone: the room's name, In and Out, no counts and no search by name.
  const door = await phone(browser());
  const page = await door.newPage();
  await page.goto(`${BASE_URL}${staffLink}`);
  await page.getByRole('button', { name: 'Open the door scanner' }).click();
  await page.waitForURL(/\/dashboard\/events\/\d+\/scan$/);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByText(`Scanning at ${room}`).waitFor();
  assert.equal(await page.getByTestId('door-count').count(), 0, 'a steward sees no counts');
  assert.equal(await page.locator('#door-search').count(), 0, 'a steward has no search by name');
  assert.equal(await page.getByRole('button', { name: 'In', exact: true }).getAttribute('aria-pressed'), 'true');

  // A hardware scanner types the code in a burst (5 ms a key) and Enter, no field focused.
  const result = page.getByTestId('scan-result');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.type(token, { delay: 5 });
  await page.keyboard.press('Enter');
  await result.getByText('Ada Lovelace').waitFor();
  assert.match(await result.textContent(), /Checked in ✓/);
  // The whole screen flashes green with her name, then clears for the next guest.
  const flash = page.locator('.scan-flash.ok');
  assert.match(await flash.getAttribute('data-text'), /Checked in ✓\s+Ada Lovelace/);
  await flash.waitFor({ state: 'hidden', timeout: 5_000 });

  // The organiser's scanner, at the room: its header tells who is inside now.
  const scanId = Number(page.url().match(/events\/(\d+)/)[1]);
  await open(admin, `/dashboard/events/${scanId}/scan`);
  await admin.selectOption('#door-list', { label: room });
  await admin.getByTestId('door-inside').getByText(`inside ${room} now`).waitFor();
  assert.match(await admin.getByTestId('door-inside').textContent(), /^1 inside/);

  // A person typing the same keys slowly is not a scanner: nothing is checked.
  await page.keyboard.type(token.slice(0, 12), { delay: 120 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1000);
  assert.match(await result.textContent(), /Checked in ✓/, 'the slow keys scanned nothing');

  // Out through the same door, by the same scanner.
  await page.getByRole('button', { name: 'Out', exact: true }).click();
  await page.keyboard.type(token, { delay: 5 });
  await page.keyboard.press('Enter');
  await result.getByText('Scanned out ✓').waitFor();
  const problems = page.context().browserErrors;
  assert.deepEqual(problems, [], 'no browser errors on the scanner');

  // The organiser's stats: the room saw Ada come in, and nobody is inside now.
  const eventId = Number(page.url().match(/events\/(\d+)/)[1]);
  await open(admin, `/dashboard/events/${eventId}/stats`);
  const line = admin.getByRole('row', { name: new RegExp(room) });
  await line.waitFor();
  assert.deepEqual(
    (await line.locator('td').allTextContents()).map((t) => t.trim()),
    ['1', '0'],
  );
  await organiser.close();
  await door.close();
});

test('a ticket scanned before the doors open answers why, and the organiser checks in anyway', async () => {
  // An event in 2030: its doors open two hours before the start, by default.
  const organiser = await phone(browser());
  const page = await organiser.newPage();
  await logInDemoOrganiser(page);
  const { id, code } = await page.evaluate(async () => (await fetch('/api/events', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Next year's summit ${Date.now()}`, start_time: '2030-05-04T09:00:00', end_time: '2030-05-04T17:00:00', timezone: 'Europe/Berlin', visibility: 'unlisted' }),
  })).json());
  const registered = await fetch(`${BASE_URL}/api/auth/attendee/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event_code: code, email: `early-${Date.now()}@example.com`, password: 'password123', first_name: 'Early', last_name: 'Bird' }),
  });
  assert.equal(registered.status, 201);
  const { checkin_token: token } = await registered.json();

  await open(page, `/dashboard/events/${id}/scan`);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.type(token, { delay: 5 });
  await page.keyboard.press('Enter');
  const result = page.getByTestId('scan-result');
  await result.getByText('Not checked in').waitFor();
  assert.match(await result.textContent(), /Too early: check-in opens at 07:00 on Sat 4 May/);
  await result.getByRole('button', { name: 'Check in anyway' }).click();
  await result.getByText('Checked in ✓').waitFor();
  assert.match(await result.textContent(), /Early Bird[\s\S]*Too early/);
  await organiser.close();
});
