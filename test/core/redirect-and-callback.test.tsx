import { act, render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { completeSetupSession } from '../../src/callback/index.js'
import { createConnectClient, createSetupFlow, STATE_PARAM, withStateParam } from '../../src/core/index.js'
import type { FlowEnvironment, SetupFlowEvent, SetupFlowOptions } from '../../src/core/index.js'
import { CHANNEL_NAME, MESSAGE_TYPE, REDIRECT_KEY_PREFIX, STORAGE_SIGNAL_KEY } from '../../src/core/protocol.js'
import { ConnectProvider, ProviderConnectButton } from '../../src/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import { APP_ORIGIN, APP_PAGE, createChannelHub, createTab, MemoryStorage } from '../callback-harness.js'
import type { Tab } from '../callback-harness.js'

const REDIRECT_KEY = `${REDIRECT_KEY_PREFIX}slack`
const CALLBACK_PAGE = `${APP_ORIGIN}/oauth/done?from=settings#finish`

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

function setup(options: Partial<SetupFlowOptions> & { tab?: Tab; backend?: MockBackend } = {}) {
  const tab = options.tab ?? createTab()
  const backend = options.backend ?? createMockBackend()
  const onConnected = vi.fn()
  const onStatusChange = vi.fn()
  const events: SetupFlowEvent[] = []
  const flow = createSetupFlow({
    providerId: 'slack',
    redirectUrl: CALLBACK_PAGE,
    pollInterval: 5000,
    maxPollInterval: 5000,
    onConnected,
    onStatusChange,
    onEvent: event => events.push(event),
    ...options,
    backend,
    environment: tab.environment,
  })
  const unsubscribe = flow.subscribe(() => {})
  return { tab, backend, flow, onConnected, onStatusChange, events, unsubscribe }
}

/** The `connect_state` the flow put into the `redirectUrl` it sent to the backend. */
function stateSent(backend: MockBackend): string {
  const input = backend.calls.find(call => call.operation === 'createSetupSession')?.argument as { redirectUrl: string }
  return new URL(input.redirectUrl).searchParams.get(STATE_PARAM) as string
}

async function startPending(options: Parameters<typeof setup>[0] = {}, createTakes = 0) {
  const context = setup(options)
  context.flow.start()
  await vi.advanceTimersByTimeAsync(createTakes)
  expect(context.flow.getState().status).toBe('pending')
  return { ...context, state: stateSent(context.backend) }
}

const signal = (state: string) => ({ type: MESSAGE_TYPE, state })

describe('the state parameter', () => {
  it('is added to redirectUrl, keeping the developer’s query and hash', async () => {
    const { backend, state } = await startPending()
    const sent = new URL((backend.calls[0]?.argument as { redirectUrl: string }).redirectUrl)
    expect(state).toMatch(/^[0-9a-f]{32}$/)
    expect(sent.origin + sent.pathname).toBe(`${APP_ORIGIN}/oauth/done`)
    expect(sent.searchParams.get('from')).toBe('settings')
    expect(sent.hash).toBe('#finish')
  })

  it('resolves a relative redirectUrl against the page and replaces a leftover state', () => {
    const url = withStateParam('/oauth/done?connect_state=old&x=1#h', 'new', APP_PAGE)
    expect(url).toBe(`${APP_ORIGIN}/oauth/done?connect_state=new&x=1#h`)
  })

  it('is new for every attempt', async () => {
    const first = await startPending()
    first.flow.cancel()
    first.flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const states = first.backend.calls
      .filter(call => call.operation === 'createSetupSession')
      .map(call => new URL((call.argument as { redirectUrl: string }).redirectUrl).searchParams.get(STATE_PARAM))
    expect(states).toHaveLength(2)
    expect(states[0]).not.toBe(states[1])
  })
})

describe('callback signals', () => {
  it('a same-origin postMessage with the flow’s state completes within one backend round trip', async () => {
    const backend = createMockBackend({ latency: 100 })
    const { tab, flow, state, onConnected, events } = await startPending({ backend }, 100)
    const authConfigId = backend.complete()
    const reads = backend.count('getSetupSession')
    tab.postMessage(signal(state), APP_ORIGIN)
    expect(backend.count('getSetupSession')).toBe(reads + 1)
    await vi.advanceTimersByTimeAsync(100)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.objectContaining({ status: 'completed' }))
    expect(events).toContainEqual(expect.objectContaining({ type: 'callback_message', channel: 'postMessage' }))
  })

  it.each([
    ['another origin', (tab: Tab, state: string) => tab.postMessage(signal(state), 'https://evil.example')],
    ['a look-alike origin', (tab: Tab, state: string) => tab.postMessage(signal(state), 'https://app.example.com.evil.example')],
    ['another state', (tab: Tab) => tab.postMessage(signal('0'.repeat(32)), APP_ORIGIN)],
    ['another message type', (tab: Tab, state: string) => tab.postMessage({ type: 'oauth:done', state }, APP_ORIGIN)],
    ['a bare string', (tab: Tab, state: string) => tab.postMessage(state, APP_ORIGIN)],
    ['a storage event for another key', (tab: Tab, state: string) => tab.storageEvent('other', JSON.stringify(signal(state)))],
    ['a storage event that is not JSON', (tab: Tab) => tab.storageEvent(STORAGE_SIGNAL_KEY, '{oops')],
    ['a storage event with another state', (tab: Tab) => tab.storageEvent(STORAGE_SIGNAL_KEY, JSON.stringify(signal('x')))],
    ['a channel message with another state', (tab: Tab) => tab.broadcast(CHANNEL_NAME, signal('x'))],
  ])('ignores %s: no backend call, no state change', async (_name, send) => {
    const { tab, backend, flow, state, onStatusChange, events } = await startPending()
    backend.complete()
    const reads = backend.count('getSetupSession')
    const before = flow.getState()
    onStatusChange.mockClear()
    send(tab, state)
    await vi.advanceTimersByTimeAsync(10)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(flow.getState()).toBe(before)
    expect(onStatusChange).not.toHaveBeenCalled()
    expect(events.filter(event => event.type === 'callback_message')).toEqual([])
  })

  it('ignores an opaque origin even when redirectUrl has one', async () => {
    const { tab, backend, state } = await startPending({ redirectUrl: 'about:blank' })
    backend.complete()
    tab.postMessage(signal(state), 'null')
    await vi.advanceTimersByTimeAsync(0)
    expect(backend.count('getSetupSession')).toBe(0)
  })

  it('accepts postMessage from the origin of a redirectUrl on another origin of the app', async () => {
    const { tab, backend, flow, state } = await startPending({ redirectUrl: 'https://auth.example.com/done' })
    backend.complete()
    tab.postMessage(signal(state), APP_ORIGIN)
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('pending')
    tab.postMessage(signal(state), 'https://auth.example.com')
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('completed')
  })

  it('a signal is only a hint: while the backend says pending, the flow stays pending', async () => {
    const { tab, backend, flow, state, onConnected } = await startPending()
    tab.postMessage(signal(state), APP_ORIGIN)
    await vi.advanceTimersByTimeAsync(0)
    expect(backend.count('getSetupSession')).toBe(1)
    expect(flow.getState().status).toBe('pending')
    expect(onConnected).not.toHaveBeenCalled()
  })

  it('all three channels arriving for one completion fire onConnected exactly once', async () => {
    const { tab, backend, flow, state, onConnected, onStatusChange } = await startPending()
    backend.complete()
    tab.postMessage(signal(state), APP_ORIGIN)
    tab.storageEvent(STORAGE_SIGNAL_KEY, JSON.stringify({ ...signal(state), at: 1 }))
    tab.storageEvent(STORAGE_SIGNAL_KEY, null)
    tab.broadcast(CHANNEL_NAME, signal(state))
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onStatusChange.mock.calls.filter(([status]) => status === 'completed')).toHaveLength(1)
    expect(backend.count('getSetupSession')).toBe(1)
  })

  it('a replayed signal after completion does nothing', async () => {
    const { tab, backend, flow, state, onConnected, onStatusChange } = await startPending()
    backend.complete()
    tab.postMessage(signal(state), APP_ORIGIN)
    await vi.advanceTimersByTimeAsync(0)
    const done = flow.getState()
    const reads = backend.count('getSetupSession')
    onStatusChange.mockClear()
    tab.postMessage(signal(state), APP_ORIGIN)
    tab.broadcast(CHANNEL_NAME, signal(state))
    tab.storageEvent(STORAGE_SIGNAL_KEY, JSON.stringify(signal(state)))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState()).toBe(done)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onStatusChange).not.toHaveBeenCalled()
    expect(backend.count('getSetupSession')).toBe(reads)
  })

  it('a signal for the previous attempt is ignored by the next one', async () => {
    const { tab, backend, flow, state: oldState } = await startPending()
    flow.cancel()
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const reads = backend.count('getSetupSession')
    tab.postMessage(signal(oldState), APP_ORIGIN)
    tab.broadcast(CHANNEL_NAME, signal(oldState))
    await vi.advanceTimersByTimeAsync(0)
    expect(backend.count('getSetupSession')).toBe(reads)
  })

  it.each([
    ['completed', async (ctx: Awaited<ReturnType<typeof startPending>>) => {
      ctx.backend.complete()
      ctx.tab.postMessage(signal(ctx.state), APP_ORIGIN)
      await vi.advanceTimersByTimeAsync(0)
    }],
    ['cancelled by cancel()', async (ctx: Awaited<ReturnType<typeof startPending>>) => ctx.flow.cancel()],
    ['failed', async (ctx: Awaited<ReturnType<typeof startPending>>) => {
      ctx.backend.fail(ctx.backend.lastSession()?.id)
      ctx.tab.broadcast(CHANNEL_NAME, signal(ctx.state))
      await vi.advanceTimersByTimeAsync(0)
    }],
    ['unmounted (last subscriber gone)', async (ctx: Awaited<ReturnType<typeof startPending>>) => ctx.unsubscribe()],
  ])('removes every listener once %s', async (_name, end) => {
    const ctx = await startPending()
    expect(ctx.tab.listeners()).toEqual({ message: 1, storage: 1, wake: 1, channels: 1 })
    await end(ctx)
    expect(ctx.tab.listeners()).toEqual({ message: 0, storage: 0, wake: 0, channels: 0 })
  })

  it('a signal after the popup closed still catches a late success', async () => {
    const { tab, backend, flow, state, onConnected } = await startPending({ closeGrace: 1000 })
    ;(tab.popup as { closed: boolean }).closed = true
    await vi.advanceTimersByTimeAsync(2000)
    expect(flow.getState().status).toBe('cancelled')
    backend.complete()
    tab.postMessage(signal(state), APP_ORIGIN)
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(tab.listeners()).toEqual({ message: 0, storage: 0, wake: 0, channels: 0 })
  })
})

describe('the callback page and the flow together', () => {
  it('completeSetupSession in the popup reaches the opener on every channel; onConnected fires once', async () => {
    const hub = createChannelHub()
    const localStorage = new MemoryStorage()
    const tab = createTab({ hub, localStorage })
    const { backend, flow, state, onConnected, events } = await startPending({ tab })
    backend.complete()
    let closed = false
    const result = await completeSetupSession({
      window: {
        location: { href: withStateParam(CALLBACK_PAGE, state), replace: vi.fn() },
        opener: { postMessage: (data: unknown, targetOrigin: string) => targetOrigin === APP_ORIGIN && tab.postMessage(structuredClone(data), APP_ORIGIN) },
        get closed() {
          return closed
        },
        close: () => {
          closed = true
        },
        sessionStorage: new MemoryStorage(),
        localStorage,
        BroadcastChannel: hub.constructorFor('popup'),
        setTimeout: (callback, ms) => setTimeout(callback, ms),
      },
    })
    expect(result).toEqual({ state, mode: 'popup', notified: ['postMessage', 'broadcastChannel', 'storage'], closed: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(backend.count('getSetupSession')).toBe(1)
    // The first signal triggered the read; the ones behind it were folded into it or came after the end.
    expect(events.find(event => event.type === 'callback_message')).toMatchObject({ channel: 'postMessage' })
    expect(hub.openCount()).toBe(0)
  })

  it('with the opener severed (COOP), BroadcastChannel and storage still get through', async () => {
    const hub = createChannelHub()
    const localStorage = new MemoryStorage()
    const tab = createTab({ hub, localStorage })
    const { backend, flow, state, onConnected } = await startPending({ tab })
    backend.complete()
    const result = await completeSetupSession({
      window: {
        location: { href: withStateParam(CALLBACK_PAGE, state), replace: vi.fn() },
        opener: null,
        closed: false,
        close: () => {},
        document: document.implementation.createHTMLDocument('callback'),
        localStorage,
        BroadcastChannel: hub.constructorFor('popup'),
        setTimeout: (callback, ms) => setTimeout(callback, ms),
      },
    })
    expect(result.notified).toEqual(['broadcastChannel', 'storage'])
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })
})

describe('redirect mode', () => {
  it('persists { sessionId, state, providerId, returnTo } before navigating the page to the session URL', async () => {
    const tab = createTab()
    const { backend, flow, events } = setup({ tab, mode: 'redirect' })
    let storedAtNavigation: string | null = null
    tab.navigate.mockImplementation(() => {
      storedAtNavigation = tab.sessionStorage.getItem(REDIRECT_KEY)
    })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const session = backend.lastSession()
    expect(tab.openWindow).not.toHaveBeenCalled()
    expect(tab.navigate).toHaveBeenCalledExactlyOnceWith(session?.url)
    expect(JSON.parse(storedAtNavigation ?? 'null')).toEqual({
      sessionId: session?.id,
      state: stateSent(backend),
      providerId: 'slack',
      returnTo: APP_PAGE,
      createdAt: expect.any(Number),
    })
    expect(events.map(event => event.type)).toContain('redirect')
    expect(events.map(event => event.type)).not.toContain('redirect_fallback')
    expect(tab.listeners()).toEqual({ message: 0, storage: 0, wake: 0, channels: 0 })
  })

  it('returns to the current page when no redirectUrl is set', async () => {
    const { backend } = setup({ mode: 'redirect', redirectUrl: undefined })
    const flow = createSetupFlow({ providerId: 'slack', backend, mode: 'redirect', environment: createTab().environment })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const redirectUrl = new URL((backend.calls[0]?.argument as { redirectUrl: string }).redirectUrl)
    expect(redirectUrl.searchParams.get('tab')).toBe('apps')
    expect(redirectUrl.hash).toBe('#slack')
    expect(redirectUrl.searchParams.get(STATE_PARAM)).toMatch(/^[0-9a-f]{32}$/)
  })

  it('resumes after the return, reaches completed, fires onConnected once and clears the record', async () => {
    const sessionStorage = new MemoryStorage()
    const backend = createMockBackend()
    const before = setup({ tab: createTab({ sessionStorage }), backend, mode: 'redirect' })
    before.flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const authConfigId = backend.complete()

    // The page reloads: a new flow in the same tab.
    const after = setup({ tab: createTab({ sessionStorage }), backend, mode: 'redirect' })
    expect(after.flow.resume()).toBe(true)
    expect(after.flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(0)
    expect(after.flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(after.onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.objectContaining({ id: backend.lastSession()?.id }))
    expect(after.events).toContainEqual(expect.objectContaining({ type: 'resumed', sessionId: backend.lastSession()?.id }))
    expect(sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
    expect(after.flow.resume()).toBe(false)
    expect(after.tab.listeners()).toEqual({ message: 0, storage: 0, wake: 0, channels: 0 })
  })

  it('keeps polling a resumed session that is still pending, and reports a final failure', async () => {
    const sessionStorage = new MemoryStorage()
    const backend = createMockBackend()
    setup({ tab: createTab({ sessionStorage }), backend, mode: 'redirect' }).flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const after = setup({ tab: createTab({ sessionStorage }), backend, mode: 'redirect' })
    const onError = vi.fn()
    after.flow.setOptions({ providerId: 'slack', backend, environment: after.tab.environment, onError, pollInterval: 1000, maxPollInterval: 1000 })
    after.flow.resume()
    await vi.advanceTimersByTimeAsync(0)
    expect(after.flow.getState().status).toBe('pending')
    backend.fail(backend.lastSession()?.id)
    await vi.advanceTimersByTimeAsync(1500)
    expect(after.flow.getState().status).toBe('failed')
    expect(onError).toHaveBeenCalledTimes(1)
    expect(sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
  })

  it.each([
    ['stale (older than the session could live)', (now: number) => JSON.stringify({ sessionId: 'pas_1', state: 's', providerId: 'slack', returnTo: APP_PAGE, createdAt: now - 3 * 60 * 60_000 })],
    ['corrupt JSON', () => '{"sessionId":'],
    ['for another provider', (now: number) => JSON.stringify({ sessionId: 'pas_1', state: 's', providerId: 'github', returnTo: APP_PAGE, createdAt: now })],
    ['missing its state', (now: number) => JSON.stringify({ sessionId: 'pas_1', providerId: 'slack', returnTo: APP_PAGE, createdAt: now })],
  ])('drops a %s record without calling the backend', (_name, value) => {
    const tab = createTab()
    tab.sessionStorage.setItem(REDIRECT_KEY, value(Date.now()))
    const { flow, backend } = setup({ tab })
    expect(flow.resume()).toBe(false)
    expect(flow.getState().status).toBe('idle')
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
    expect(backend.calls).toEqual([])
  })

  it('leaves another provider’s record alone', () => {
    const tab = createTab()
    const github = JSON.stringify({ sessionId: 'pas_1', state: 's', providerId: 'github', returnTo: APP_PAGE, createdAt: Date.now() })
    tab.sessionStorage.setItem(`${REDIRECT_KEY_PREFIX}github`, github)
    expect(setup({ tab }).flow.resume()).toBe(false)
    expect(tab.sessionStorage.getItem(`${REDIRECT_KEY_PREFIX}github`)).toBe(github)
  })

  it('a record whose session the backend no longer knows ends in error and is dropped', async () => {
    const tab = createTab()
    tab.sessionStorage.setItem(REDIRECT_KEY, JSON.stringify({ sessionId: 'pas_gone', state: 's', providerId: 'slack', returnTo: APP_PAGE, createdAt: Date.now() }))
    const { flow, onConnected } = setup({ tab })
    expect(flow.resume()).toBe(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('error')
    expect(onConnected).not.toHaveBeenCalled()
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
  })

  it.each([
    ['cancel()', 'cancel'],
    ['reset()', 'reset'],
  ] as const)('%s on a resumed session forgets the record', async (_name, action) => {
    const sessionStorage = new MemoryStorage()
    const backend = createMockBackend()
    setup({ tab: createTab({ sessionStorage }), backend, mode: 'redirect' }).flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const after = setup({ tab: createTab({ sessionStorage }), backend })
    after.flow.resume()
    after.flow[action]()
    expect(sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
    expect(setup({ tab: createTab({ sessionStorage }), backend }).flow.resume()).toBe(false)
  })
})

describe("mode: 'auto' and redirectFallback", () => {
  it.each([
    ['Instagram', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98'],
    ['Facebook (FBAV)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/466.0.0.45.106;FBBV/600000000]'],
    ['LinkedIn', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8940'],
    ['an Android WebView', 'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0 Mobile Safari/537.36'],
  ])('redirects in %s', async (_name, userAgent) => {
    const tab = createTab({ userAgent })
    const { flow, backend, events } = setup({ tab, mode: 'auto' })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(tab.openWindow).not.toHaveBeenCalled()
    expect(tab.navigate).toHaveBeenCalledWith(backend.lastSession()?.url)
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).not.toBeNull()
    // `auto` chose redirect up front: that is not a fallback.
    expect(events.map(event => event.type)).not.toContain('redirect_fallback')
  })

  it('redirects inside an iframe', async () => {
    const tab = createTab({ framed: true })
    const { flow } = setup({ tab, mode: 'auto' })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(tab.openWindow).not.toHaveBeenCalled()
    expect(tab.navigate).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['desktop Chrome', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'],
    ['mobile Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'],
  ])('opens a popup in %s', async (_name, userAgent) => {
    const tab = createTab({ userAgent })
    const { flow } = setup({ tab, mode: 'auto' })
    flow.start()
    expect(tab.openWindow).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(tab.navigate).not.toHaveBeenCalled()
    expect(flow.getState().status).toBe('pending')
  })

  it('a blocked popup with redirectFallback goes on in redirect mode and says so', async () => {
    const tab = createTab({ blockPopups: true })
    const { flow, backend, events } = setup({ tab, redirectFallback: true })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(events.map(event => event.type)).toContain('redirect_fallback')
    expect(flow.getState().popupBlocked).toBe(false)
    expect(tab.navigate).toHaveBeenCalledWith(backend.lastSession()?.url)
    expect(JSON.parse(tab.sessionStorage.getItem(REDIRECT_KEY) ?? 'null')).toMatchObject({ sessionId: backend.lastSession()?.id, returnTo: APP_PAGE })
  })

  it('a blocked popup without redirectFallback stays on the page and offers a new tab', async () => {
    const tab = createTab({ blockPopups: true })
    const { flow, events } = setup({ tab })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState()).toMatchObject({ status: 'pending', popupBlocked: true })
    expect(tab.navigate).not.toHaveBeenCalled()
    expect(events.map(event => event.type)).not.toContain('redirect_fallback')
  })
})

describe('resume on mount (React)', () => {
  function recordPendingRedirect(tab: Tab, backend: MockBackend) {
    const flow = createSetupFlow({ providerId: 'slack', backend, mode: 'redirect', environment: tab.environment })
    flow.start()
  }

  it('two buttons for one provider under StrictMode: completed in both, onConnected once, storage cleared', async () => {
    const tab = createTab()
    const backend = createMockBackend()
    recordPendingRedirect(tab, backend)
    await vi.advanceTimersByTimeAsync(0)
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).not.toBeNull()
    const authConfigId = backend.complete()
    const onConnected = vi.fn()
    render(
      <StrictMode>
        <ConnectProvider backend={backend} environment={tab.environment}>
          <ProviderConnectButton providerId="slack" providerName="Slack" onConnected={onConnected} />
          <ProviderConnectButton providerId="slack" providerName="Slack" onConnected={onConnected} />
        </ConnectProvider>
      </StrictMode>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    const buttons = screen.getAllByRole('button', { name: /Slack connected/ })
    expect(buttons).toHaveLength(2)
    for (const button of buttons) expect(button).toHaveAttribute('data-status', 'completed')
    expect(onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.anything())
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
    // One channel stays: the provider's client hears connections removed in other tabs.
    expect(tab.listeners()).toEqual({ message: 0, storage: 0, wake: 0, channels: 1 })
  })

  it('a pending resumed session shows as waiting, then completes on the next poll', async () => {
    const tab = createTab()
    const backend = createMockBackend()
    recordPendingRedirect(tab, backend)
    await vi.advanceTimersByTimeAsync(0)
    const onConnected = vi.fn()
    render(
      <StrictMode>
        <ConnectProvider backend={backend} environment={tab.environment}>
          <ProviderConnectButton providerId="slack" providerName="Slack" onConnected={onConnected} pollInterval={1000} maxPollInterval={1000} />
        </ConnectProvider>
      </StrictMode>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(screen.getByRole('button', { name: /Waiting for Slack/ })).toHaveAttribute('aria-busy', 'true')
    backend.complete()
    await act(() => vi.advanceTimersByTimeAsync(1500))
    expect(screen.getByRole('button', { name: /Slack connected/ })).toBeInTheDocument()
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
  })

  it('resume={false} leaves the record for another component', async () => {
    const tab = createTab()
    const backend = createMockBackend()
    recordPendingRedirect(tab, backend)
    await vi.advanceTimersByTimeAsync(0)
    render(
      <ConnectProvider backend={backend} environment={tab.environment}>
        <ProviderConnectButton providerId="slack" providerName="Slack" resume={false} />
      </ConnectProvider>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(screen.getByRole('button', { name: /Connect Slack/ })).toHaveAttribute('data-status', 'idle')
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).not.toBeNull()
  })

  it('a click in redirect mode navigates the page after persisting the record', async () => {
    vi.useRealTimers()
    const tab = createTab()
    const backend = createMockBackend()
    render(
      <ConnectProvider backend={backend} environment={tab.environment} mode="redirect">
        <ProviderConnectButton providerId="slack" providerName="Slack" />
      </ConnectProvider>,
    )
    await userEvent.click(screen.getByRole('button', { name: /Connect Slack/ }))
    await vi.waitFor(() => expect(tab.navigate).toHaveBeenCalledWith(backend.lastSession()?.url))
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).toContain(backend.lastSession()?.id)
  })
})

describe('cross-tab: connections changed', () => {
  /** Each tab has its own client, as two real tabs do. */
  function clientOf(tab: { environment: Partial<FlowEnvironment> }) {
    return createConnectClient({ environment: tab.environment })
  }

  it('a connection made in one tab reaches the other tab’s subscribers, once', async () => {
    const hub = createChannelHub()
    const a = createTab({ hub, name: 'a' })
    const b = createTab({ hub, name: 'b' })
    const tabA = clientOf(a)
    const tabB = clientOf(b)
    const heardInA = vi.fn()
    const heardInB = vi.fn()
    const offA = tabA.subscribeConnectionsChanged(heardInA)
    const offB = tabB.subscribeConnectionsChanged(heardInB)
    tabA.notifyConnectionsChanged()
    expect(heardInA).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(heardInB).toHaveBeenCalledTimes(1)
    expect(heardInA).toHaveBeenCalledTimes(1)
    offA()
    offB()
    expect(hub.openCount()).toBe(0)
  })

  it('a completed flow in one tab tells the other tab', async () => {
    const hub = createChannelHub()
    const b = createTab({ hub, name: 'b' })
    const tabB = clientOf(b)
    const heardInB = vi.fn()
    const off = tabB.subscribeConnectionsChanged(heardInB)
    const { tab, backend, state } = await startPending({ tab: createTab({ hub, name: 'a' }) })
    backend.complete()
    tab.postMessage(signal(state), APP_ORIGIN)
    await vi.advanceTimersByTimeAsync(0)
    expect(heardInB).toHaveBeenCalledTimes(1)
    off()
  })

  it('works over the real BroadcastChannel of this environment', async () => {
    vi.useRealTimers()
    expect(typeof BroadcastChannel).toBe('function')
    const environment = { openChannel: (name: string) => new BroadcastChannel(name) }
    const tabA = clientOf({ environment })
    const tabB = clientOf({ environment })
    const heardInB = vi.fn()
    const off = tabB.subscribeConnectionsChanged(heardInB)
    tabA.notifyConnectionsChanged()
    await vi.waitFor(() => expect(heardInB).toHaveBeenCalledTimes(1))
    off()
  })
})
