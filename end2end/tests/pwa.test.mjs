import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BASE_URL, serviceWorkerReady } from './helpers.mjs';

test('Chromium finds the app installable, and it opens again with the network cut', async () => {
  // A real profile: Chromium never offers installation in an incognito-like context.
  const profile = await mkdtemp(path.join(os.tmpdir(), 'netevent-pwa-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync',
      '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await context.newPage();
    await page.goto(`${BASE_URL}/`);
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
    await serviceWorkerReady(page);

    const cdp = await context.newCDPSession(page);
    const { errors } = await cdp.send('Page.getAppManifest');
    assert.deepEqual(errors, [], 'the manifest parses');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'no installability errors');

    // Once the worker controls the page, the page and the shell (wasm included) are kept.
    await page.reload();
    await page.waitForSelector('body[data-hydrated="true"]');
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
    await page.getByRole('link', { name: 'NetEvent' }).first().waitFor();
    await context.setOffline(false);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
