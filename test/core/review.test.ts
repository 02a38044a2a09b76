import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SetupFlow } from '../../src/core/index.js'
import type { ConnectBackend, SetupFlowOptions } from '../../src/core/index.js'
import { createTab, MemoryStorage } from '../callback-harness.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

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
  const onConnected = vi.fn()
  const onError = vi.fn()
  const flow = new SetupFlow({
    backend,
    providerId: 'slack',
    providerName: 'Slack',
    environment: browser.environment,
    onConnected,
    onError,
    ...options,
  })
  return { flow, onConnected, onError }
}

const settle = () => vi.advanceTimersByTimeAsync(0)

describe('review: a closed popup with a timeout configured', () => {
  it('keeps the slow checks going past the timeout, so a late success still counts', async () => {
    const { flow, onConnected } = makeFlow({ timeout: 60_000, watchInterval: 15_000 })
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    // The timeout passes while the flow watches for a late success (COOP made `closed` read true).
    await vi.advanceTimersByTimeAsync(60_000)
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledTimes(1)
  })
})

describe('review: providerId changes while a session is followed', () => {
  it('does not hand the old provider\'s connection to the new provider\'s callbacks', async () => {
    const slackConnected = vi.fn()
    const githubConnected = vi.fn()
    const { flow } = makeFlow({ onConnected: slackConnected })
    flow.start()
    await settle()
    expect(flow.getState().status).toBe('pending')
    flow.setOptions({ backend, providerId: 'github', environment: browser.environment, onConnected: githubConnected })
    expect(flow.getState()).toMatchObject({ status: 'idle', providerId: 'github' })
    backend.complete()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(githubConnected).not.toHaveBeenCalled()
    // The next attempt is the new provider's, in its state too.
    flow.start()
    expect(flow.getState().providerId).toBe('github')
  })

  it('stops the slow checks of the previous provider\'s cancelled session', async () => {
    const { flow } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    flow.setOptions({ backend, providerId: 'github', environment: browser.environment })
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
  })
})

describe('review: the last subscriber leaves while the session is being created', () => {
  it('closes the placeholder popup and can start again, instead of staying "creating" forever', async () => {
    backend.setLatency(500)
    const { flow } = makeFlow()
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    const placeholder = browser.popup!
    unsubscribe()
    await vi.advanceTimersByTimeAsync(1000)
    expect(placeholder.closed).toBe(true)
    flow.subscribe(() => {})
    expect(flow.getState().status).toBe('idle')
    flow.start()
    expect(flow.getState().status).toBe('creating')
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('pending')
  })
})

describe('review: Retry-After', () => {
  it('is honoured by a check that a focus or message asks for, too', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.failNext('getSetupSession', { status: 429, retryAfterMs: 20_000 })
    await vi.advanceTimersByTimeAsync(1000)
    expect(backend.count('getSetupSession')).toBe(1)
    browser.wake('focus')
    await settle()
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(19_999)
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(backend.count('getSetupSession')).toBe(2)
  })
})

describe('review: a resumed redirect session', () => {
  it('stops at the session\'s expiresAt, not 30 minutes after the return, when the backend never says expired', async () => {
    const session = {
      id: 'pas_resumed',
      status: 'pending' as const,
      url: 'https://consent.example.com/pas_resumed',
      createdAt: new Date(Date.now()).toISOString(),
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    }
    const stubborn: ConnectBackend = {
      createSetupSession: async () => session,
      getSetupSession: async () => session,
      listConnections: async () => [],
      removeConnection: async () => {},
    }
    const sessionStorage = new MemoryStorage()
    const before = new SetupFlow({ backend: stubborn, providerId: 'slack', mode: 'redirect', environment: createTab({ sessionStorage }).environment })
    before.start()
    await settle()
    // The user spends two minutes on the consent page, then comes back without finishing.
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    const onError = vi.fn()
    const after = new SetupFlow({ backend: stubborn, providerId: 'slack', mode: 'redirect', environment: createTab({ sessionStorage }).environment, onError })
    after.subscribe(() => {})
    expect(after.resume()).toBe(true)
    await settle()
    await vi.advanceTimersByTimeAsync(8 * 60_000 + 1000)
    expect(after.getState().status).toBe('expired')
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'session_expired' }))
  })
})
