import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { completeSetupSession } from '../../src/callback/index.js'
import { createConnectClient, STATE_PARAM, withStateParam } from '../../src/core/index.js'
import type { FlowEnvironment } from '../../src/core/index.js'
import { CHANNEL_NAME, STORAGE_SIGNAL_KEY } from '../../src/core/protocol.js'
import { createMockBackend } from '../../src/testing/index.js'
import { APP_ORIGIN, APP_PAGE, createChannelHub, createTab, MemoryStorage } from '../callback-harness.js'
import type { Tab } from '../callback-harness.js'
import { CALLBACK_PAGE, signal, startPending } from './tab-flow.js'

/** The callback page's signals: bound to their `connect_state`, checked by origin, heard on every channel. */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

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
