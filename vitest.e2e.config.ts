import { defineConfig } from 'vitest/config'

/** Browser end-to-end tests: Chromium (playwright-core) against the playground and the built Storybook. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    globalSetup: ['e2e/support/global-setup.ts'],
    reporters: ['default', './e2e/support/report-reporter.ts'],
  },
})
