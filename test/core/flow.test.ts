import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectError, SetupFlow } from '../../src/core/index.js'
import type { ConnectBackend, SetupFlowEvent, SetupFlowOptions, SetupSession } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'
import { createTab, MemoryStorage } from '../callback-harness.js'

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
  const onStatusChange = vi.fn()
  const events: SetupFlowEvent[] = []
  const flow = new SetupFlow({
    backend,
    providerId: 'slack',
    providerName: 'Slack',
    environment: browser.environment,
    onConnected,
    onError,
    onStatusChange,
    onEvent: event => events.push(event),
    ...options,
  })
  const statuses = () => onStatusChange.mock.calls.map(([status]) => status as string)
  return { flow, onConnected, onError, onStatusChange, events, statuses }
}

/** A backend that answers `session` to every create and read, whatever else happens. */
function alwaysAnswering(session: SetupSession): ConnectBackend {
  return {
    createSetupSession: async () => session,
    getSetupSession: async () => session,
    listConnections: async () => [],
    removeConnection: async () => {},
  }
}

/** Lets the create call (and anything else queued) settle. */
const settle = () => vi.advanceTimersByTimeAsync(0)

describe('given a click on connect', () => {
  it('opens the popup synchronously, before the session exists, then sends it to the consent page', async () => {
    const { flow } = makeFlow()
    flow.start()
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
    expect(browser.openWindow.mock.calls[0]?.[0]).toBe('about:blank')
    expect(browser.openWindow.mock.calls[0]?.[2]).toContain('popup=yes')
    expect(flow.getState()).toMatchObject({ status: 'creating', session: null })

    await settle()
    const session = backend.lastSession()
    expect(flow.getState().status).toBe('pending')
    expect(flow.getState().session?.id).toBe(session?.id)
    expect(browser.popup?.url).toBe(session?.url)
  })

  it('creates the session with the oauth method by default and the options given', async () => {
    const { flow } = makeFlow({ providerDeploymentId: 'pde_1', metadata: { team: 'a' } })
    flow.start()
    await settle()
    expect(backend.calls[0]).toEqual({
      operation: 'createSetupSession',
      argument: { providerId: 'slack', providerAuthMethodId: 'oauth', providerDeploymentId: 'pde_1', metadata: { team: 'a' } },
    })
  })

  it('binds redirectUrl to this attempt with a connect_state parameter, keeping the query and hash', async () => {
    const { flow } = makeFlow({ redirectUrl: '/oauth/done?tab=apps#top' })
    flow.start()
    await settle()
    const input = backend.calls[0]?.argument as { redirectUrl: string }
    const url = new URL(input.redirectUrl)
    expect(url.origin + url.pathname).toBe('https://app.example.com/oauth/done')
    expect(url.searchParams.get('tab')).toBe('apps')
    expect(url.searchParams.get('connect_state')).toMatch(/^[0-9a-f]{32}$/)
    expect(url.hash).toBe('#top')
  })

  it('focuses the open popup instead of creating a second session on a second click', async () => {
    const { flow, events } = makeFlow()
    flow.start()
    flow.start()
    await settle()
    flow.start()
    expect(backend.count('createSetupSession')).toBe(1)
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
    expect(browser.popup?.focus).toHaveBeenCalledTimes(1)
    expect(events.some(event => event.type === 'popup_focused')).toBe(true)
  })
})

describe('given a pending session', () => {
  it('polls fast at first and backs off to the maximum interval', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    const reads = () => backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(999)
    expect(reads()).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(reads()).toBe(1)
    await vi.advanceTimersByTimeAsync(1500)
    expect(reads()).toBe(2)
    await vi.advanceTimersByTimeAsync(2250)
    expect(reads()).toBe(3)
    await vi.advanceTimersByTimeAsync(3375)
    expect(reads()).toBe(4)
    await vi.advanceTimersByTimeAsync(5000)
    expect(reads()).toBe(5)
    await vi.advanceTimersByTimeAsync(5000)
    expect(reads()).toBe(6)
  })

  it('spreads polls with jitter so many tabs do not poll in step', async () => {
    const timesFor = async (random: number) => {
      const local = createMockBackend()
      const flow = new SetupFlow({ backend: local, providerId: 'slack', environment: { ...browser.environment, random: () => random } })
      flow.start()
      await settle()
      const start = Date.now()
      while (local.count('getSetupSession') === 0) await vi.advanceTimersByTimeAsync(10)
      flow.cancel()
      return Date.now() - start
    }
    expect(await timesFor(0)).toBe(800)
    expect(await timesFor(0.999)).toBe(1200)
  })

  it('does not poll while the tab is hidden, and checks at once when it is visible again', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    browser.state.hidden = true
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(0)
    browser.state.hidden = false
    browser.wake('visible')
    await settle()
    expect(backend.count('getSetupSession')).toBe(1)
  })

  it('checks at once when the page regains focus', async () => {
    const { flow, onConnected } = makeFlow()
    flow.start()
    await settle()
    backend.complete()
    browser.wake('focus')
    await settle()
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('reports completed once, with the auth config id, however many checks see it', async () => {
    const { flow, onConnected } = makeFlow()
    flow.start()
    await settle()
    const authConfigId = backend.complete()
    browser.wake('focus')
    browser.wake('visible')
    flow.check()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ id: backend.lastSession()?.id, status: 'completed' }))
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId, error: null })
    expect(browser.popup?.close).toHaveBeenCalled()
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(backend.count('getSetupSession')).toBe(reads)
  })

  it.each([
    ['failed', 'session_failed', (mock: MockBackend) => mock.fail(undefined, 'The user denied access.')],
    ['expired', 'session_expired', (mock: MockBackend) => mock.expire()],
    ['archived', 'session_archived', (mock: MockBackend) => mock.archive()],
  ] as const)('ends %s with a %s error and closes the popup', async (status, code, act) => {
    const { flow, onError, onConnected } = makeFlow()
    flow.start()
    await settle()
    act(backend)
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe(status)
    expect(flow.getState().error?.code).toBe(code)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }))
    expect(onConnected).not.toHaveBeenCalled()
    expect(browser.popup?.close).toHaveBeenCalled()
  })

  it('shows the provider\'s own failure message', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.fail(undefined, 'Slack workspace admin approval required.')
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().error?.message).toBe('Slack workspace admin approval required.')
  })

  it('treats a deleted session as archived', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.respondNext('getSetupSession', { ...backend.lastSession(), status: 'deleted' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('archived')
  })

  it('stops at the session\'s expiresAt even when the backend never says expired', async () => {
    const session = {
      id: 'pas_1',
      status: 'pending' as const,
      url: 'https://consent.example.com/pas_1',
      createdAt: new Date(Date.now()).toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    }
    const stubborn = alwaysAnswering(session)
    const { flow, onError } = makeFlow({ backend: stubborn })
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('expired')
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'session_expired' }))
  })

  it('measures expiry on the local clock, so a skewed server clock does not end it early', async () => {
    const skewed = {
      id: 'pas_1',
      status: 'pending' as const,
      url: 'https://consent.example.com/pas_1',
      createdAt: new Date(Date.now() - 3_600_000).toISOString(),
      expiresAt: new Date(Date.now() - 3_600_000 + 60_000).toISOString(),
    }
    const backendWithSkew = alwaysAnswering(skewed)
    const { flow } = makeFlow({ backend: backendWithSkew })
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(31_000)
    expect(flow.getState().status).toBe('expired')
  })
})

describe('given transient failures', () => {
  it('keeps going through a few network errors and 5xx answers', async () => {
    const { flow, events } = makeFlow()
    flow.start()
    await settle()
    backend.failNext('getSetupSession', 'network', 2)
    backend.failNext('getSetupSession', { status: 503 }, 2)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    expect(events.filter(event => event.type === 'poll_failed')).toHaveLength(4)
    backend.complete()
    await vi.advanceTimersByTimeAsync(6000)
    expect(flow.getState().status).toBe('completed')
  })

  it('waits as long as Retry-After asks', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.failNext('getSetupSession', { status: 429, retryAfterMs: 20_000 })
    await vi.advanceTimersByTimeAsync(1000)
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(19_999)
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(backend.count('getSetupSession')).toBe(2)
  })

  it('gives up with error after maxRetries, and still catches a later success', async () => {
    const { flow, onError, onConnected } = makeFlow({ maxRetries: 2, watchInterval: 10_000 })
    flow.start()
    await settle()
    backend.failNext('getSetupSession', 'network', 3)
    await vi.advanceTimersByTimeAsync(1000 + 1000 + 2000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe('network')
    expect(onError).toHaveBeenCalledTimes(1)
    backend.complete()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('ends at once on an answer that retrying cannot fix (404)', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.failNext('getSetupSession', { status: 404, code: 'not_found', message: 'Setup session not found.' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error).toMatchObject({ code: 'http', status: 404, backendCode: 'not_found', message: 'Setup session not found.' })
  })
})

describe('given a bad response', () => {
  const pendingSession = () => ({ id: 'pas_x', status: 'pending', url: 'https://consent.example.com/x' })
  it.each([
    ['an unknown status', { ...pendingSession(), status: 'weird' }, 'invalid_response'],
    ['no id', { status: 'pending', url: 'https://consent.example.com/x' }, 'invalid_response'],
    ['not an object', 'oops', 'invalid_response'],
    ['completed without an auth config', { ...pendingSession(), status: 'completed', auth_config: null }, 'invalid_response'],
    ['a javascript: URL', { ...pendingSession(), url: 'javascript:alert(1)' }, 'unsafe_url'],
    ['a data: URL', { ...pendingSession(), url: 'data:text/html,hi' }, 'unsafe_url'],
  ])('refuses a created session with %s, closes the popup and reports error', async (_, body, code) => {
    const { flow, onError } = makeFlow()
    backend.respondNext('createSetupSession', body)
    flow.start()
    await settle()
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe(code)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }))
    expect(browser.popup?.close).toHaveBeenCalled()
    expect(browser.popup?.url).toBeNull()
  })

  it('reports a garbage status read as invalid_response, not a crash', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.respondNext('getSetupSession', { ...backend.lastSession(), status: 'completed', authConfig: {} })
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe('invalid_response')
  })

  it('retries a create the backend refused with 429, then goes on', async () => {
    const { flow } = makeFlow()
    backend.failNext('createSetupSession', { status: 429, retryAfterMs: 3000 })
    flow.start()
    await settle()
    expect(flow.getState().status).toBe('creating')
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('pending')
    expect(backend.count('createSetupSession')).toBe(2)
  })

  it('does not retry a create that failed with 500 (it may have happened)', async () => {
    const { flow } = makeFlow()
    backend.failNext('createSetupSession', { status: 500, message: 'Boom' })
    flow.start()
    await settle()
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'http', status: 500, message: 'Boom' } })
    expect(backend.count('createSetupSession')).toBe(1)
  })
})

describe('given the user closes the popup', () => {
  it('checks the backend at once, waits the grace, then reports cancelled', async () => {
    const { flow, events, onError } = makeFlow()
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(500)
    expect(events.some(event => event.type === 'popup_closed')).toBe(true)
    expect(backend.count('getSetupSession')).toBe(1)
    expect(flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(2000)
    expect(flow.getState().status).toBe('cancelled')
    expect(onError).not.toHaveBeenCalled()
  })

  it('reports completed, not cancelled, when the backend completed as the popup closed', async () => {
    const { flow, onConnected, statuses } = makeFlow()
    flow.start()
    await settle()
    backend.complete()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('completed')
    expect(statuses()).not.toContain('cancelled')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('does not cancel while the user is elsewhere (a popup that only looks closed), and decides on return', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    browser.state.focused = false
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(20_000)
    expect(flow.getState().status).toBe('pending')
    browser.state.focused = true
    browser.wake('focus')
    await settle()
    expect(flow.getState().status).toBe('cancelled')
  })

  it('moves on to completed if the backend completes after all (COOP made closed read true)', async () => {
    const { flow, onConnected } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.anything())
  })

  it('stops the slow checks once the session expired', async () => {
    const { flow } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    await vi.advanceTimersByTimeAsync(31 * 60_000)
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(flow.getState().status).toBe('cancelled')
  })
})

describe('given a blocked popup', () => {
  it('keeps the session, exposes popupBlocked and the URL, and opens it from the new-tab link', async () => {
    browser.state.blockPopups = true
    const { flow, events, onError } = makeFlow()
    flow.start()
    await settle()
    expect(flow.getState()).toMatchObject({ status: 'pending', popupBlocked: true, error: { code: 'popup_blocked' } })
    expect(onError).not.toHaveBeenCalled()
    expect(flow.getState().session?.url).toBe(backend.lastSession()?.url)
    expect(events.some(event => event.type === 'popup_blocked')).toBe(true)

    browser.state.blockPopups = false
    expect(flow.openInNewTab()).toBe(true)
    expect(browser.popup?.url).toBe(backend.lastSession()?.url)
    expect(flow.getState()).toMatchObject({ popupBlocked: false, error: null })
    backend.complete()
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('completed')
  })

  it('says so when the new tab is refused too, so the link can navigate by itself', async () => {
    browser.state.blockPopups = true
    const { flow } = makeFlow()
    flow.start()
    await settle()
    expect(flow.openInNewTab()).toBe(false)
    expect(flow.getState().popupBlocked).toBe(true)
  })
})

describe('given a timeout', () => {
  it('ends in error with code timeout, and a later success still counts', async () => {
    const { flow, events, onConnected } = makeFlow({ timeout: 30_000, watchInterval: 15_000 })
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe('timeout')
    expect(events.some(event => event.type === 'timeout')).toBe(true)
    backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('does not report a timeout for a session that completed just before it', async () => {
    const { flow, statuses } = makeFlow({ timeout: 900, pollInterval: 1000 })
    flow.start()
    await settle()
    backend.complete()
    await vi.advanceTimersByTimeAsync(900)
    expect(flow.getState().status).toBe('completed')
    expect(statuses()).not.toContain('error')
  })
})

describe('cancel, reset and retry', () => {
  it('cancel() aborts requests and timers, closes the popup, and reports cancelled without an error', async () => {
    backend.setLatency(500)
    const { flow, onError } = makeFlow()
    flow.start()
    await vi.advanceTimersByTimeAsync(500)
    await vi.advanceTimersByTimeAsync(1000)
    flow.cancel()
    expect(flow.getState().status).toBe('cancelled')
    expect(browser.popup?.close).toHaveBeenCalled()
    const calls = backend.calls.length
    backend.complete()
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(backend.calls.length).toBe(calls)
    expect(flow.getState().status).toBe('cancelled')
    expect(onError).not.toHaveBeenCalled()
  })

  it('cancel() while creating drops the session that arrives later', async () => {
    backend.setLatency(1000)
    const { flow } = makeFlow()
    flow.start()
    flow.cancel()
    await vi.advanceTimersByTimeAsync(2000)
    expect(flow.getState()).toMatchObject({ status: 'cancelled', session: null })
  })

  it('start() after a final status creates a fresh session (retry / reconnect)', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    backend.fail()
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('failed')
    flow.start()
    expect(flow.getState()).toMatchObject({ status: 'creating', error: null, session: null })
    await settle()
    expect(backend.count('createSetupSession')).toBe(2)
    expect(flow.getState().status).toBe('pending')
  })

  it('reset() goes back to idle and stops everything', async () => {
    const { flow } = makeFlow()
    flow.start()
    await settle()
    flow.reset()
    expect(flow.getState()).toMatchObject({ status: 'idle', session: null, error: null, authConfigId: null })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(0)
  })
})

describe('subscribers', () => {
  it('notifies on every change with a new state object, and keeps it stable otherwise', async () => {
    const { flow } = makeFlow()
    const listener = vi.fn()
    flow.subscribe(listener)
    const before = flow.getState()
    expect(flow.getState()).toBe(before)
    flow.start()
    await settle()
    expect(listener).toHaveBeenCalled()
    expect(flow.getState()).not.toBe(before)
  })

  it('pauses every timer when the last subscriber leaves (unmount) and resumes when one comes back', async () => {
    const { flow } = makeFlow()
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    await settle()
    unsubscribe()
    expect(browser.wakeListenerCount).toBe(0)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(0)
    backend.complete()
    flow.subscribe(() => {})
    await settle()
    expect(flow.getState().status).toBe('completed')
  })
})

describe('safety', () => {
  it('never puts the consent URL or its client secret in events', async () => {
    const { flow, events } = makeFlow()
    flow.start()
    await settle()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(events.length).toBeGreaterThan(3)
    expect(JSON.stringify(events)).not.toContain('client_secret')
    expect(JSON.stringify(events)).not.toContain('consent.example.com')
  })

  it('keeps working when an app callback throws', async () => {
    const { flow } = makeFlow({
      onStatusChange: () => {
        throw new Error('app bug')
      },
    })
    const thrown: unknown[] = []
    const original = globalThis.queueMicrotask
    vi.stubGlobal('queueMicrotask', (task: () => void) =>
      original(() => {
        try {
          task()
        } catch (error) {
          thrown.push(error)
        }
      }),
    )
    flow.start()
    await settle()
    backend.complete()
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('completed')
    expect(thrown.length).toBeGreaterThan(0)
  })

  it.each([
    [{ providerId: '' }, 'providerId'],
    [{ backend: undefined }, 'ConnectProvider'],
    [{ pollInterval: -1 }, 'pollInterval'],
    [{ pollInterval: 0 }, 'more than 0'],
    [{ timeout: Number.NaN }, 'timeout'],
  ])('refuses unusable options with a clear message (%o)', (options, mention) => {
    const create = () => new SetupFlow({ backend, providerId: 'slack', ...options } as SetupFlowOptions)
    expect(create).toThrow(ConnectError)
    expect(create).toThrow(mention)
  })
})

describe('the popup placeholder', () => {
  it('says "Connecting to {provider}…" while the session is created', () => {
    const doc = document.implementation.createHTMLDocument('')
    const popup = { closed: false, focus() {}, close() {}, location: { replace() {} }, document: doc }
    const flow = new SetupFlow({ backend, providerId: 'slack', providerName: '<b>Slack</b>', environment: { ...browser.environment, openWindow: () => popup } })
    flow.start()
    expect(doc.title).toBe('Connecting to <b>Slack</b>…')
    expect(doc.body.textContent).toBe('Connecting to <b>Slack</b>…')
    expect(doc.body.querySelector('b')).toBeNull()
  })
})

describe('stale answers', () => {
  it('ignores an answer for an attempt the user already left', async () => {
    let resolveRead: (session: SetupSession) => void = () => {}
    const slow: ConnectBackend = {
      createSetupSession: backend.createSetupSession,
      getSetupSession: () => new Promise(resolve => (resolveRead = resolve)),
      listConnections: backend.listConnections,
      removeConnection: backend.removeConnection,
    }
    const { flow, onConnected } = makeFlow({ backend: slow })
    flow.start()
    await settle()
    await vi.advanceTimersByTimeAsync(1000)
    flow.reset()
    resolveRead({ ...backend.lastSession()!, status: 'completed', authConfig: { id: 'pac_late' } })
    await settle()
    expect(flow.getState().status).toBe('idle')
    expect(onConnected).not.toHaveBeenCalled()
  })
})

describe('given a redirect-mode return to the app page itself', () => {
  it('resumes and drops connect_state from the address bar, keeping the rest of the URL', async () => {
    const storage = new Map<string, string>()
    const sessionStorage = {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    } as unknown as Storage
    const replaceHref = vi.fn()
    const environment = { ...browser.environment, sessionStorage: () => sessionStorage, replaceHref }
    const first = makeFlow({ mode: 'redirect', environment })
    first.flow.start()
    await settle()
    expect(browser.navigate).toHaveBeenCalledWith(backend.lastSession()?.url)
    const redirectUrl = (backend.calls[0]?.argument as { redirectUrl: string }).redirectUrl
    const state = new URL(redirectUrl).searchParams.get('connect_state')

    browser.state.href = `https://app.example.com/settings?tab=apps&connect_state=${state}#list`
    const authConfigId = backend.complete()
    const second = makeFlow({ mode: 'redirect', environment })
    expect(second.flow.resume()).toBe(true)
    expect(replaceHref).toHaveBeenCalledWith('https://app.example.com/settings?tab=apps#list')
    await settle()
    expect(second.flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(second.onConnected).toHaveBeenCalledTimes(1)
    expect(storage.size).toBe(0)
  })
})

describe('given an error while the consent page is still open', () => {
  it('still reports a connection the user completes after a garbage answer', async () => {
    const { flow, onConnected, onError } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await settle()
    backend.respondNext('getSetupSession', '<html>oops</html>')
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'invalid_response' } })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(browser.popup?.close).not.toHaveBeenCalled()

    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId, error: null })
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('keeps the slow checks going through refusals (a proxy 404 is not the end), so a late success still counts', async () => {
    const { flow, onConnected } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await settle()
    backend.failNext('getSetupSession', { status: 404 }, 3)
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('error')
    await vi.advanceTimersByTimeAsync(2 * 15_000)
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('stops the slow checks once the session expires, even while the backend keeps refusing', async () => {
    const { flow } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await settle()
    backend.failNext('getSetupSession', { status: 404 }, 10_000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('error')
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000)
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(flow.getState().status).toBe('error')
  })
})

describe('a closed popup with a timeout configured', () => {
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

describe('providerId changes while a session is followed', () => {
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

describe('the last subscriber leaves while the session is being created', () => {
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

describe('Retry-After', () => {
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

describe('a resumed redirect session', () => {
  it('stops at the session\'s expiresAt, not 30 minutes after the return, when the backend never says expired', async () => {
    const session = {
      id: 'pas_resumed',
      status: 'pending' as const,
      url: 'https://consent.example.com/pas_resumed',
      createdAt: new Date(Date.now()).toISOString(),
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    }
    const stubborn = alwaysAnswering(session)
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

describe('given a new start while the last session is still watched', () => {
  async function falselyClosed(options: Partial<SetupFlowOptions> = {}) {
    const made = makeFlow({ watchInterval: 15_000, ...options })
    made.flow.start()
    await settle()
    const first = backend.lastSession()!
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(made.flow.getState().status).toBe('cancelled')
    return { ...made, first }
  }

  it('still reports the earlier session if the user completes that one after all', async () => {
    const { flow, onConnected, first } = await falselyClosed()
    flow.start()
    await settle()
    const second = backend.lastSession()!
    expect(flow.getState()).toMatchObject({ status: 'pending', session: { id: second.id } })

    const authConfigId = backend.complete(first.id)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId, session: { id: first.id } })
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ id: first.id }))
    expect(browser.popup?.close).toHaveBeenCalled()
    // The second session is now only watched, slowly: if it completed too, that is a connection as well.
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession') - reads).toBeLessThanOrEqual(4)
    const secondAuthConfigId = backend.complete(second.id)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(onConnected).toHaveBeenLastCalledWith(secondAuthConfigId, expect.objectContaining({ id: second.id }))
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    const after = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(backend.count('getSetupSession')).toBe(after)
  })

  it('never lets the earlier session change what the new one shows, unless it completes', async () => {
    const { flow, first } = await falselyClosed()
    flow.start()
    await settle()
    const second = backend.lastSession()!
    backend.fail(first.id)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(flow.getState()).toMatchObject({ status: 'pending', session: { id: second.id }, error: null })
    const authConfigId = backend.complete(second.id)
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
  })

  it('stops watching the earlier session on cancel()', async () => {
    const { flow, first, onConnected } = await falselyClosed()
    flow.start()
    await settle()
    flow.cancel()
    const reads = backend.count('getSetupSession')
    backend.complete(first.id)
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(flow.getState().status).toBe('cancelled')
    expect(onConnected).not.toHaveBeenCalled()
  })
})

describe('given answers the old engine mishandled', () => {
  const pending = (over: Partial<SetupSession> = {}): SetupSession => ({
    id: 'ss_mine',
    status: 'pending',
    url: 'https://consent.example.com/ss_mine',
    expiresAt: null,
    ...over,
  } as SetupSession)

  it('never hands an auth config from another session id to onConnected', async () => {
    const other = pending({ id: 'ss_someone_else', status: 'completed', authConfig: { id: 'ac_theirs' } } as Partial<SetupSession>)
    const mine = pending()
    const { flow, onConnected } = makeFlow({
      backend: { ...alwaysAnswering(mine), getSetupSession: async () => other },
    })
    flow.start()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(onConnected).not.toHaveBeenCalled()
    expect(flow.getState().status).not.toBe('completed')
    expect(flow.getState().authConfigId).toBeNull()
  })

  it('does not expire a session 40 days away at once (timer overflow)', async () => {
    const expiresAt = new Date(Date.now() + 40 * 24 * 3600_000).toISOString()
    const { flow, onError } = makeFlow({ backend: alwaysAnswering(pending({ expiresAt, createdAt: new Date().toISOString() } as Partial<SetupSession>)) })
    flow.start()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    expect(onError).not.toHaveBeenCalled()
    flow.cancel()
  })

  it('does not time out at once with a 30-day timeout (timer overflow)', async () => {
    const { flow } = makeFlow({ backend: alwaysAnswering(pending()), timeout: 30 * 24 * 3600_000 })
    flow.start()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    flow.cancel()
  })
})

describe('given a subscriber that throws', () => {
  it('reports the error and still reaches connected', async () => {
    const reported: unknown[] = []
    const onUncaught = (error: unknown) => reported.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      const { flow, onConnected } = makeFlow()
      flow.subscribe(() => {
        throw new Error('subscriber bug')
      })
      flow.start()
      await settle()
      const authConfigId = backend.complete()
      await vi.advanceTimersByTimeAsync(5000)
      expect(flow.getState().status).toBe('completed')
      expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.anything())
      expect(reported).toContainEqual(expect.objectContaining({ message: 'subscriber bug' }))
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })
})
