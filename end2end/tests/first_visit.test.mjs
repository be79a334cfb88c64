import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, BASE_URL, serviceWorkerReady } from './helpers.mjs';

const browser = useBrowser();

test("a phone's first visit gets content-named files compressed and cached for good, and a repeat visit moves only the page", async () => {
  const code = await demoEventCode();
  const context = await phone(browser());
  const page = await context.newPage();
  const seen = [];
  page.on('response', (response) => seen.push(response));
  await open(page, `/e/${code}`);

  const header = (response, name) => response.headers()[name] ?? '';
  const app = seen.filter((r) => new URL(r.url()).pathname.startsWith('/pkg/'));
  for (const kind of ['js', 'wasm', 'css']) {
    const file = app.find((r) => new URL(r.url()).pathname.endsWith(`.${kind}`));
    assert.ok(file, `the page loads its ${kind}`);
    const name = new URL(file.url()).pathname;
    assert.match(name, /^\/pkg\/netevent\.[\w-]{16,}\./, `${name} is named by its content`);
    assert.equal(header(file, 'cache-control'), 'public, max-age=31536000, immutable', name);
    assert.match(header(file, 'content-encoding'), /^(br|gzip)$/, `${name} travels compressed`);
    assert.match(header(file, 'vary'), /accept-encoding/i, name);
  }
  // The invite link's page loads none of the split pages' files (app/src/split.rs).
  const splitFiles = (responses) =>
    responses.map((r) => new URL(r.url()).pathname).filter((p) => p.startsWith('/pkg/split_'));
  assert.deepEqual(splitFiles(app), [], 'the invite page loads no split group');
  const html = seen.find((r) => new URL(r.url()).pathname === `/e/${code}`);
  assert.match(header(html, 'content-encoding'), /^(br|gzip)$/, 'the page travels compressed');

  // Once the service worker runs, a repeat visit loads the app's files from the phone.
  await serviceWorkerReady(page);
  seen.length = 0;
  await page.reload();
  await page.waitForSelector('body[data-hydrated="true"]');
  const fromNetwork = seen.filter((r) => new URL(r.url()).pathname.startsWith('/pkg/') && !r.fromServiceWorker());
  assert.deepEqual(fromNetwork.map((r) => r.url()), [], 'no app file comes over the network again');

  // Files without a content name answer a conditional request with 304.
  const icon = await fetch(`${BASE_URL}/favicon.svg`);
  const modified = icon.headers.get('last-modified');
  assert.ok(modified, 'a static file says when it changed');
  const again = await fetch(`${BASE_URL}/favicon.svg`, { headers: { 'if-modified-since': modified } });
  assert.equal(again.status, 304);

  // A page of a group loads its group's file, and only that one, and hydrates.
  seen.length = 0;
  await open(page, '/organizer/login');
  const groups = splitFiles(seen).map((p) => p.replace(/^\/pkg\/split_(\w+?)_page.*$/, '$1'));
  assert.deepEqual(groups, ['organizer'], 'the organiser login loads the organiser group alone');
  assert.deepEqual(context.browserErrors, []);
  await context.close();
});

test('a page of another build is reloaded once, then left as the server rendered it, never half hydrated', async () => {
  const context = await phone(browser());
  const page = await context.newPage();
  const messages = [];
  page.on('console', (message) => messages.push(message.text()));
  // Every copy of the page names a build the wasm is not (an old page, a deploy in between).
  let served = 0;
  await page.route(`${BASE_URL}/`, async (route) => {
    served += 1;
    const response = await route.fetch();
    const html = (await response.text()).replace(/(<meta name="netevent-build" content=")[^"]*"/, '$1another-build"');
    const headers = { ...response.headers() };
    delete headers['content-encoding'];
    delete headers['content-length'];
    await route.fulfill({ status: response.status(), headers, body: html });
  });
  await page.goto(`${BASE_URL}/`);
  const differ = /NetEvent: this page \(build another-build\) and the app .* differ/;
  for (let i = 0; i < 100 && !messages.some((m) => differ.test(m)); i++) await page.waitForTimeout(100);
  assert.ok(messages.some((m) => differ.test(m)), messages.join('\n'));
  assert.equal(served, 2, 'reloaded once to get a matching page, not again');
  assert.equal(await page.getAttribute('body', 'data-hydrated'), null, 'not hydrated');
  // The server-rendered page still works without the app: its links lead on.
  await page.getByRole('link', { name: 'NetEvent' }).first().waitFor();
  await context.close();
});
