// @vitest-environment node
import { expect, it } from 'vitest'

it('imports on a server without touching window or document', async () => {
  expect(typeof globalThis.window).toBe('undefined')
  const callback = await import('../../src/callback/index.js')
  expect(typeof callback.completeSetupSession).toBe('function')
})
