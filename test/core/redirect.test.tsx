import { act, render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { StrictMode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { createBrowserEnvironment, createConnectClient, createSetupFlow, SetupFlow, STATE_PARAM } from '../../src/core/index.js'
import type { FlowEnvironment, SetupFlowOptions } from '../../src/core/index.js'
import { REDIRECT_KEY_PREFIX } from '../../src/core/protocol.js'
import { ConnectProvider, ProviderConnectButton } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { APP_PAGE, createTab, MemoryStorage } from '../callback-harness.js'
import type { Tab } from '../callback-harness.js'
import { alwaysAnswering, flowFor, flush, freshEachTest } from './flow-harness.js'
import { REDIRECT_KEY, setup, stateSent } from './tab-flow.js'

/** Redirect mode: the whole page goes to the consent page, and the flow picks the session up on return. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

/** A browser whose back-forward cache can restore the page, as `pageshow` with `persisted` says. */
function withPageRestore(environment: Partial<FlowEnvironment>) {
  const listeners = new Set<() => void>()
  return {
    environment: {
      ...environment,
      onPageRestore: (listener: () => void) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    } as Partial<FlowEnvironment>,
    restore: () => {
      for (const listener of [...listeners]) listener()
    },
    get listenerCount() {
      return listeners.size
    },
  }
}

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

  // A consent page refuses to be framed: redirecting would leave the app's frame showing an error.
  it.each([
    ['a desktop browser', undefined],
    ['an in-app browser', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98'],
  ])('inside a frame in %s, opens a popup and never navigates the frame', async (_name, userAgent) => {
    const tab = createTab({ framed: true, userAgent })
    const { flow } = setup({ tab, mode: 'auto' })
    flow.start()
    expect(tab.openWindow).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(tab.navigate).not.toHaveBeenCalled()
    expect(flow.getState()).toMatchObject({ status: 'pending', mode: 'popup' })
  })

  it('inside a frame, a blocked popup offers the new tab even with redirectFallback, and the frame stays', async () => {
    const tab = createTab({ framed: true, blockPopups: true })
    const { flow, events } = setup({ tab, mode: 'auto', redirectFallback: true })
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState()).toMatchObject({ status: 'pending', popupBlocked: true, mode: 'popup' })
    expect(tab.navigate).not.toHaveBeenCalled()
    expect(tab.sessionStorage.getItem(REDIRECT_KEY)).toBeNull()
    expect(events.map(event => event.type)).toContain('popup_blocked')
    expect(events.map(event => event.type)).not.toContain('redirect_fallback')
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

describe('back from the consent page through the back-forward cache', () => {
  function redirectFlow(environment: Partial<FlowEnvironment>) {
    const onConnected = vi.fn()
    const flow = new SetupFlow({
      backend,
      providerId: 'slack',
      mode: 'redirect',
      environment,
      client: createConnectClient({ environment: { openChannel: () => null } }),
      onConnected,
    })
    flow.subscribe(() => {})
    return { flow, onConnected }
  }

  it('reads the session again at once: a completion made meanwhile connects', async () => {
    const page = withPageRestore(browser.environment)
    const { flow, onConnected } = redirectFlow(page.environment)
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(browser.navigate).toHaveBeenCalledTimes(1)
    expect(flow.getState().status).toBe('pending')
    const authConfigId = backend.complete()
    page.restore()
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.anything())
  })

  it('still pending, it keeps checking, and a click goes back to the same consent page', async () => {
    const page = withPageRestore(browser.environment)
    const { flow } = redirectFlow(page.environment)
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    const reads = backend.count('getSetupSession')
    page.restore()
    await vi.advanceTimersByTimeAsync(0)
    expect(backend.count('getSetupSession')).toBe(reads + 1)
    flow.start()
    expect(backend.count('createSetupSession')).toBe(1)
    expect(browser.navigate).toHaveBeenCalledTimes(2)
    expect(browser.navigate).toHaveBeenLastCalledWith(backend.lastSession()!.url)
    backend.complete()
    page.restore()
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('completed')
  })

  it('the browser environment hears `pageshow` with `persisted`, and only that', () => {
    const environment = createBrowserEnvironment()
    const listener = vi.fn()
    const stop = environment.onPageRestore(listener)
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }))
    expect(listener).not.toHaveBeenCalled()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    expect(listener).toHaveBeenCalledTimes(1)
    stop()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    expect(listener).toHaveBeenCalledTimes(1)
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
    await flush()
    expect(browser.navigate).toHaveBeenCalledWith(backend.lastSession()?.url)
    const redirectUrl = (backend.calls[0]?.argument as { redirectUrl: string }).redirectUrl
    const state = new URL(redirectUrl).searchParams.get('connect_state')

    browser.state.href = `https://app.example.com/settings?tab=apps&connect_state=${state}#list`
    const authConfigId = backend.complete()
    const second = makeFlow({ mode: 'redirect', environment })
    expect(second.flow.resume()).toBe(true)
    expect(replaceHref).toHaveBeenCalledWith('https://app.example.com/settings?tab=apps#list')
    await flush()
    expect(second.flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(second.onConnected).toHaveBeenCalledTimes(1)
    expect(storage.size).toBe(0)
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
    await flush()
    // The user spends two minutes on the consent page, then comes back without finishing.
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    const onError = vi.fn()
    const after = new SetupFlow({ backend: stubborn, providerId: 'slack', mode: 'redirect', environment: createTab({ sessionStorage }).environment, onError })
    after.subscribe(() => {})
    expect(after.resume()).toBe(true)
    await flush()
    await vi.advanceTimersByTimeAsync(8 * 60_000 + 1000)
    expect(after.getState().status).toBe('expired')
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'session_expired' }))
  })
})
