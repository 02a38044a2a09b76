// @vitest-environment node
import { expect, it } from 'vitest'

it('imports on a server without touching window or document', async () => {
  expect(typeof globalThis.window).toBe('undefined')
  const callback = await import('../../src/callback/index.js')
  expect(typeof callback.completeSetupSession).toBe('function')
})

it('called on a server (a top-level call in a prerendered page), rejects with an error that says where it belongs', async () => {
  const { completeSetupSession } = await import('../../src/callback/index.js')
  await expect(completeSetupSession()).rejects.toThrow(/runs in the browser: call it in useEffect/)
})
