import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

/** What Stryker runs for each mutant of the flow engine's rules (`npm run mutation`). */
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    // The tests of the reducer's rules, the fast ones: a mutant reruns every file that covers it.
    include: [
      'test/core/reducer.test.ts',
      'test/core/{click,polling,read-failures,deadlines,popup,watch,cancel-and-reset,reentrancy,wait}.test.ts',
      'test/core/{redirect,subscribers-and-callbacks}.test.tsx',
    ],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // Instrumented code runs several times slower: the long fake-time tests (a day of polling) need room.
    testTimeout: 30_000,
  },
})
