import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
export const SECOND_URL = process.env.SECOND_URL;

export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** One Chromium for the test file: launched before its tests, closed after them. */
export function useBrowser() {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });
  return () => browser;
}

/** A phone-sized browser context that remembers the browser errors of its pages. */
export async function phone(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  context.browserErrors = [];
  context.on('console', (message) => {
    if (message.type() === 'error' && /hydrat|panicked|Content Security Policy|NetEvent:/i.test(message.text())) {
      context.browserErrors.push(message.text().split('\n')[0]);
    }
  });
  // An exception nobody caught (a panic in an event handler, a script that failed).
  context.on('weberror', (error) => context.browserErrors.push(String(error.error()).split('\n')[0]));
  return context;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's critical and serious violations on the page as it is now (WCAG 2.1 A and AA). */
export async function accessibilityProblems(page) {
  // Evaluated by the browser's tools, not by the page: the page's script policy allows no eval.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Opens `path`, waits until Leptos has hydrated the page, and fails on a hydration error or
 * on a critical or serious accessibility violation that axe-core finds. */
export async function open(page, path, base = BASE_URL) {
  await page.goto(`${base}${path}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
  const errors = page.context().browserErrors ?? [];
  if (errors.length) throw new Error(`browser errors on ${path}: ${errors.join(' | ')}`);
  const problems = await accessibilityProblems(page);
  if (problems.length) throw new Error(`accessibility problems on ${path}: ${problems.join(' | ')}`);
}

/** Registers a person for the event at `link` in a browser of their own, then closes it. */
export async function rsvp(browser, link, { first, last, password, organisation = '' }) {
  const context = await phone(browser);
  const page = await context.newPage();
  await open(page, link);
  await page.fill('#field-first_name', first);
  await page.fill('#field-last_name', last);
  await page.fill('#field-email', uniqueEmail(first.toLowerCase()));
  await page.fill('#field-password', password);
  await page.fill('#field-organisation', organisation);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: /You're in/ }).waitFor();
  await context.close();
}

export async function currentUser(page) {
  const who = page.locator('[data-testid=current-user]');
  await who.waitFor({ timeout: 10_000 });
  return (await who.textContent()).trim();
}

export function uniqueEmail(prefix) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** The code of the seeded demo event, read from the public API. */
export async function demoEventCode() {
  const response = await fetch(`${BASE_URL}/api/events`);
  const { items } = await response.json();
  const demo = items.find((event) => event.name === 'NetEvent Demo Day');
  if (!demo) throw new Error('the demo event was not seeded');
  return demo.code;
}

export const DEMO_PASSWORD = 'netevent-demo';

/** Logs `page` in as the demo organiser; it lands on the dashboard. */
export async function logInDemoOrganiser(page) {
  await open(page, '/organizer/login');
  await page.fill('#field-email', 'organizer@demo.netevent.dev');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${BASE_URL}/dashboard`);
}

/** Logs `page` in as Ada, the demo attendee, at the event of `code`. */
export async function logInDemoAttendee(page, code) {
  await open(page, `/e/${code}/login`);
  await page.fill('#field-email', 'ada@demo.netevent.dev');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /You're in/ }).waitFor();
}

/** Waits until the page's service worker is active, for at most 20 s: a worker whose install
 * fails (a full disk refuses its cache) never becomes ready, and a bare wait hung for 20 min. */
export async function serviceWorkerReady(page) {
  const ready = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then(() => 'ready'),
    new Promise((resolve) => setTimeout(() => resolve('the service worker did not become ready in 20 s'), 20_000)),
  ]));
  if (ready !== 'ready') throw new Error(ready);
}

/** Elements that stick out past the right edge of the window (text squeezed out, a row too
 * wide), leaving out what sits inside a container that scrolls sideways on purpose. */
export async function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX;
        if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right <= width + 1 || scrolls(el)) continue;
      if (getComputedStyle(el).position === 'fixed') continue;
      out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} (right ${Math.round(box.right)} > ${width})`);
    }
    if (document.documentElement.scrollWidth > width + 1) out.push(`page ${document.documentElement.scrollWidth} wide at ${width}`);
    return out.slice(0, 5);
  });
}

/** Keeps a screenshot of the page as a test artifact (end2end/artifacts, or $ARTIFACTS). */
export async function keepScreenshot(page, name) {
  const { mkdir } = await import('node:fs/promises');
  const dir = process.env.ARTIFACTS ?? new URL('../artifacts/', import.meta.url).pathname;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
