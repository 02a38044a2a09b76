import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

/** What Stryker runs for each mutant of the flow engine's rules (`npm run mutation`). */
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    // The reducer's own tests, by rule family: pure, so each mutant costs a few quick files. The
    // flow-level tests kill more, but rerunning a dozen jsdom files per mutant does not fit 2 shared
    // cores (about 1,000 mutants).
    include: ['test/core/reducer.test.ts', 'test/core/rules-start.test.ts', 'test/core/rules-follow.test.ts', 'test/core/rules-end.test.ts', 'test/core/draft.test.ts'],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // Instrumented code runs several times slower: the long fake-time tests (a day of polling) need room.
    testTimeout: 30_000,
  },
})
