import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient, createHttpBackend, SetupFlow } from '../../src/core/index.js'
import type { ConnectBackend, SetupFlowOptions, SetupFlowStatus, SetupSession } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

/**
 * One test per defect class of the rebuilt engine (issue 9), through the public core API. Each
 * failed against the engine before the rebuild.
 */

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
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

const settle = () => vi.advanceTimersByTimeAsync(0)

function makeFlow(options: Partial<SetupFlowOptions> = {}) {
  const onConnected = vi.fn()
  const onError = vi.fn()
  const statuses: SetupFlowStatus[] = []
  const flow = new SetupFlow({
    backend,
    providerId: 'slack',
    environment: browser.environment,
    client: createConnectClient({ environment: { openChannel: () => null } }),
    onConnected,
    onError,
    onStatusChange: status => statuses.push(status),
    ...options,
  })
  return { flow, onConnected, onError, statuses }
}

const never = <T,>() => new Promise<T>(() => {})

describe('a request that never answers', () => {
  it('a create that never answers ends in error after requestTimeout, and the placeholder popup closes', async () => {
    const { flow, onError } = makeFlow({ backend: { ...backend, createSetupSession: () => never() }, requestTimeout: 5000 })
    flow.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'network' } })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(browser.popup?.closed).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('`timeout` ends a flow stuck in creating, whatever the create is doing', async () => {
    const { flow } = makeFlow({ backend: { ...backend, createSetupSession: () => never() }, timeout: 3000, requestTimeout: 60_000 })
    flow.start()
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    expect(browser.popup?.closed).toBe(true)
  })

  it('a read that never answers does not block later checks: the next one sees the completion', async () => {
    let hang = true
    const reads = vi.fn()
    const { flow, onConnected } = makeFlow({
      backend: { ...backend, getSetupSession: (id, options) => (reads(), hang ? never() : backend.getSetupSession(id, options)) },
      requestTimeout: 4000,
    })
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(2000)
    expect(reads).toHaveBeenCalledTimes(1)
    hang = false
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(8000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.anything())
  })

  it('the timeout fires while a read hangs, within a bounded last look', async () => {
    const { flow } = makeFlow({ backend: { ...backend, getSetupSession: () => never() }, timeout: 20_000, requestTimeout: 10 * MINUTE })
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(20_000 + 5000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'timeout' } })
  })
})

describe('clock skew', () => {
  /** A backend behind HTTP whose clock is `skew` ms off ours; it sends no createdAt, only Date. */
  function skewedHttp(skew: number, lifetime: number) {
    const created = Date.now() + skew
    let status = 'pending'
    const body = () => ({ id: 'pas_1', status, url: 'https://consent.example.com/1', expiresAt: new Date(created + lifetime).toISOString(), authConfig: status === 'completed' ? { id: 'ac_1' } : null })
    const fetch = async () => new Response(JSON.stringify(body()), { headers: { 'content-type': 'application/json', date: new Date(Date.now() + skew).toUTCString() } })
    return { backend: createHttpBackend({ endpoint: 'https://app.example.com/api/connect', fetch }), complete: () => (status = 'completed') }
  }

  it('a server clock an hour behind does not expire the session early; a late completion still connects', async () => {
    const server = skewedHttp(-60 * MINUTE, 10 * MINUTE)
    const { flow, onConnected } = makeFlow({ backend: server.backend })
    flow.start()
    await vi.advanceTimersByTimeAsync(5 * MINUTE)
    expect(flow.getState().status).toBe('pending')
    server.complete()
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledWith('ac_1', expect.anything())
  })

  it('a server clock an hour ahead still expires the session at its real end, not an hour late', async () => {
    const server = skewedHttp(60 * MINUTE, 10 * MINUTE)
    const { flow } = makeFlow({ backend: server.backend })
    flow.start()
    await vi.advanceTimersByTimeAsync(10 * MINUTE + 10_000)
    expect(flow.getState().status).toBe('expired')
  })
})

describe('timers past the platform maximum', () => {
  it('a 40-day expiresAt does not fire at once, and polls stay slow', async () => {
    const reads = vi.fn()
    const forty: SetupSession = { id: 'pas_long', status: 'pending', url: 'https://consent.example.com/l', createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 40 * DAY).toISOString() }
    const { flow } = makeFlow({ backend: { ...backend, createSetupSession: async () => forty, getSetupSession: async () => (reads(), forty) } })
    flow.start()
    await vi.advanceTimersByTimeAsync(DAY)
    expect(flow.getState().status).toBe('pending')
    expect(reads.mock.calls.length).toBeLessThan(DAY / 30_000 + 40)
    flow.cancel()
  })
})

describe('restarts', () => {
  async function falselyClosed(flow: SetupFlow) {
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    return backend.lastSession()!
  }

  it('watches every earlier session, not only the last: the first one completing still connects', async () => {
    const { flow, onConnected } = makeFlow({ watchInterval: 15_000 })
    const first = await falselyClosed(flow)
    await falselyClosed(flow)
    flow.start()
    await settle()
    const authConfigId = backend.complete(first.id)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.anything())
  })

  it('cancel() after a timeout is final, even when the component remounts', async () => {
    const { flow, onConnected } = makeFlow({ timeout: 10_000, watchInterval: 15_000 })
    let unsubscribe = flow.subscribe(() => {})
    flow.start()
    await vi.advanceTimersByTimeAsync(16_000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    flow.cancel()
    unsubscribe()
    unsubscribe = flow.subscribe(() => {})
    const reads = backend.count('getSetupSession')
    backend.complete()
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(onConnected).not.toHaveBeenCalled()
    unsubscribe()
  })
})

describe('calls from inside callbacks and subscribers', () => {
  it.each([
    ['cancel() from onStatusChange("pending")', 'cancel', 'pending', 'cancelled'],
    ['reset() from onStatusChange("pending")', 'reset', 'pending', 'idle'],
    ['cancel() from onStatusChange("creating")', 'cancel', 'creating', 'cancelled'],
  ] as const)('%s leaves the flow settled, with nothing scheduled', async (_, method, when, expected) => {
    let flow: SetupFlow | null = null
    const made = makeFlow({ onStatusChange: status => status === when && flow?.[method]() })
    flow = made.flow
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(flow.getState().status).toBe(expected)
    expect(vi.getTimerCount()).toBe(0)
    expect(backend.count('getSetupSession')).toBe(0)
  })

  it('start() from onEvent after an error starts exactly one new session', async () => {
    let flow: SetupFlow | null = null
    let restarted = false
    const made = makeFlow({
      maxRetries: 0,
      onEvent: event => {
        if (event.type === 'status_changed' && event.status === 'error' && !restarted) {
          restarted = true
          flow?.start()
        }
      },
    })
    flow = made.flow
    backend.failNext('getSetupSession', { status: 500 }, 1)
    flow.start()
    await vi.advanceTimersByTimeAsync(2000)
    expect(backend.count('createSetupSession')).toBe(2)
    expect(flow.getState().status).toBe('pending')
    flow.cancel()
  })

  it('a subscriber that resets on completion, and one that throws, leave the flow idle and the others told', async () => {
    const { flow, onConnected } = makeFlow()
    const seen: string[] = []
    const errors: unknown[] = []
    const onUnhandled = (error: unknown) => errors.push(error)
    process.on('uncaughtException', onUnhandled)
    flow.subscribe(() => {
      throw new Error('subscriber bug')
    })
    flow.subscribe(() => {
      if (flow.getState().status === 'completed') flow.reset()
    })
    flow.subscribe(() => seen.push(flow.getState().status))
    flow.start()
    await settle()
    backend.complete()
    await vi.advanceTimersByTimeAsync(5000)
    process.off('uncaughtException', onUnhandled)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(seen).toContain('completed')
    expect(flow.getState().status).toBe('idle')
  })
})

describe('clients', () => {
  function completedTwice(clientA: ReturnType<typeof createConnectClient>, clientB: ReturnType<typeof createConnectClient>) {
    const session: SetupSession = { id: 'pas_same', status: 'completed', url: 'https://consent.example.com/s', authConfig: { id: 'ac_same' } }
    const reused: ConnectBackend = { ...backend, createSetupSession: async () => ({ ...session, status: 'pending' }), getSetupSession: async () => session }
    const a = makeFlow({ backend: reused, client: clientA })
    const b = makeFlow({ backend: reused, client: clientB })
    return { a, b }
  }

  it('two clients never see each other’s completions', async () => {
    const { a, b } = completedTwice(createConnectClient(), createConnectClient())
    a.flow.start()
    b.flow.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(a.onConnected).toHaveBeenCalledTimes(1)
    expect(b.onConnected).toHaveBeenCalledTimes(1)
  })

  it('a completion removed anywhere on the client resets a completed flow to idle', async () => {
    const client = createConnectClient({ environment: { openChannel: () => null } })
    const { flow } = makeFlow({ client })
    flow.subscribe(() => {})
    flow.start()
    await settle()
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState().status).toBe('completed')
    client.notifyConnectionsChanged({ removed: 'ac_other' })
    expect(flow.getState().status).toBe('completed')
    client.notifyConnectionsChanged({ removed: authConfigId })
    expect(flow.getState().status).toBe('idle')
  })
})

describe('load', () => {
  it('a session left pending 30 minutes without focus costs far fewer reads than a fixed 5 s poll', async () => {
    const { flow } = makeFlow()
    flow.start()
    await vi.advanceTimersByTimeAsync(30 * MINUTE - 5000)
    expect(flow.getState().status).toBe('pending')
    expect(backend.count('getSetupSession')).toBeLessThanOrEqual(80)
    flow.cancel()
  })

  it('after the backoff, a callback message still checks at once', async () => {
    const { flow, onConnected } = makeFlow({ redirectUrl: 'https://app.example.com/connect/callback' })
    flow.start()
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    const reads = backend.count('getSetupSession')
    backend.complete()
    flow.check()
    await settle()
    expect(backend.count('getSetupSession')).toBe(reads + 1)
    expect(onConnected).toHaveBeenCalledTimes(1)
  })
})
