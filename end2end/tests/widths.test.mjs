import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, phone, open, demoEventCode, overflowing, keepScreenshot, logInDemoAttendee, logInDemoOrganiser, BASE_URL } from './helpers.mjs';

const browser = useBrowser();

// A phone, a tablet held upright, a laptop (360 px is checked along each journey).
const WIDTHS = [[390, 844], [768, 1024], [1280, 800]];

/** A browser context of this width: a phone's up to tablets, a desktop's beyond. */
async function sized(width, height) {
  if (width < 1024) {
    const context = await phone(browser());
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    return { context, page };
  }
  const context = await browser().newContext({ viewport: { width, height } });
  context.browserErrors = [];
  context.on('weberror', (error) => context.browserErrors.push(String(error.error()).split('\n')[0]));
  return { context, page: await context.newPage() };
}

/** Opens each page, checks nothing sticks out of the window and no text is cut, keeps its picture. */
async function walk(page, width, pages) {
  for (const [name, path] of pages) {
    await open(page, path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.deepEqual(await overflowing(page), [], `${name} at ${width} px`);
    const cut = await page.evaluate(() => [...document.querySelectorAll('main h1, main h2, main h3, main a, main button, main label, main th, main td, nav a')]
      .filter((el) => el.getBoundingClientRect().width > 2 && getComputedStyle(el).overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent.trim().slice(0, 40)));
    assert.deepEqual(cut, [], `text cut on ${name} at ${width} px`);
    await keepScreenshot(page, `${name}-${width}`);
  }
}

test('every attendee page fits a phone, a tablet and a laptop', async () => {
  const code = await demoEventCode();
  for (const [width, height] of WIDTHS) {
    const { context, page } = await sized(width, height);
    await walk(page, width, [['landing', '/'], ['invite', `/e/${code}`], ['attendee-login', `/e/${code}/login`]]);
    await logInDemoAttendee(page, code);
    const grace = await page.evaluate(async () => (await (await fetch('/api/attendees?q=Grace')).json()).items[0].id);
    await walk(page, width, [
      ['attendee-home', '/me'], ['attendee-people', '/me/people'], ['attendee-contacts', '/me/connections'],
      ['attendee-agenda', '/me/agenda'], ['attendee-ticket', '/me/ticket'], ['attendee-profile', '/me/profile'],
      ['attendee-invite', `/e/${code}`],
    ]);
    // Grace's page: her profile, the free times we both have (buttons in a grid), the form.
    await open(page, `/me/people/${grace}`);
    await page.getByTestId('free-slot').first().waitFor();
    assert.deepEqual(await overflowing(page), [], `Grace's page with its free times at ${width} px`);
    await keepScreenshot(page, `attendee-person-${width}`);
    assert.deepEqual(context.browserErrors, []);
    await context.close();
  }
});

test("every section of the organiser's workspace fits a phone, a tablet and a laptop", async () => {
  for (const [width, height] of WIDTHS) {
    const { context, page } = await sized(width, height);
    await logInDemoOrganiser(page);
    const workspace = await page.locator('.event-card', { hasText: 'NetEvent Demo Day' }).getByRole('link', { name: 'NetEvent Demo Day' }).getAttribute('href');
    assert.match(workspace, /^\/dashboard\/events\/\d+$/);
    await walk(page, width, [
      ['organiser-dashboard', '/dashboard'], ['organiser-overview', workspace],
      ...['attendees', 'checkin', 'badges', 'staff', 'settings'].map((section) => [`organiser-${section}`, `${workspace}/${section}`]),
    ]);
    assert.deepEqual(context.browserErrors, []);
    await context.close();
  }
});
