import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient, ConnectError } from '../../src/core/index.js'
import type { ChannelHandle, FlowEnvironment } from '../../src/core/index.js'
import { localExpiry, serverDateOf, withServerDate } from '../../src/core/engine/deadline.js'
import { createBrowserEnvironment } from '../../src/core/browser/environment.js'
import { callBackend } from '../../src/core/backend/request.js'
import { Scope } from '../../src/core/runtime/scope.js'
import { MAX_TIMER_DELAY } from '../../src/core/engine/timing.js'
import type { SetupSession } from '../../src/core/types.js'

/** The engine's small parts, each held to what the flow relies on (found by the mutation run). */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** BroadcastChannel-like hub: channels of one name hear each other's messages, not their own. */
function hub() {
  const open = new Set<{ name: string; listeners: Set<(event: { data: unknown }) => void> }>()
  const openChannel = (name: string): ChannelHandle => {
    const self = { name, listeners: new Set<(event: { data: unknown }) => void>() }
    open.add(self)
    return {
      postMessage: data => {
        for (const other of open) if (other !== self && other.name === name) for (const listener of other.listeners) listener({ data })
      },
      addEventListener: (_, listener) => self.listeners.add(listener),
      removeEventListener: (_, listener) => self.listeners.delete(listener),
      close: () => open.delete(self),
    }
  }
  return { openChannel, get open() { return open.size }, post: (data: unknown) => openChannel('react-provider-connect').postMessage(data) }
}

describe('createConnectClient', () => {
  it('tells only one listener per key, and every listener without one', () => {
    const client = createConnectClient({ environment: { openChannel: () => null } })
    const heard: string[] = []
    client.subscribeConnectionsChanged(() => heard.push('a1'), 'list-a')
    client.subscribeConnectionsChanged(() => heard.push('a2'), 'list-a')
    client.subscribeConnectionsChanged(() => heard.push('b'), 'list-b')
    client.subscribeConnectionsChanged(() => heard.push('free1'))
    client.subscribeConnectionsChanged(() => heard.push('free2'))
    client.notifyConnectionsChanged()
    expect(heard.sort()).toEqual(['a1', 'b', 'free1', 'free2'])
  })

  it('hears other tabs (with what was removed), not itself, and ignores anything else on the channel', () => {
    const channels = hub()
    const here = createConnectClient({ environment: { openChannel: channels.openChannel } })
    const heard = vi.fn()
    const stop = here.subscribeConnectionsChanged(heard)
    here.notifyConnectionsChanged({ removed: 'ac_1' })
    expect(heard).toHaveBeenCalledTimes(1)
    channels.post({ type: 'react-provider-connect:connections-changed', source: 'another-tab', removed: 'ac_2' })
    channels.post({ type: 'react-provider-connect:connections-changed', source: 'another-tab' })
    channels.post({ type: 'react-provider-connect:connections-changed', source: 'another-tab', removed: 42 })
    channels.post({ type: 'something-else', removed: 'ac_3' })
    channels.post(null)
    expect(heard.mock.calls.map(([change]) => change)).toEqual([{ removed: 'ac_1' }, { removed: 'ac_2' }, {}, {}])
    stop()
  })

  it('keeps one channel while anyone listens, and closes it with the last', () => {
    const channels = hub()
    const client = createConnectClient({ environment: { openChannel: channels.openChannel } })
    const first = client.subscribeConnectionsChanged(() => {})
    const second = client.subscribeConnectionsChanged(() => {})
    expect(channels.open).toBe(1)
    first()
    first()
    expect(channels.open).toBe(1)
    second()
    expect(channels.open).toBe(0)
  })

  it('claims a completion once, again after a new create under that id, and never after clear() forgets it twice', () => {
    const client = createConnectClient()
    expect(client.claimCompletion('pas_1')).toBe(true)
    expect(client.claimCompletion('pas_1')).toBe(false)
    client.sessionCreated('pas_1')
    expect(client.claimCompletion('pas_1')).toBe(true)
    client.clear()
    expect(client.claimCompletion('pas_1')).toBe(true)
  })

  it('keys each backend apart, the same backend the same, and two clients apart', () => {
    const a = createConnectClient()
    const b = createConnectClient()
    const one = {} as never
    const two = {} as never
    expect(a.connectionsKey(one)).toEqual(a.connectionsKey(one))
    expect(a.connectionsKey(one)).not.toEqual(a.connectionsKey(two))
    expect(a.connectionsKey(one)[0]).toBe('react-provider-connect:connections')
    expect(a.connectionsKey(one)[1]).not.toBe(b.connectionsKey(one)[1])
  })
})

describe('Scope', () => {
  const env = () => createBrowserEnvironment({ openChannel: () => null }) as FlowEnvironment

  it('fires a timer past the platform maximum at its time, not at once and not early', async () => {
    const scope = new Scope(env())
    const fired = vi.fn()
    scope.setTimer('long', MAX_TIMER_DELAY + 10_000, fired)
    await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY)
    expect(fired).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(9_999)
    expect(fired).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fired).toHaveBeenCalledTimes(1)
  })

  it('replaces a timer of the same key, clears one by key, and ignores a clear of an unknown key', async () => {
    const scope = new Scope(env())
    const first = vi.fn()
    const second = vi.fn()
    const other = vi.fn()
    scope.setTimer('poll', 1000, first)
    scope.setTimer('poll', 2000, second)
    scope.setTimer('other', 500, other)
    scope.clearTimer('other')
    scope.clearTimer('nothing')
    await vi.advanceTimersByTimeAsync(5000)
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
    expect(other).not.toHaveBeenCalled()
  })

  it('release aborts, clears every timer, runs cleanups once; anything added later is refused or cleaned at once', async () => {
    const scope = new Scope(env())
    const fired = vi.fn()
    const cleanup = vi.fn()
    scope.setTimer('poll', 1000, fired)
    scope.onRelease(cleanup)
    scope.release()
    expect(scope.signal.aborted).toBe(true)
    expect(cleanup).toHaveBeenCalledTimes(1)
    const late = vi.fn()
    scope.onRelease(late)
    expect(late).toHaveBeenCalledTimes(1)
    scope.setTimer('after', 10, fired)
    await vi.advanceTimersByTimeAsync(5000)
    expect(fired).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('callBackend', () => {
  const timers = { setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms), clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>) }

  it('answers what the backend answers, and leaves no timer behind', async () => {
    await expect(callBackend(timers, new AbortController().signal, 1000, async () => 'ok')).resolves.toBe('ok')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a backend that never answers: a network error after the timeout, and its own signal aborted', async () => {
    let seen: AbortSignal | null = null
    const call = callBackend(timers, new AbortController().signal, 1000, signal => ((seen = signal), new Promise(() => {})))
    const outcome = call.catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(1000)
    expect(await outcome).toMatchObject({ code: 'network', message: 'The backend did not answer within 1000 ms.' })
    expect(seen!.aborted).toBe(true)
  })

  it('an abort settles at once, even when the backend ignores it; an already aborted signal never calls it', async () => {
    const controller = new AbortController()
    const call = callBackend(timers, controller.signal, 60_000, () => new Promise(() => {})).catch((error: unknown) => error)
    controller.abort()
    expect(await call).toMatchObject({ code: 'aborted' })
    expect(vi.getTimerCount()).toBe(0)
    const backend = vi.fn()
    await expect(callBackend(timers, controller.signal, 1000, backend)).rejects.toMatchObject({ code: 'aborted' })
    expect(backend).not.toHaveBeenCalled()
  })

  it('a backend that throws at once, or rejects with anything, becomes a ConnectError; a late answer after the timeout is ignored', async () => {
    await expect(callBackend(timers, new AbortController().signal, 1000, () => { throw new TypeError('boom') })).rejects.toBeInstanceOf(ConnectError)
    await expect(callBackend(timers, new AbortController().signal, 1000, () => Promise.reject('plain'))).rejects.toMatchObject({ code: 'network' })
    let answer: (value: string) => void = () => {}
    const call = callBackend(timers, new AbortController().signal, 1000, () => new Promise<string>(resolve => (answer = resolve))).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(1000)
    answer('late')
    expect(await call).toMatchObject({ code: 'network' })
  })
})

describe('expiry on the server clock', () => {
  const session = (over: Partial<SetupSession>): SetupSession => ({ id: 'pas_1', status: 'pending', url: 'https://x.example/1', ...over })

  it('the Date header rides on the answer; anything unreadable is no reading', () => {
    const answer = withServerDate({ id: 'pas_1' }, 'Sun, 22 Nov 2026 12:00:00 GMT')
    expect(serverDateOf(answer)).toBe(Date.parse('2026-11-22T12:00:00Z'))
    expect(Object.keys(answer)).toEqual(['id'])
    expect(serverDateOf(withServerDate({}, 'not a date'))).toBeNull()
    expect(serverDateOf(withServerDate({}, null))).toBeNull()
    expect(serverDateOf(null)).toBeNull()
    expect(serverDateOf('text')).toBeNull()
  })

  it('server clock first, then createdAt (both sound), then a guess that never ends a session already past on our clock', () => {
    const now = 1_000_000
    const expiresAt = new Date(now + 60_000).toISOString()
    expect(localExpiry(session({ expiresAt }), now, now - 3_600_000, null, 0)).toEqual({ at: now + 3_660_000, sound: true })
    expect(localExpiry(session({ expiresAt, createdAt: new Date(now).toISOString() }), now + 5, null, now - 10, 0)).toEqual({ at: now - 10 + 60_000, sound: true })
    expect(localExpiry(session({ expiresAt }), now, null, null, now + 5)).toEqual({ at: now + 60_000, sound: false })
    expect(localExpiry(session({ expiresAt: new Date(now).toISOString() }), now, null, null, now + 1_800_000)).toEqual({ at: now + 1_800_000, sound: false })
    expect(localExpiry(session({ expiresAt: new Date(now - 1).toISOString() }), now, null, null, 0)).toEqual({ at: now, sound: false })
    expect(localExpiry(session({ expiresAt: null }), now, null, null, 0)).toBeNull()
    expect(localExpiry(session({ expiresAt: 'soon' }), now, null, null, 0)).toBeNull()
  })
})
