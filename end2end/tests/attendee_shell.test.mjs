import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, overflowing, keepScreenshot, logInDemoAttendee, serviceWorkerReady, DEMO_PASSWORD, BASE_URL } from './helpers.mjs';

const browser = useBrowser();

test('on an event page the header speaks to attendees, and the ticket is one tap away on a 360 px phone', async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });

  // A visitor of the event's link: their own login, no organiser's call to action.
  await open(page, `/e/${code}`);
  const header = page.locator('.site-header');
  assert.equal(await header.getByRole('link', { name: 'Organise an event' }).count(), 0);
  // Who hosts it, and who is going: faces, and first names with an initial only.
  assert.equal((await page.getByTestId('event-host').textContent()).trim(), 'Hosted by Demo Organiser');
  assert.match(await page.getByTestId('going').textContent(), /^\S+ \S\., \S+ \S\. and \d+ others are going$/u);
  assert.ok(await page.locator('.going .faces li').count() >= 3, 'a row of faces');
  // Add to calendar offers Google (in the event's own zone) and the .ics for Apple and Outlook;
  // the place links to a map.
  await page.getByText('Add to calendar').click();
  const google = new URL(await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href'));
  assert.equal(google.hostname, 'calendar.google.com');
  assert.equal(google.searchParams.get('text'), 'NetEvent Demo Day');
  assert.match(google.searchParams.get('dates'), /^\d{8}T090000\/\d{8}T173000$/);
  assert.ok(google.searchParams.get('ctz'), 'the zone goes along');
  assert.deepEqual(await overflowing(page), [], 'the event page at 360 px');
  await keepScreenshot(page, 'attendee-event-360');
  const ics = await page.evaluate(async (href) => (await fetch(href)).text(),
    await page.getByRole('link', { name: 'Apple Calendar' }).getAttribute('href'));
  assert.match(ics, /BEGIN:VEVENT/);
  const map = new URL(await page.getByRole('link', { name: /^Map/ }).getAttribute('href'));
  assert.equal(map.searchParams.get('query'), 'Congress Centre, Hall B');
  await header.getByRole('link', { name: 'Attendee log in' }).click();
  await page.waitForURL(`${BASE_URL}/e/${code}/login`);
  // The login names its event.
  await page.getByTestId('login-event').getByText('NetEvent Demo Day').waitFor();
  await page.fill('#field-email', 'ada@demo.netevent.dev');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /You're in/ }).waitFor();

  // Five tabs with icon and word, none cut at 360 px; Ticket shows Ada's QR code; her name in
  // the header opens her profile.
  const tabs = page.getByRole('navigation', { name: 'Networking' });
  await tabs.getByRole('link', { name: 'Ticket' }).waitFor();
  const names = (await tabs.getByRole('link').allTextContents()).map((t) => t.replace(/\d+$/, '').trim());
  assert.deepEqual(names, ['Home', 'People', 'Contacts', 'Agenda', 'Ticket']);
  assert.equal(await page.getByTestId('current-user').getAttribute('href'), '/me/profile');
  const clipped = await tabs.evaluate((nav) => [...nav.querySelectorAll('a')]
    .filter((a) => a.scrollWidth > a.clientWidth + 1 || a.getBoundingClientRect().right > window.innerWidth)
    .map((a) => a.textContent));
  assert.deepEqual(clipped, [], 'no tab is cut or off screen');
  // Home: where the event stands, her next meeting (Alan, at the coffee bar), what waits.
  await tabs.getByRole('link', { name: 'Home' }).click();
  await page.waitForURL(`${BASE_URL}/me`);
  await page.getByRole('heading', { name: 'NetEvent Demo Day', level: 1 }).waitFor();
  assert.match(await page.getByTestId('moment').textContent(), /^Starts in \d+ days$/);
  const next = page.getByTestId('next-meeting');
  assert.match(await next.textContent(), /Alan Turing.*Coffee bar/s);
  await page.getByRole('heading', { name: 'Waiting for you' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Show my ticket' }).count(), 1);
  // Each tab fits the 360 px phone; its picture is kept.
  for (const [name, path] of [['Home', 'me'], ['People', 'me/people'], ['Contacts', 'me/connections'], ['Agenda', 'me/agenda']]) {
    await tabs.getByRole('link', { name }).click();
    await page.waitForURL(`${BASE_URL}/${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.deepEqual(await overflowing(page), [], `${name} at 360 px`);
    await keepScreenshot(page, `attendee-${name.toLowerCase()}-360`);
  }
  await tabs.getByRole('link', { name: 'Ticket' }).click();
  await page.waitForURL(`${BASE_URL}/me/ticket`);
  await page.getByRole('img', { name: 'Your check-in QR code' }).waitFor();
  await page.getByText('Ada Lovelace').first().waitFor();
  assert.equal(await tabs.getByRole('link', { name: 'Ticket' }).getAttribute('aria-current'), 'page');
  assert.deepEqual(await overflowing(page), [], 'the ticket at 360 px');
  await keepScreenshot(page, 'attendee-ticket-360');
  // Nothing of the page hides under the tab bar: its end scrolls clear of it.
  const hidden = await page.evaluate(() => {
    window.scrollTo(0, document.body.scrollHeight);
    const bar = document.querySelector('.tabbar').getBoundingClientRect();
    const last = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().height > 0).pop();
    return last.getBoundingClientRect().bottom > bar.top + 1;
  });
  assert.equal(hidden, false, 'the last of the page ends above the tab bar');
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});

test('the ticket opens on a phone without a network, also when the network hangs', async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const page = await context.newPage();
  await logInDemoAttendee(page, code);
  await serviceWorkerReady(page);
  // Seen once online, with the service worker in charge of the page.
  await open(page, '/me/ticket');
  await page.getByRole('img', { name: 'Your check-in QR code' }).waitFor();
  const qr = await page.locator('.ticket-qr').innerHTML();
  assert.equal(await page.getByText('Saved on this phone').isVisible(), false, 'online, no offline note');
  await page.waitForFunction(async () => Boolean(await (await caches.open('netevent-ticket')).match('/me/ticket')), null, { timeout: 10_000 });

  // No network at all: the same code, Ada's name, styled, and says it is the saved copy.
  await context.setOffline(true);
  for (const path of ['/me/ticket', `/e/${code}/ticket`]) {
    await page.goto(`${BASE_URL}${path}`);
    await page.getByText('Saved on this phone').waitFor();
    assert.equal(await page.locator('.ticket-qr').innerHTML(), qr, `the same QR code at ${path}`);
    await page.getByText('Ada Lovelace').first().waitFor();
    assert.notEqual(await page.locator('.ticket').evaluate((t) => getComputedStyle(t).textAlign), 'start', 'its stylesheet came along');
  }
  await keepScreenshot(page, 'attendee-ticket-offline');
  await context.setOffline(false);

  // A network that takes the request and never answers: the saved ticket after a few seconds.
  // (The context's routes see the service worker's own requests.)
  await context.route('**/me/ticket', () => {});
  await page.goto(`${BASE_URL}/me/ticket`, { timeout: 15_000 });
  await page.getByText('Saved on this phone').waitFor();
  await context.unroute('**/me/ticket');
  await context.close();
});

test('an attendee sees their badge as it will print and leaves their organisation off, and says who may ask for meetings', async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await logInDemoAttendee(page, code);
  await open(page, '/me/profile');
  const preview = page.frameLocator('[data-testid=badge-preview]');
  await preview.getByText('Analytical Engines Ltd').waitFor();
  await preview.getByText('NetEvent Demo Day').waitFor();
  assert.deepEqual(await overflowing(page), [], 'the badge fits a 360 px phone');
  await keepScreenshot(page, 'attendee-badge-360');

  const organisation = page.getByLabel(/Show my organisation/);
  await organisation.uncheck();
  await page.getByRole('button', { name: 'Save badge' }).click();
  await page.getByRole('status').filter({ hasText: 'Your badge will print like this.' }).waitFor();
  await preview.getByText('Analytical Engines Ltd').waitFor({ state: 'detached' });
  await preview.getByText('Ada Lovelace').waitFor();
  // Kept: after a reload the box is still unticked. Then back as it was, for the other tests.
  await open(page, '/me/profile');
  assert.equal(await page.getByLabel(/Show my organisation/).isChecked(), false);
  await page.getByLabel(/Show my organisation/).check();
  await page.getByRole('button', { name: 'Save badge' }).click();
  await preview.getByText('Analytical Engines Ltd').waitFor();

  // Who may ask her for meetings: her connections only, kept; then everyone again.
  const meetings = page.getByRole('region', { name: 'Privacy' });
  await meetings.getByLabel('Only my connections').check();
  await meetings.getByRole('button', { name: 'Save' }).click();
  await meetings.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await open(page, '/me/profile');
  assert.equal(await page.getByRole('region', { name: 'Privacy' }).getByLabel('Only my connections').isChecked(), true);
  await page.getByRole('region', { name: 'Privacy' }).getByLabel('Everyone at the event').check();
  await page.getByRole('region', { name: 'Privacy' }).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('region', { name: 'Privacy' }).getByRole('status').waitFor();
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});
