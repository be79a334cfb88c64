import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, logInDemoOrganiser, DEMO_PASSWORD, BASE_URL } from './helpers.mjs';

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

async function ticketOf(email, code) {
  const { me } = await apiLogin('/api/auth/attendee/login', { email, password: DEMO_PASSWORD, event_code: code });
  const token = me.attendee?.checkin_token ?? me.checkin_token;
  assert.ok(token, `${email} has a ticket`);
  return token.toUpperCase();
}

async function checkedIn(cookie, eventId) {
  const response = await fetch(`${BASE_URL}/api/organizer/events/${eventId}/stats`, { headers: { cookie } });
  return (await response.json()).checked_in;
}

test('with the network cut the door checks tickets against the saved list, queues them, and syncs when it is back', async () => {
  const code = await demoEventCode();
  const alan = await ticketOf('alan@demo.netevent.dev', code);
  const katherine = await ticketOf('katherine@demo.netevent.dev', code);
  const { cookie } = await apiLogin('/api/auth/organizer/login', { email: 'organizer@demo.netevent.dev', password: DEMO_PASSWORD });

  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoOrganiser(page);
  const eventHref = await page.getByRole('link', { name: 'NetEvent Demo Day' }).getAttribute('href');
  const eventId = eventHref.match(/events\/(\d+)/)[1];
  await open(page, `/dashboard/events/${eventId}/scan`);
  // Under the service worker's control the page itself is kept for opening offline.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
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
  assert.equal(await checkedIn(cookie, eventId), before, 'nothing reached the server while offline');

  // The queue lives in IndexedDB: the page opened again offline still holds both scans.
  await page.reload();
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
  await page.getByTestId('door-waiting').getByText('2 scans wait to sync').waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/door-offline.png` });

  await context.setOffline(false);
  await page.getByTestId('door-waiting').getByText('All scans synced').waitFor({ timeout: 20_000 });
  await page.getByTestId('door-network').getByText('Online').waitFor();
  assert.equal(await checkedIn(cookie, eventId), before + 2, 'both offline scans reached the stats');
  const list = await (await fetch(`${BASE_URL}/api/events/${eventId}/attendees?q=Katherine`, { headers: { cookie } })).json();
  assert.ok(list.items[0].checked_in_at, 'Katherine is checked in');
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});
