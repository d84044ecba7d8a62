/**
 * Debian's Chromium (/usr/bin/chromium) driven headless by playwright-core, for the browser tests
 * (the dashboard, CORS): never a browser download. Each page is guarded: every request it makes is
 * recorded and anything not bound for the emulator is aborted and reported, and console errors,
 * warnings and page errors are collected so that a test can assert there were none.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './cli-process.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CI = !!process.env.CI && process.env.CI !== 'false';

export function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The flags this machine's notes list as known to work (no background networking at all). */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Playwright's launch() gives each browser a fresh, temporary --user-data-dir. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraArgs] });
}

/** Screenshots of the main views, for people to look at (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'test-output', 'dashboard');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface GuardedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested. */
  requested: string[];
  /** Requests to anywhere but `origin` (aborted). */
  offOrigin: string[];
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  close(): Promise<void>;
}

export async function guardedPage(browser: Browser, origin: string): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const requested: string[] = [];
  const offOrigin: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    // data: and blob: URLs stay in the page; anything else must be the emulator.
    if (url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  // A step that cannot happen fails with its own message, well before the test's time limit.
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, requested, offOrigin, problems, close: () => context.close() };
}
