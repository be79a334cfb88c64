import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useBrowser, launch, phone, open, demoEventCode, logInDemoOrganiser, logInDemoAttendee, uniqueEmail, BASE_URL } from './helpers.mjs';

const browser = useBrowser();

/** The ticket QR on `page` (a ticket page), as one grey 640×480 picture: its luma bytes. */
async function ticketLuma(page) {
  const luma = await page.evaluate(async () => {
    const svg = document.querySelector('.ticket-qr svg');
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 640, 480);
    g.imageSmoothingEnabled = false;
    g.drawImage(image, 140, 60, 360, 360);
    const { data } = g.getImageData(0, 0, 640, 480);
    const out = new Array(640 * 480);
    for (let i = 0; i < out.length; i++) out[i] = Math.round(0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]);
    return out;
  });
  return Buffer.from(luma);
}

/** A 10 fps Y4M video of `pictures` (luma bytes), each held for `frames` frames; Chromium's
 * fake camera plays it in a loop. */
function video(pictures, frames = 2) {
  // YUV 4:2:0: the picture in Y, neutral chroma.
  const frame = (luma) => Buffer.concat([Buffer.from('FRAME\n'), luma, Buffer.alloc(2 * 320 * 240, 128)]);
  const body = pictures.flatMap((luma) => Array(frames).fill(frame(luma)));
  return Buffer.concat([Buffer.from('YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n'), ...body]);
}

/** Ada's ticket QR, as drawn by her ticket page, turned into a short video. */
async function ticketFrame(code) {
  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoAttendee(page, code);
  await open(page, `/e/${code}/ticket`);
  const luma = await ticketLuma(page);
  await context.close();
  return video([luma]);
}

/** A new guest of the event `code` registered in a browser of their own: their ticket's QR. */
async function newGuestsTicket(eventCode, first) {
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, `/e/${eventCode}`);
  const status = await page.evaluate(async ({ eventCode, first, email }) => (await fetch('/api/auth/attendee/register', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event_code: eventCode, email, password: 'password123', first_name: first, last_name: 'Guest' }),
  })).status, { eventCode, first, email: uniqueEmail(first.toLowerCase()) });
  assert.equal(status, 201);
  await open(page, '/me/ticket');
  const luma = await ticketLuma(page);
  await context.close();
  return luma;
}

test('the door phone scans a ticket from the camera; staff links open only the scanner', async () => {
  const code = await demoEventCode();
  const video = path.join(os.tmpdir(), `netevent-ticket-${process.pid}.y4m`);
  await writeFile(video, await ticketFrame(code));
  const camera = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  try {
    // The organiser makes a staff link; the door phone opens it, sees whose door it is, and
    // only its button logs the phone in and opens the scanner.
    const organiser = await camera.newContext();
    const admin = await organiser.newPage();
    await logInDemoOrganiser(admin);
    await admin.getByRole('link', { name: 'NetEvent Demo Day' }).click();
    await admin.getByRole('navigation', { name: 'Event sections' }).getByRole('link', { name: 'Staff', exact: true }).click();
    await admin.getByRole('heading', { name: 'Check-in staff' }).waitFor();
    await admin.fill('#field-staff_name', 'Door 1 — Sam');
    // A supervisor: the door's lead, who also finds people by name and sees the counts.
    await admin.selectOption('#field-staff_role', 'supervisor');
    await admin.getByRole('button', { name: 'Create link' }).click();
    const link = admin.locator('.staff-link a').first();
    await link.waitFor();
    const staffLink = await link.getAttribute('href');

    const door = await camera.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ['camera'] });
    const page = await door.newPage();
    await page.goto(`${BASE_URL}${staffLink}`);
    await page.getByRole('heading', { name: 'Door of NetEvent Demo Day' }).waitFor();
    await page.getByText(/This link is for Door 1 — Sam/).waitFor();
    const beforeLogin = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    assert.equal(beforeLogin, 401, 'opening the link logs nobody in');
    await page.getByRole('button', { name: 'Open the door scanner' }).click();
    await page.waitForURL(/\/dashboard\/events\/\d+\/scan$/);
    await page.waitForSelector('body[data-hydrated="true"]');
    await page.getByText('Check-in staff').waitFor();
    const before = await page.getByTestId('door-count').textContent();

    // The camera sees Ada's ticket: green, with her name; the counter goes up.
    await page.getByRole('button', { name: 'Start scanning' }).click();
    const result = page.getByTestId('scan-result');
    await result.getByText('Ada Lovelace').waitFor({ timeout: 20_000 });
    assert.match(await result.textContent(), /Checked in ✓|Already checked in/);
    await page.waitForFunction((b) => document.querySelector('[data-testid=door-count]')?.textContent !== b, before);

    // By name, for someone without a ticket: Grace.
    await page.fill('#door-search', 'Grace');
    await page.getByRole('button', { name: 'Check in Grace Hopper' }).click();
    await result.getByText('Grace Hopper').waitFor();

    // The staff session may not see the organiser's tools.
    const staffList = await page.evaluate(async (url) => (await fetch(url)).status, `/api/organizer/events/${page.url().match(/events\/(\d+)/)[1]}/staff`);
    assert.equal(staffList, 403);

    // Revoked, the link's phone keeps no list: the next time the scanner asks, the server
    // says no (401) and the event's list leaves IndexedDB.
    const eventId = Number(page.url().match(/events\/(\d+)/)[1]);
    const listKept = () => page.evaluate((id) => new Promise((resolve) => {
      const open = indexedDB.open('netevent-door');
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const database = open.result;
        const read = database.transaction('rosters').objectStore('rosters').get(id);
        read.onsuccess = () => { resolve(read.result !== undefined); database.close(); };
        read.onerror = () => { resolve(false); database.close(); };
      };
    }), eventId);
    await page.getByTestId('door-status').getByText(/\d+ people saved for offline/).waitFor();
    assert.equal(await listKept(), true, 'the list is on the phone while the link works');
    const revoked = await admin.evaluate(async (id) => {
      const list = await (await fetch(`/api/organizer/events/${id}/staff`)).json();
      const sam = (list.items ?? list).filter((s) => s.name === 'Door 1 — Sam' && !s.revoked_at).pop();
      return (await fetch(`/api/organizer/events/${id}/staff/${sam.id}`, { method: 'DELETE' })).status;
    }, eventId);
    assert.equal(revoked, 204);
    await page.reload();
    await page.waitForSelector('body[data-hydrated="true"]');
    await page.waitForFunction(async (id) => {
      const database = await new Promise((resolve) => { const open = indexedDB.open('netevent-door'); open.onsuccess = () => resolve(open.result); });
      const kept = await new Promise((resolve) => { const read = database.transaction('rosters').objectStore('rosters').get(id); read.onsuccess = () => resolve(read.result !== undefined); });
      database.close();
      return !kept;
    }, eventId, { timeout: 15_000 });
    await organiser.close();
    await door.close();
  } finally {
    await camera.close();
    await rm(video, { force: true });
  }
});

test('an invalid QR never stops the camera: a ticket of another event, then a valid one', async () => {
  const code = await demoEventCode();
  // Another event of the same organiser, and a guest of it: a real ticket, but not this door's.
  const organiser = await phone(browser());
  const admin = await organiser.newPage();
  await logInDemoOrganiser(admin);
  const other = await admin.evaluate(async () => (await (await fetch('/api/events', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Other meetup ${Date.now()}`, start_time: '2030-06-01T18:00:00', end_time: '2030-06-01T21:00:00', visibility: 'unlisted' }),
  })).json()).code);
  const foreign = await newGuestsTicket(other, 'Foreign');
  const valid = await newGuestsTicket(code, 'Valentina');
  const file = path.join(os.tmpdir(), `netevent-two-tickets-${process.pid}.y4m`);
  // One second of each, over and over.
  await writeFile(file, video([foreign, valid], 10));
  const camera = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`]);
  try {
    const door = await camera.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ['camera'] });
    const page = await door.newPage();
    await logInDemoOrganiser(page);
    const eventId = await page.evaluate(async (code) => (await (await fetch('/api/events')).json()).items.find((e) => e.code === code).id, code);
    await open(page, `/dashboard/events/${eventId}/scan`);
    await page.getByRole('button', { name: 'Start scanning' }).click();
    const result = page.getByTestId('scan-result');
    // Both answered, in whichever order the loop starts: red for the foreign ticket, and
    // the scanner goes on to check Valentina in.
    await result.getByText('Not valid ✗').waitFor({ timeout: 20_000 });
    assert.match(await result.textContent(), /another event/);
    await result.getByText('Valentina Guest').waitFor({ timeout: 20_000 });
    assert.match(await result.textContent(), /Checked in ✓/);
    await door.close();
  } finally {
    await organiser.close();
    await camera.close();
    await rm(file, { force: true });
  }
});
