import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    // A file's time is mostly its set-up (jsdom, imports, PGlite starting), not CPU: three workers on
    // two cores finish the suite in about two thirds of the time two take (156 → 103 s measured).
    maxWorkers: 3,
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
    // PGlite (Postgres in WASM) starts in a few seconds on a busy 2-core machine: no test's
    // assertion is about time, so a slow start must not fail one.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    unstubGlobals: true,
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
})
