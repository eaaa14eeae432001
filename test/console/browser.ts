/** Real-browser support for the console tests: the app on an ephemeral port and Debian's Chromium via playwright-core. */
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestContext } from '../support/harness';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../screenshots');

export async function listen(ctx: TestContext): Promise<{ server: Server; origin: string }> {
  const server = ctx.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile at the console's target screen size. */
export function officeScreen(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every leaf of a request body as [field path, value]; arrays are leaves. */
export function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, value]];
}

/**
 * Types an API request body into the console form, control by control (each control is named by
 * its API field path). Fails when the form has no control for a field of the body.
 */
export async function fillForm(page: Page, formSelector: string, body: unknown): Promise<void> {
  for (const [fieldPath, value] of leaves(body)) {
    const control = page.locator(`${formSelector} [name="${fieldPath}"]`);
    if ((await control.count()) !== 1) throw new Error(`the form has no control for ${fieldPath}`);
    const kind = await control.evaluate((el) => {
      const node = el as unknown as { tagName: string; type?: string };
      return node.tagName === 'SELECT' ? 'select' : node.tagName === 'TEXTAREA' ? 'text' : (node.type ?? 'text');
    });
    if (kind === 'checkbox') {
      await control.setChecked(Boolean(value));
    } else if (kind === 'select') {
      await control.selectOption(String(value));
    } else if (kind === 'datetime-local') {
      // The form takes the office's wall-clock time; the API value carries the office's offset.
      const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::00)?\+07:00$/.exec(String(value));
      if (!match) throw new Error(`${fieldPath}: expected a +07:00 time, got ${String(value)}`);
      await control.fill(match[1]!);
    } else {
      await control.fill(Array.isArray(value) ? value.join(', ') : String(value));
    }
  }
}
