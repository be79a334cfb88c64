import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, logInDemoOrganiser, DEMO_PASSWORD, BASE_URL, serviceWorkerReady } from './helpers.mjs';

const browser = useBrowser();

/** Logs in through the JSON API as a script would; answers the session cookie and the body. */
async function apiLogin(path, body) {
  const response = await fetch(`${BASE_URL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `login at ${path}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, me: await response.json() };
}

async function post(path, body, cookie) {
  const response = await fetch(`${BASE_URL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, `POST ${path}: ${await response.clone().text()}`);
  return response.json();
}

async function checkedIn(cookie, eventId) {
  const response = await fetch(`${BASE_URL}/api/organizer/events/${eventId}/stats`, { headers: { cookie } });
  return (await response.json()).checked_in;
}

/** Wall-clock time in UTC, as API.md writes times (no offset). */
const utc = (date) => date.toISOString().slice(0, 19);

test('with the network cut the door checks tickets and names against the saved list, queues them, and syncs when it is back', async () => {
  // The door believes queued scans from at most a day before the start (API.md), so this
  // event is on today: the demo's is two weeks away.
  const { cookie } = await apiLogin('/api/auth/organizer/login', { email: 'organizer@demo.netevent.dev', password: DEMO_PASSWORD });
  const hour = 3600 * 1000;
  const event = await post('/api/events', {
    name: 'Door rehearsal', timezone: 'UTC', location: 'Hall B',
    start_time: utc(new Date(Date.now() - hour)), end_time: utc(new Date(Date.now() + 8 * hour)),
  }, cookie);
  const eventId = event.id;
  const ticketOf = async (first, last) => {
    const me = await post('/api/auth/attendee/register', {
      event_id: eventId, email: `${first.toLowerCase()}.door@example.com`, password: DEMO_PASSWORD,
      first_name: first, last_name: last,
    });
    const token = me.attendee?.checkin_token ?? me.checkin_token;
    assert.ok(token, `${first} has a ticket`);
    return token.toUpperCase();
  };
  const alan = await ticketOf('Alan', 'Turing');
  const katherine = await ticketOf('Katherine', 'Johnson');
  await ticketOf('Dorothy', 'Vaughan'); // comes without her ticket

  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoOrganiser(page);
  await open(page, `/dashboard/events/${eventId}/scan`);
  // Under the service worker's control the page itself is kept for opening offline.
  await serviceWorkerReady(page);
  await open(page, `/dashboard/events/${eventId}/scan`);
  const status = page.getByTestId('door-status');
  await status.getByText(/\d+ people saved for offline/).waitFor();
  const before = await checkedIn(cookie, eventId);

  await context.setOffline(true);
  await page.getByTestId('door-network').getByText('Offline').waitFor();
  const result = page.getByTestId('scan-result');
  const typeCode = async (value) => {
    await page.fill('#door-code', value);
    await page.getByRole('button', { name: 'Check code' }).click();
  };

  await typeCode(alan);
  await result.getByText('Alan Turing').waitFor();
  assert.match(await result.textContent(), /Checked in ✓.*Saved on this phone/s);
  await page.getByTestId('door-waiting').getByText('1 scan waits to sync').waitFor();
  await typeCode(katherine);
  await result.getByText('Katherine Johnson').waitFor();
  await page.getByTestId('door-waiting').getByText('2 scans wait to sync').waitFor();
  // The list on the phone knows Alan is in now, and knows no such ticket as this one.
  await typeCode(alan);
  await result.getByText(/Already checked in at \d\d:\d\d/).waitFor();
  await typeCode('0123456789ABCDEF0123456789ABCDEF01234567');
  await result.getByText('Not valid ✗').waitFor();
  // Dorothy has no ticket with her: found by name in the list on the phone, checked in by hand.
  await page.fill('#door-search', 'dorothy vau');
  await page.getByText('Offline: found in the list on this phone.').waitFor();
  await page.getByRole('button', { name: 'Check in Dorothy Vaughan' }).click();
  await result.getByText('Dorothy Vaughan').waitFor();
  assert.match(await result.textContent(), /Checked in ✓.*Saved on this phone/s);
  await page.getByTestId('door-waiting').getByText('3 scans wait to sync').waitFor();
  assert.equal(await checkedIn(cookie, eventId), before, 'nothing reached the server while offline');

  // The queue lives in IndexedDB: the page opened again offline still holds the three scans.
  await page.reload();
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
  await page.getByTestId('door-waiting').getByText('3 scans wait to sync').waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/door-offline.png` });

  await context.setOffline(false);
  await page.getByTestId('door-waiting').getByText('All scans synced').waitFor({ timeout: 20_000 });
  await page.getByTestId('door-network').getByText('Online').waitFor();
  assert.equal(await checkedIn(cookie, eventId), before + 3, 'the three offline check-ins reached the stats');
  const list = await (await fetch(`${BASE_URL}/api/events/${eventId}/attendees?q=Katherine`, { headers: { cookie } })).json();
  assert.ok(list.items[0].checked_in_at, 'Katherine is checked in');

  // What the phone kept holds nothing of the person: the scanner as anyone gets it, and no
  // copy of a page they saw logged in. Logging out deletes even that, and the door's list.
  const kept = await page.evaluate(async () => {
    const pages = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) pages.push(new URL(request.url).pathname);
    }
    const scanner = await caches.match(location.href, { ignoreVary: true });
    return { pages, scanner: scanner ? await scanner.text() : '' };
  });
  assert.ok(kept.pages.includes(`/dashboard/events/${eventId}/scan`), `the scanner is kept: ${kept.pages}`);
  assert.ok(!kept.pages.includes('/dashboard'), 'the dashboard seen logged in is not kept');
  assert.doesNotMatch(kept.scanner, /Door rehearsal|Log out|organizer@demo/);
  // (The page opened offline is the scanner as anyone gets it: log out from a page online.)
  await open(page, '/dashboard');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForFunction(async () => (await caches.keys()).length === 0
    && !(await indexedDB.databases()).some((db) => db.name === 'netevent-door'), null, { timeout: 10_000 });
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});
