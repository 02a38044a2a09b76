import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient, SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions, SetupFlowStatus } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

/** Calls made from inside callbacks and subscribers: they run after the current step, in the order made. */

const HOUR = 60 * 60_000
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

describe('start() and cancel() from callbacks', () => {
  it('start() from one onStatusChange and cancel() from a later one leave the flow cancelled, not pending', async () => {
    const statuses: SetupFlowStatus[] = []
    let restarted = false
    const flow: SetupFlow = makeFlow({
      onStatusChange: status => {
        statuses.push(status)
        if (status === 'completed' && !restarted) {
          restarted = true
          flow.start()
        } else if (restarted && status === 'creating') {
          flow.cancel()
        }
      },
      onConnected: () => flow.start(),
    })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    backend.complete()
    await vi.advanceTimersByTimeAsync(5000)
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(flow.getState().status).not.toBe('pending')
    expect(vi.getTimerCount()).toBe(0)
    expect(openPopups()).toHaveLength(0)
  })

  it('start() then cancel() from inside one onStatusChange: the cancel, made last, wins for good', async () => {
    let startedAgain = false
    const flow: SetupFlow = makeFlow({
      onStatusChange: status => {
        if (status === 'cancelled' && !startedAgain) {
          startedAgain = true
          flow.start()
          flow.cancel()
        }
      },
    })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    flow.cancel()
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('cancelled')
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(flow.getState().status).toBe('cancelled')
    expect(backend.count('createSetupSession')).toBe(1)
    expect(openPopups()).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
