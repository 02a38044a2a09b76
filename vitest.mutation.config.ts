import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

/** What Stryker runs for each mutant of the flow engine (`npm run mutation`): the core tests, a short property run. */
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['test/core/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    env: { FC_NUM_RUNS: '60' },
    // Instrumented code runs several times slower: the long fake-time tests (a day of polling) need room.
    testTimeout: 30_000,
  },
})
