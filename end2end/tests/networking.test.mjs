import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, uniqueEmail, demoEventCode, logInDemoOrganiser, DEMO_PASSWORD, BASE_URL as BASE } from './helpers.mjs';

const browser = useBrowser();

/** A new attendee of the event at `code`, registered through the deep link on a phone. */
async function attendee(code, first, last) {
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, `/e/${code}`);
  await page.fill('#field-first_name', first);
  await page.fill('#field-last_name', last);
  await page.fill('#field-email', uniqueEmail(first.toLowerCase()));
  await page.fill('#field-password', 'networking!');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: new RegExp(`You're in, ${first}`) }).waitFor();
  return { context, page };
}

async function editProfile(page, { organisation, role, introduction }) {
  await page.getByRole('link', { name: 'Complete your profile' }).click();
  await page.getByRole('heading', { name: 'My profile' }).waitFor();
  await page.fill('#field-organisation', organisation);
  await page.fill('#field-role', role);
  await page.fill('#field-introduction', introduction);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

/** Taps a tab of the bottom bar and waits for its page. */
async function tab(page, name, heading) {
  await page.getByRole('navigation', { name: 'Networking' }).getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

test('two attendees find each other, connect, and book a meeting on their phones', async () => {
  const code = await demoEventCode();
  const tag = `${Date.now() % 100000}`;
  const mira = await attendee(code, 'Mira', `Nowak${tag}`);
  const theo = await attendee(code, 'Theo', `Okafor${tag}`);

  await editProfile(mira.page, { organisation: 'Fjord Labs', role: 'Product designer', introduction: 'Design systems for event apps.' });
  await editProfile(theo.page, { organisation: 'Rustacean Co', role: 'Rust engineer', introduction: 'Async Rust and databases.' });

  // Mira uploads a photo (a real PNG: a screenshot of her own screen) and sees it at once.
  const picture = await mira.page.screenshot({ clip: { x: 0, y: 0, width: 390, height: 300 } });
  await mira.page.setInputFiles('#photo-input', { name: 'me.png', mimeType: 'image/png', buffer: picture });
  const avatar = mira.page.locator('.photo-upload img.avatar');
  await avatar.waitFor();
  assert.match(await avatar.getAttribute('src'), /^\/media\/photos\/[0-9a-f]{32}\.jpg$/);
  const stored = await mira.page.evaluate(async (src) => {
    const response = await fetch(src);
    return { type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
  }, await avatar.getAttribute('src'));
  assert.equal(stored.type, 'image/jpeg');
  assert.ok(stored.size > 1000);

  // Theo searches the directory, finds Mira with her photo and role, and asks to connect.
  await tab(theo.page, 'People', 'People at the event');
  await theo.page.fill('#people-search', `Nowak${tag}`);
  // The search narrows the directory to her alone.
  await theo.page.getByText('1–1 of 1').waitFor();
  const card = theo.page.getByTestId('person-card').filter({ hasText: `Mira Nowak${tag}` });
  await card.getByText('Product designer').waitFor();
  assert.equal(await theo.page.getByTestId('person-card').count(), 1);
  assert.match(await card.locator('img.avatar').getAttribute('src'), /^\/media\/photos\//);
  await card.getByRole('button', { name: 'Connect with Mira' }).click();
  await card.getByText('Request sent').waitFor();

  // Mira sees the request counted in her tab bar and accepts it; emails are exchanged.
  await mira.page.reload();
  await mira.page.waitForSelector('body[data-hydrated="true"]');
  const badge = mira.page.getByRole('navigation', { name: 'Networking' }).locator('.badge').first();
  await badge.waitFor();
  assert.equal((await badge.textContent()).trim(), '1');
  await tab(mira.page, 'Contacts', 'Contacts');
  const waiting = mira.page.getByRole('region', { name: 'Waiting for your answer' });
  await waiting.getByRole('button', { name: `Accept Theo Okafor${tag}` }).click();
  const contacts = mira.page.getByRole('region', { name: 'Your contacts' });
  await contacts.getByText(`Theo Okafor${tag}`).waitFor();
  await contacts.getByRole('link', { name: /^theo-.*@example\.com$/ }).waitFor();
  // Theo has no photo: his initials stand in for it.
  assert.equal((await contacts.locator('.avatar.initials').first().textContent()).trim(), 'TO');

  // Mira opens Theo's profile and asks for a meeting an hour into the event.
  await contacts.getByRole('link', { name: `Theo Okafor${tag}` }).click();
  await mira.page.getByRole('heading', { name: `Theo Okafor${tag}`, level: 1 }).waitFor();
  await mira.page.getByText('Async Rust and databases.').waitFor();
  const start = await mira.page.locator('#field-appointment_time').getAttribute('min');
  const hourIn = new Date(`${start}:00Z`);
  hourIn.setUTCHours(hourIn.getUTCHours() + 1);
  const when = hourIn.toISOString().slice(0, 16);
  await mira.page.fill('#field-appointment_time', when);
  await mira.page.fill('#field-location', 'Coffee bar');
  await mira.page.fill('#field-notes', 'Event app design');
  await mira.page.getByRole('button', { name: 'Request meeting' }).click();
  await mira.page.getByRole('status').filter({ hasText: 'Request sent' }).waitFor();

  // Theo accepts it from his agenda.
  await tab(theo.page, 'Agenda', 'My agenda');
  const request = theo.page.getByTestId('agenda-item').filter({ hasText: `Mira Nowak${tag}` });
  await request.getByText('Asks to meet you').waitFor();
  await request.getByRole('button', { name: `Accept the meeting with Mira Nowak${tag}` }).click();
  await request.getByText('Confirmed').waitFor();

  // Both agendas show it at the same time, with a calendar file.
  for (const { page } of [mira, theo]) {
    await tab(page, 'Agenda', 'My agenda');
    const item = page.getByTestId('agenda-item').filter({ hasText: 'Coffee bar' });
    await item.getByText('Confirmed').waitFor();
    assert.equal(await item.locator('time').getAttribute('datetime'), when);
    const ics = await page.evaluate(async (href) => (await fetch(href)).text(),
      await item.getByRole('link', { name: 'Add to calendar' }).getAttribute('href'));
    assert.match(ics, /BEGIN:VEVENT/);
  }
  assert.deepEqual([...mira.context.browserErrors, ...theo.context.browserErrors], [], 'no hydration errors');
  await mira.context.close();
  await theo.context.close();
});

test('an attendee of one event RSVPs to another with one click and can cancel', async () => {
  const code = await demoEventCode();
  const { context, page } = await attendee(code, 'Ines', `Moreau${Date.now() % 100000}`);
  // A second event from the same organiser, created through the API as the demo organiser.
  const organiser = await browser().newContext();
  const api = organiser.request;
  const base = new URL(page.url()).origin;
  await api.post(`${base}/api/auth/organizer/login`, { data: { email: 'organizer@demo.netevent.dev', password: DEMO_PASSWORD } });
  const created = await api.post(`${base}/api/events`, {
    data: { name: `Rust Night ${Date.now()}`, start_time: '2031-03-01T18:00:00', end_time: '2031-03-01T22:00:00', max_attendees: 40 },
  });
  assert.equal(created.status(), 201);
  const other = await created.json();
  await organiser.close();

  await open(page, `/e/${other.code}`);
  await page.getByRole('button', { name: 'RSVP with my profile' }).click();
  await page.getByRole('heading', { name: /You're in, Ines/ }).waitFor();
  assert.match(await page.locator('.event-head .spots').textContent(), /^1 going/);

  await page.getByRole('button', { name: /Cancel my RSVP/ }).click();
  await page.getByRole('button', { name: 'Yes, cancel my RSVP' }).click();
  await page.getByRole('heading', { name: 'RSVP' }).waitFor();
  assert.match(await page.locator('.event-head .spots').textContent(), /^0 going/);
  await context.close();
});

test('an attendee blocks someone, finds them listed in Settings, unblocks, downloads their data and deletes their registration', async () => {
  const code = await demoEventCode();
  const tag = `${Date.now() % 100000}`;
  const uma = await attendee(code, 'Uma', `Quist${tag}`);
  const vic = await attendee(code, 'Vic', `Rowe${tag}`);

  // Uma finds Vic and blocks him, after the step that says what it does.
  await tab(uma.page, 'People', 'People at the event');
  await uma.page.fill('#people-search', `Rowe${tag}`);
  await uma.page.getByText('1–1 of 1').waitFor();
  await uma.page.getByRole('link', { name: `Vic Rowe${tag}` }).click();
  await uma.page.getByRole('heading', { name: `Vic Rowe${tag}`, level: 1 }).waitFor();
  await uma.page.getByText('Block Vic…').click();
  await uma.page.getByRole('button', { name: 'Block Vic' }).click();
  await uma.page.getByRole('status').filter({ hasText: 'Blocked.' }).waitFor();

  // Vic no longer finds Uma.
  await tab(vic.page, 'People', 'People at the event');
  await vic.page.fill('#people-search', `Quist${tag}`);
  await vic.page.getByText('Nobody matches your search yet.').waitFor();
  assert.equal(await vic.page.getByTestId('person-card').count(), 0);

  // Uma's settings list him; she unblocks him and he finds her again.
  await open(uma.page, '/me/settings');
  const blocked = uma.page.getByRole('region', { name: 'Blocked people' });
  await blocked.getByText(`Vic Rowe${tag}`).waitFor();
  await blocked.getByRole('button', { name: 'Unblock Vic' }).click();
  await blocked.getByText('You have blocked nobody.', { exact: false }).waitFor();
  await vic.page.fill('#people-search', '');
  await vic.page.fill('#people-search', `Quist${tag}`);
  await vic.page.getByText('1–1 of 1').waitFor();

  // Her data, as a file: her own profile in JSON.
  const data = uma.page.getByRole('region', { name: 'Your data' });
  const [download] = await Promise.all([
    uma.page.waitForEvent('download'),
    data.getByRole('link', { name: 'Download my data' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^netevent-.*-my-data\.json$/);
  const exported = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
  assert.equal(exported.profile.first_name, 'Uma');
  assert.equal(exported.profile.last_name, `Quist${tag}`);
  assert.deepEqual(exported.blocked, [], 'the unblock is in the file too');

  // She deletes her registration: logged out, and Vic no longer finds her.
  await data.getByText('Delete my registration…').click();
  await data.getByRole('button', { name: 'Delete my registration and data' }).click();
  await uma.page.getByText('Log in to see your data.').or(uma.page.getByRole('link', { name: /Log in/ })).first().waitFor();
  await vic.page.fill('#people-search', '');
  await vic.page.fill('#people-search', `Quist${tag}`);
  await vic.page.getByText('Nobody matches your search yet.').waitFor();
  assert.deepEqual([...uma.context.browserErrors, ...vic.context.browserErrors], [], 'no hydration errors');
  await uma.context.close();
  await vic.context.close();
});

test('an attendee picks interests on their phone and People to meet suggests whom to talk to, with why', async () => {
  const code = await demoEventCode();
  const { context, page } = await attendee(code, 'Wren', `Sato${Date.now() % 100000}`);
  await page.getByRole('link', { name: 'Complete your profile' }).click();
  const interests = page.getByRole('region', { name: 'My interests' });
  await interests.getByRole('group', { name: 'I offer' }).getByLabel('Hiring').check();
  await interests.getByRole('group', { name: "I'm looking for" }).getByLabel('Robotics').check();
  await interests.getByRole('button', { name: 'Save interests' }).click();
  await interests.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  // Kept after a reload.
  await open(page, '/me/profile');
  assert.equal(await page.getByRole('group', { name: 'I offer' }).getByLabel('Hiring').isChecked(), true);
  assert.equal(await page.getByRole('group', { name: "I'm looking for" }).getByLabel('Hiring').isChecked(), false);

  // People to meet: 山田 offers Robotics and looks for Hiring (two reasons), Zoë offers
  // Robotics (one, and shares Hiring), Grace looks for Hiring (one).
  await tab(page, 'People', 'People at the event');
  const suggested = page.getByRole('region', { name: 'People to meet' });
  const first = suggested.getByTestId('suggestion').first();
  await first.getByText('山田 太郎').waitFor();
  await first.getByText('山田 offers Robotics, which you look for; looks for Hiring, which you offer.').waitFor();
  const zoe = suggested.getByTestId('suggestion').nth(1);
  await zoe.getByText('Zoë offers Robotics, which you look for; shares your interest in Hiring.').waitFor();
  await zoe.getByRole('button', { name: 'Connect with Zoë' }).click();
  await zoe.getByText('Request sent').waitFor();

  // The directory by interest.
  await page.getByLabel('Interest').selectOption({ label: 'Robotics' });
  await page.getByText(/^1–\d+ of \d+$/).waitFor();
  const names = await page.getByTestId('person-card').locator('.person-name').allTextContents();
  for (const name of ['Ada Lovelace', 'Zoë Łukasz', '山田 太郎']) assert.ok(names.includes(name), `${name} in ${names}`);
  assert.equal(await suggested.count(), 0, 'suggestions step aside while filtering');
  assert.deepEqual(context.browserErrors, [], 'no hydration errors');
  await context.close();
});

test('a full event takes people in line on a phone, and a freed seat makes the first of them an attendee', async () => {
  const organiser = await browser().newContext();
  const api = organiser.request;
  await api.post(`${BASE}/api/auth/organizer/login`, { data: { email: 'organizer@demo.netevent.dev', password: DEMO_PASSWORD } });
  const created = await api.post(`${BASE}/api/events`, {
    data: { name: `Tiny Meetup ${Date.now()}`, start_time: '2031-04-01T18:00:00', end_time: '2031-04-01T21:00:00', max_attendees: 1 },
  });
  assert.equal(created.status(), 201);
  const event = await created.json();
  assert.equal((await api.put(`${BASE}/api/events/${event.id}/waitlist`, { data: { enabled: true } })).status(), 200);
  const seated = await browser().newContext();
  const registered = await seated.request.post(`${BASE}/api/auth/attendee/register`, {
    data: { event_id: event.id, email: uniqueEmail('seated'), password: 'seated-password', first_name: 'Sol', last_name: 'Seated' },
  });
  assert.equal(registered.status(), 201);

  // Full: the page offers the line instead of the form.
  const context = await phone(browser());
  const page = await context.newPage();
  await open(page, `/e/${event.code}`);
  const line = page.getByRole('region', { name: 'This event is full: join the waitlist' });
  const email = uniqueEmail('wait');
  await line.getByLabel('First name').fill('Wanda');
  await line.getByLabel('Last name').fill('Waiting');
  await line.getByLabel('Email').fill(email);
  await line.getByLabel('Password').fill('waiting-password');
  await line.getByRole('button', { name: 'Join the waitlist' }).click();
  await line.getByRole('status').filter({ hasText: "You're number 1 in line." }).waitFor();

  // Sol gives the seat back: Wanda is in, and logs in with her password.
  assert.equal((await seated.request.delete(`${BASE}/api/events/${event.id}/rsvp`)).status(), 204);
  const login = await context.request.post(`${BASE}/api/auth/attendee/login`, { data: { email, password: 'waiting-password', event_id: event.id } });
  assert.equal(login.status(), 200);
  assert.deepEqual(context.browserErrors, [], 'no hydration errors');
  await Promise.all([organiser.close(), seated.close(), context.close()]);
});

test('on a phone, an attendee picks interests, books a suggested slot in two taps, the other accepts, and both agendas show the table', async () => {
  // The organiser keeps a morning hour for meetings at two tables, on the Settings page.
  const organiser = await browser().newContext();
  const desk = await organiser.newPage();
  await logInDemoOrganiser(desk);
  const api = organiser.request;
  const created = await api.post(`${BASE}/api/events`, {
    data: { name: `Slot Meetup ${Date.now()}`, start_time: '2031-06-10T09:00:00', end_time: '2031-06-10T17:00:00' },
  });
  assert.equal(created.status(), 201);
  const event = await created.json();
  assert.equal((await api.put(`${BASE}/api/events/${event.id}/tags`, { data: { tags: ['Hiring', 'Robotics'] } })).status(), 200);
  await open(desk, `/dashboard/events/${event.id}/settings`);
  const plan = desk.getByRole('region', { name: 'Meeting times and tables' });
  await plan.getByLabel('Each meeting lasts (minutes)').fill('20');
  await plan.getByLabel('Period 1 starts').fill('2031-06-10T10:00');
  await plan.getByLabel('ends').first().fill('2031-06-10T11:00');
  await plan.getByLabel('Tables and rooms, one per line').fill('Table 1\nTable 2');
  await plan.getByRole('button', { name: 'Save meeting plan' }).click();
  await plan.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const saved = await (await api.get(`${BASE}/api/events/${event.id}/meeting-plan`)).json();
  assert.deepEqual(saved.places.map((p) => p.name), ['Table 1', 'Table 2']);
  assert.deepEqual(saved.periods, [{ starts_at: '2031-06-10T10:00:00', ends_at: '2031-06-10T11:00:00' }]);

  // Bea offers Robotics and looks for Hiring.
  const tag = `${Date.now() % 100000}`;
  const bea = await attendee(event.code, 'Bea', `Kim${tag}`);
  const tags = await (await bea.context.request.get(`${BASE}/api/events/${event.id}/tags`)).json();
  const id = (name) => tags.find((t) => t.name === name).id;
  const me = await (await bea.context.request.get(`${BASE}/api/auth/me`)).json();
  const beaId = me.id;
  const picked = await bea.context.request.put(`${BASE}/api/attendees/${beaId}/interests`, {
    data: { offers: [id('Robotics')], seeks: [id('Hiring')] },
  });
  assert.equal(picked.status(), 200);

  // Ash picks the other way round, and People to meet puts Bea first.
  const ash = await attendee(event.code, 'Ash', `Lee${tag}`);
  await ash.page.getByRole('link', { name: 'Complete your profile' }).click();
  const interests = ash.page.getByRole('region', { name: 'My interests' });
  await interests.getByRole('group', { name: 'I offer' }).getByLabel('Hiring').check();
  await interests.getByRole('group', { name: "I'm looking for" }).getByLabel('Robotics').check();
  await interests.getByRole('button', { name: 'Save interests' }).click();
  await interests.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await tab(ash.page, 'People', 'People at the event');
  const suggestion = ash.page.getByRole('region', { name: 'People to meet' }).getByTestId('suggestion').first();
  await suggestion.getByText(`Bea Kim${tag}`).waitFor();

  // Two taps: "Book a meeting", then the first time we are both free.
  await suggestion.getByRole('link', { name: 'Book a meeting' }).click();
  const slots = ash.page.getByRole('region', { name: `Free times for you and Bea` });
  const first = slots.getByTestId('free-slot').first();
  await first.getByText('2 tables free').waitFor();
  assert.equal(await slots.getByTestId('free-slot').count(), 3);
  await first.click();
  await slots.getByRole('status').filter({ hasText: 'Asked Bea for Tue 10:00.' }).waitFor();

  // Bea accepts from her agenda.
  await tab(bea.page, 'Agenda', 'My agenda');
  const request = bea.page.getByTestId('agenda-item').filter({ hasText: `Ash Lee${tag}` });
  await request.getByRole('button', { name: `Accept the meeting with Ash Lee${tag}` }).click();
  await request.getByText('Confirmed').waitFor();

  // Both agendas show the meeting at 10:00 at Table 1.
  for (const { page } of [ash, bea]) {
    await tab(page, 'Agenda', 'My agenda');
    const item = page.getByTestId('agenda-item').first();
    await item.getByText('Confirmed').waitFor();
    assert.equal(await item.locator('time').getAttribute('datetime'), '2031-06-10T10:00');
    assert.equal((await item.getByTestId('meeting-place').textContent()).trim(), 'Where: Table 1');
  }
  assert.deepEqual([...ash.context.browserErrors, ...bea.context.browserErrors], [], 'no hydration errors');
  await Promise.all([organiser.close(), ash.context.close(), bea.context.close()]);
});
