import { test as base, expect } from '@playwright/test';

/**
 * Every page must run without console errors or uncaught exceptions: a CSP violation, a missing
 * favicon or a Vue warning turned error would otherwise pass unnoticed.
 */
/**
 * Chromium logs every non-2xx fetch as a console error, but some API answers are part of normal
 * use: 404 for a flow not saved yet, 409 for a save conflict, 422 for publishing an invalid flow.
 */
function isExpectedApiAnswer(text: string, url: string): boolean {
  return /\/api\//.test(url) && /status of (404|409|422)\b/.test(text);
}

export const test = base.extend<{ failOnConsoleErrors: undefined; allowedConsoleErrors: RegExp[] }>({
  /** Console errors a journey expects, e.g. a hostile page's refused requests. */
  allowedConsoleErrors: [[], { option: true }],
  // Each API call on its own connection: a kept-alive socket that the server closes while idle
  // would otherwise fail the next call with ECONNRESET on a slow machine.
  request: async ({ playwright, baseURL }, use) => {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { connection: 'close' } });
    await use(context);
    await context.dispose();
  },
  failOnConsoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error' || isExpectedApiAnswer(message.text(), message.location().url)) return;
        if (allowedConsoleErrors.some((pattern) => pattern.test(message.text()))) return;
        problems.push(`console.error: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
      await use(undefined);
      expect(problems, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
