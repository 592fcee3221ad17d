import { test as base, expect } from '@playwright/test';

/**
 * Every page must run without console errors or uncaught exceptions: a CSP violation, a missing
 * favicon or a Vue warning turned error would otherwise pass unnoticed.
 */
export const test = base.extend<{ failOnConsoleErrors: undefined }>({
  failOnConsoleErrors: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
      await use(undefined);
      expect(problems, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
