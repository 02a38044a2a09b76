import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient, SetupFlow } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

/** Subscribers: the flow works while someone listens, and nothing of it stays alive once the last one leaves. */

let browser: ReturnType<typeof createFakeBrowser>
let backend: MockBackend

beforeEach(() => {
  vi.useFakeTimers()
  browser = createFakeBrowser()
  backend = createMockBackend()
})
afterEach(() => {
  vi.useRealTimers()
})

function makeFlow() {
  return new SetupFlow({
    backend,
    providerId: 'slack',
    environment: browser.environment,
    client: createConnectClient({ environment: { openChannel: () => null } }),
  })
}

describe('after the last subscriber leaves', () => {
  it('check() does not revive the flow: no request, no timer', async () => {
    const flow = makeFlow()
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    await vi.advanceTimersByTimeAsync(10)
    unsubscribe()
    const reads = backend.count('getSetupSession')
    flow.check()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a new subscriber picks the session up again and sees it complete', async () => {
    const flow = makeFlow()
    let unsubscribe = flow.subscribe(() => {})
    flow.start()
    await vi.advanceTimersByTimeAsync(10)
    unsubscribe()
    flow.check()
    const authConfigId = backend.complete()
    unsubscribe = flow.subscribe(() => {})
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    unsubscribe()
  })
})
