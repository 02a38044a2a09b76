import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient, SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

/** The popup: every window the flow opens is one its state accounts for, and closes when the flow ends. */

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

function makeFlow(options: Partial<SetupFlowOptions> = {}) {
  return new SetupFlow({
    backend,
    providerId: 'slack',
    environment: browser.environment,
    client: createConnectClient({ environment: { openChannel: () => null } }),
    ...options,
  })
}

const openPopups = () => browser.popups.filter(popup => !popup.closed)

describe('popups after an error', () => {
  it('cancel() closes the popup of a session whose reads answered 404, and a restart leaves only its own popup open', async () => {
    const flow = makeFlow()
    backend.failNext('getSetupSession', { status: 404 }, 1000)
    flow.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'http', status: 404 } })
    await vi.advanceTimersByTimeAsync(60_000)
    flow.cancel()
    expect(openPopups()).toHaveLength(0)
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(openPopups()).toHaveLength(1)
    flow.cancel()
    expect(openPopups()).toHaveLength(0)
  })
})
