import { defineConfig } from 'vitest/config';

// Unit (*.test.ts) and integration (*.int.test.ts) tests of every package run in one vitest
// invocation; the web app brings its own project for the Vue plugin and a DOM.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/*/src/**/*.test.ts', 'apps/cli/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'examples/**/*.test.ts', 'bench/*.test.ts'],
        },
      },
      'apps/web',
    ],
  },
});
