import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitForSetupSession } from '../../src/core/index.js'
import type { ConnectBackend, SetupSession } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function created(mock = createMockBackend()) {
  const session = await mock.createSetupSession({ providerId: 'github' }, { signal: new AbortController().signal })
  return { mock, session }
}

describe('waitForSetupSession', () => {
  it('resolves with the completed session', async () => {
    const { mock, session } = await created()
    const wait = waitForSetupSession({ backend: mock, session: session.id })
    await vi.advanceTimersByTimeAsync(2500)
    const authConfigId = mock.complete()
    await vi.advanceTimersByTimeAsync(5000)
    await expect(wait).resolves.toMatchObject({ id: session.id, status: 'completed', authConfig: { id: authConfigId } })
  })

  it.each([
    ['failed', 'session_failed', (mock: ReturnType<typeof createMockBackend>) => mock.fail()],
    ['archived', 'session_archived', (mock: ReturnType<typeof createMockBackend>) => mock.archive()],
    ['expired', 'session_expired', (mock: ReturnType<typeof createMockBackend>) => mock.expire()],
  ] as const)('rejects a %s session with %s', async (_, code, act) => {
    const { mock, session } = await created()
    const wait = waitForSetupSession({ backend: mock, session })
    const assertion = expect(wait).rejects.toMatchObject({ name: 'ConnectError', code })
    act(mock)
    await vi.advanceTimersByTimeAsync(5000)
    await assertion
  })

  it('rejects as expired at expiresAt even when the backend keeps saying pending (unlike Metorial\'s own helper)', async () => {
    const pending: SetupSession = { id: 'pas_1', status: 'pending', url: 'https://x.example/1', expiresAt: new Date(Date.now() + 20_000).toISOString() }
    const backend: ConnectBackend = {
      createSetupSession: async () => pending,
      getSetupSession: async () => pending,
      listConnections: async () => [],
      removeConnection: async () => {},
    }
    const wait = waitForSetupSession({ backend, session: pending })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'session_expired' })
    await vi.advanceTimersByTimeAsync(21_000)
    await assertion
  })

  it('rejects with timeout after the timeout option', async () => {
    const { mock, session } = await created()
    const wait = waitForSetupSession({ backend: mock, session: session.id, timeout: 10_000 })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'timeout' })
    await vi.advanceTimersByTimeAsync(10_000)
    await assertion
  })

  it('rejects with aborted when the signal aborts, and stops polling', async () => {
    const { mock, session } = await created()
    const controller = new AbortController()
    const wait = waitForSetupSession({ backend: mock, session: session.id, signal: controller.signal })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'aborted' })
    await vi.advanceTimersByTimeAsync(1500)
    controller.abort()
    await assertion
    const reads = mock.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(mock.count('getSetupSession')).toBe(reads)
  })

  it('rides out transient failures, honouring Retry-After, and fails after maxRetries', async () => {
    const { mock, session } = await created()
    mock.failNext('getSetupSession', { status: 503, retryAfterMs: 8000 })
    const wait = waitForSetupSession({ backend: mock, session: session.id })
    await vi.advanceTimersByTimeAsync(7999)
    expect(mock.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(mock.count('getSetupSession')).toBe(2)
    mock.complete()
    // The next check comes 1 s ± 20% jitter later.
    await vi.advanceTimersByTimeAsync(1200)
    await expect(wait).resolves.toMatchObject({ status: 'completed' })

    const second = await created()
    second.mock.failNext('getSetupSession', 'network', 3)
    const failing = waitForSetupSession({ backend: second.mock, session: second.session.id, maxRetries: 2 })
    const assertion = expect(failing).rejects.toMatchObject({ code: 'network' })
    await vi.advanceTimersByTimeAsync(10_000)
    await assertion
  })
})
