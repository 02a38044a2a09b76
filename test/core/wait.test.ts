import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHttpBackend, waitForSetupSession } from '../../src/core/index.js'
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

  it.each([0, 0.2, 0.25, 0.5, 0.8, 0.85, 0.99])('rejects as expired at expiresAt even when the backend keeps saying pending (unlike Metorial\'s own helper), whatever the poll jitter (Math.random() = %s)', async random => {
    // A pending answer read between expiresAt and its margin keeps the end. It once looked like a
    // server clock behind ours, and the wait went on to the 30-minute limit (jitter 0.2 and 0.8 read there).
    vi.spyOn(Math, 'random').mockReturnValue(random)
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

describe('waitForSetupSession and answers it must not trust', () => {
  const session = { id: 'ss_mine', status: 'pending', url: 'https://consent.example.com/x', expiresAt: null } as SetupSession
  const answering = (answer: SetupSession, onRead = () => {}): ConnectBackend => ({
    createSetupSession: async () => answer,
    getSetupSession: async () => {
      onRead()
      return answer
    },
    listConnections: async () => [],
    removeConnection: async () => {},
  })

  it.each([
    ['pollInterval: 0', { pollInterval: 0 }],
    ['maxPollInterval: 0', { maxPollInterval: 0 }],
    ['timeout: NaN', { timeout: Number.NaN }],
    ['timeout: -1', { timeout: -1 }],
    ['maxRetries: Infinity', { maxRetries: Number.POSITIVE_INFINITY }],
  ])('rejects %s with invalid_options before reading', async (_, bad) => {
    let reads = 0
    const wait = waitForSetupSession({ backend: answering(session, () => reads++), session: 'ss_mine', ...bad })
    await expect(wait).rejects.toMatchObject({ name: 'ConnectError', code: 'invalid_options' })
    expect(reads).toBe(0)
  })

  it('rejects an answer for another session id with invalid_response', async () => {
    const theirs = { ...session, id: 'ss_theirs', status: 'completed', authConfig: { id: 'ac_theirs' } } as SetupSession
    const wait = waitForSetupSession({ backend: answering(theirs), session: 'ss_mine' })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'invalid_response' })
    await vi.advanceTimersByTimeAsync(1000)
    await assertion
  })

  it('does not give up at once with a 30-day timeout (timer overflow)', async () => {
    let reads = 0
    const controller = new AbortController()
    const wait = waitForSetupSession({ backend: answering(session, () => reads++), session: 'ss_mine', timeout: 30 * 24 * 3600_000, signal: controller.signal })
    let settled = false
    wait.then(() => (settled = true), () => (settled = true))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(settled).toBe(false)
    expect(reads).toBeLessThan(60)
    controller.abort()
    await expect(wait).rejects.toMatchObject({ code: 'aborted' })
  })
})

describe('waitForSetupSession with a backend that never answers', () => {
  const session = { id: 'ss_mine', status: 'pending', url: 'https://consent.example.com/x', expiresAt: null } as SetupSession
  const hanging = (): ConnectBackend & { reads: number } => {
    const backend = {
      reads: 0,
      createSetupSession: async () => session,
      getSetupSession: () => {
        backend.reads++
        return new Promise<SetupSession>(() => {})
      },
      listConnections: async () => [],
      removeConnection: async () => {},
    }
    return backend
  }

  it('rejects with aborted as soon as the signal aborts, while a read is still out', async () => {
    const controller = new AbortController()
    const wait = waitForSetupSession({ backend: hanging(), session: 'ss_mine', signal: controller.signal })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'aborted' })
    await vi.advanceTimersByTimeAsync(10)
    controller.abort()
    await assertion
  })

  it('gives up a read after requestTimeout, retries it, and settles by its timeout', async () => {
    const backend = hanging()
    const wait = waitForSetupSession({ backend, session: 'ss_mine', requestTimeout: 1000, timeout: 20_000, maxRetries: 100 })
    const assertion = expect(wait).rejects.toMatchObject({ name: 'ConnectError' })
    await vi.advanceTimersByTimeAsync(60_000)
    await assertion
    expect(backend.reads).toBeGreaterThan(1)
  })
})

describe('waitForSetupSession and answers that are no session', () => {
  const MINUTE = 60_000
  /** A backend behind HTTP that always answers `response()`, counting the reads. */
  function answering(response: () => Response) {
    let reads = 0
    const backend = createHttpBackend({
      endpoint: 'https://app.example.com/api/connect',
      fetch: async () => (reads++, response()),
    })
    return { backend, get reads() { return reads } }
  }

  it.each([
    ['a 404', () => new Response('{"message":"no such route"}', { status: 404 }), 'http'],
    ['an HTML page', () => new Response('<!doctype html><p>Sign in</p>', { status: 200, headers: { 'content-type': 'text/html' } }), 'invalid_response'],
    ['invalid JSON', () => new Response('{"id":', { status: 200 }), 'invalid_response'],
    ['an empty body', () => new Response('', { status: 200 }), 'invalid_response'],
  ] as const)('retries %s like a network failure, a bounded number of times, then rejects with %s', async (_, response, code) => {
    const server = answering(response)
    const wait = waitForSetupSession({ backend: server.backend, session: 'pas_1' })
    const assertion = expect(wait).rejects.toMatchObject({ code })
    await vi.advanceTimersByTimeAsync(2 * MINUTE)
    await assertion
    expect(server.reads).toBe(6)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('with neither expiresAt nor timeout, gives up at its own 30-minute limit with timeout: the session did not expire', async () => {
    const { mock, session } = await created(createMockBackend({ lifetimeMs: 24 * 60 * MINUTE }))
    const wait = waitForSetupSession({ backend: { ...mock, getSetupSession: async (id, options) => ({ ...(await mock.getSetupSession(id, options)), expiresAt: null }) }, session: session.id })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'timeout' })
    await vi.advanceTimersByTimeAsync(31 * MINUTE)
    await assertion
  })
})
