import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

/** `npm run bench`'s fake-clock measurements (request counts), beside the timing benchmarks. */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['bench/**/*.report.{ts,tsx}'] },
})
