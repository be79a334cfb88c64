// The phone's first visit, measured (not a test): for an attendee's event page, profile and
// directory, and the door's scanner, what goes over the wire per response (bytes, encoding,
// cache header) and when the page paints and becomes interactive, on a first (cold) and a
// repeat (warm) visit, with a slow phone network (1.6 Mbit/s down, 750 kbit/s up, 150 ms) and
// the CPU slowed 4x. Runs against a server with the demo seeded (`make run`):
//
//   node end2end/measure-first-visit.mjs            # BASE_URL defaults to :3000
//
// "Interactive" is when the app has hydrated (`body[data-hydrated]`, set once hydration has
// returned), measured from the start of navigation.
import { launch, BASE_URL, DEMO_PASSWORD } from './tests/helpers.mjs';

const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };
const CPU_SLOWDOWN = 4;

async function demoEvent() {
  const list = await (await fetch(`${BASE_URL}/api/events?limit=100`)).json();
  const event = list.items.find((e) => e.name.includes('Demo')) ?? list.items[0];
  if (!event) throw new Error('no demo event: start the server with `make run`');
  return event;
}

/** A phone context, logged in through the API (so no page is loaded before the measured one). */
async function phoneContext(browser, login) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  if (login) {
    const answer = await context.request.post(`${BASE_URL}${login.path}`, { data: login.body });
    if (!answer.ok()) throw new Error(`login ${login.path}: ${answer.status()}`);
  }
  return context;
}

/** Loads `path` once on `page` with throttling; answers what went over the wire and when. */
async function visit(page, path) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const responses = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const header = (name) => Object.entries(response.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
    responses.set(requestId, {
      url: new URL(response.url).pathname,
      status: response.status,
      encoding: header('content-encoding') || '-',
      cache: header('cache-control') || '-',
      from: response.fromServiceWorker ? 'service worker' : response.fromDiskCache ? 'disk cache' : 'network',
      bytes: 0,
    });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const response = responses.get(requestId);
    if (response) response.bytes = response.from === 'network' ? encodedDataLength : 0;
  });
  await page.goto(`${BASE_URL}${path}`, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    interactive: performance.getEntriesByName('hydrated')[0]?.startTime ?? performance.now(),
  }));
  // Let late requests (the service worker's install, icons) finish before counting.
  await page.waitForTimeout(1500);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  const list = [...responses.values()];
  return { ...timing, responses: list, total: list.reduce((sum, r) => sum + r.bytes, 0) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms) => (ms == null ? '-' : `${(ms / 1000).toFixed(2)} s`);

async function main() {
  const event = await demoEvent();
  const attendee = { path: '/api/auth/attendee/login', body: { email: 'ada@demo.netevent.dev', password: DEMO_PASSWORD, event_id: event.id } };
  const organizer = { path: '/api/auth/organizer/login', body: { email: 'organizer@demo.netevent.dev', password: DEMO_PASSWORD } };
  const pages = [
    ['event page (anonymous)', `/e/${event.code}`, null],
    ['profile (attendee)', '/me/profile', attendee],
    ['directory (attendee)', '/me/people', attendee],
    ['scanner (organiser)', `/dashboard/events/${event.id}/scan`, organizer],
  ];
  const browser = await launch();
  const rows = [];
  const details = [];
  try {
    for (const [name, path, login] of pages) {
      const context = await phoneContext(browser, login);
      const page = await context.newPage();
      const cold = await visit(page, path);
      // The repeat visit: the same phone later (its HTTP cache and service worker kept). The
      // service worker fetches the page itself (network first), out of this page's sight:
      // its HTML is counted at its size on the first visit.
      const warm = await visit(page, path);
      const html = (visited) => visited.responses.find((r) => r.url === path);
      if (html(warm)?.from === 'service worker') warm.total += html(cold)?.bytes ?? 0;
      rows.push(`| ${name} | ${kb(cold.total)} | ${s(cold.fcp)} | ${s(cold.interactive)} | ${kb(warm.total)} | ${s(warm.fcp)} | ${s(warm.interactive)} |`);
      details.push(`\n${name} (${path}), first visit:`);
      for (const r of cold.responses.filter((r) => r.status !== 0)) {
        details.push(`  ${r.status} ${r.url.padEnd(48)} ${kb(r.bytes).padStart(10)}  ${r.encoding.padEnd(5)}  ${r.cache}  (${r.from})`);
      }
      details.push('  repeat visit:');
      for (const r of warm.responses.filter((r) => r.status !== 0)) {
        details.push(`  ${r.status} ${r.url.padEnd(48)} ${kb(r.bytes).padStart(10)}  ${r.encoding.padEnd(5)}  ${r.cache}  (${r.from})`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`Slow phone: ${NETWORK.downloadThroughput * 8 / 1e6} Mbit/s down, ${NETWORK.latency} ms latency, CPU ${CPU_SLOWDOWN}x slower; ${BASE_URL}\n`);
  console.log('| page | first visit: on the wire | first paint | interactive | repeat visit: on the wire | first paint | interactive |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(details.join('\n'));
}

main().catch((error) => { console.error(error); process.exit(1); });
