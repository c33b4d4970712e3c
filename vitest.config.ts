import { defineConfig } from 'vitest/config';

// Three projects: "unit" needs nothing installed; "e2e" needs Chromium and nginx; "docker" starts a
// private dockerd (root, docker.io) and registries.
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          // Many "unit" tests run the real CLI as a child process; a slow machine must not fail them.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.docker.test.ts', 'test/**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/**/*.docker.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // One daemon, shared: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
