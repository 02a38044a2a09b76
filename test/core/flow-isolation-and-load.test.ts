import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SetupFlow } from '../../src/core/index.js'
import type { ConnectBackend, SetupSession } from '../../src/core/index.js'
import { createFakeBrowser } from '../fake-environment.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A backend whose only session is `pas_1` (as a fresh test server or a second tenant would hand out). */
function singleSession() {
  let session: SetupSession = { id: 'pas_1', status: 'pending', url: 'https://consent.example.com/1', expiresAt: new Date(Date.now() + 40 * 60_000).toISOString() }
  let reads = 0
  const backend: ConnectBackend = {
    createSetupSession: async () => session,
    getSetupSession: async () => {
      reads++
      return session
    },
    listConnections: async () => [],
    removeConnection: async () => {},
  }
  return {
    backend,
    complete: () => (session = { ...session, status: 'completed', authConfig: { id: 'ac_1' } }),
    get reads() {
      return reads
    },
  }
}

describe('SetupFlow isolation and load', () => {
  it('a session id reused by a later, unrelated flow still reaches that flow\'s onConnected', async () => {
    for (let round = 0; round < 2; round++) {
      const server = singleSession()
      const onConnected = vi.fn()
      const flow = new SetupFlow({ backend: server.backend, providerId: 'slack', environment: createFakeBrowser().environment, onConnected })
      flow.start()
      await vi.advanceTimersByTimeAsync(1_000)
      server.complete()
      await vi.advanceTimersByTimeAsync(60_000)
      expect({ round, calls: onConnected.mock.calls.length }).toEqual({ round, calls: 1 })
      expect(onConnected.mock.calls[0]?.[0]).toBe('ac_1')
      flow.reset()
    }
  })

  it('a session left pending 30 minutes costs at most 80 reads, even with focus every 10 s', async () => {
    const server = singleSession()
    const browser = createFakeBrowser()
    const flow = new SetupFlow({ backend: server.backend, providerId: 'slack', environment: browser.environment })
    flow.start()
    for (let elapsed = 0; elapsed < 30 * 60_000; elapsed += 10_000) {
      await vi.advanceTimersByTimeAsync(10_000)
      browser.wake('focus')
    }
    expect(flow.getState().status).toBe('pending')
    expect(server.reads).toBeLessThanOrEqual(80)
    flow.cancel()
  })
})
