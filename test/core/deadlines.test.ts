import { describe, expect, it, vi } from 'vitest'
import { createHttpBackend } from '../../src/core/index.js'
import type { SetupFlowOptions, SetupSession } from '../../src/core/index.js'
import { localExpiry, serverDateOf, withServerDate } from '../../src/core/engine/deadline.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { alwaysAnswering, DAY, flowFor, flush, freshEachTest, MINUTE, never, pendingSession } from './flow-harness.js'

/** Deadlines: `timeout`, the session's `expiresAt` on our clock, the last look, and long timers. */


let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

describe('given a timeout', () => {
  it('ends in error with code timeout, and a later success still counts', async () => {
    const { flow, events, onConnected } = makeFlow({ timeout: 30_000, watchInterval: 15_000 })
    flow.start()
    await flush()
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
    await flush()
    backend.complete()
    await vi.advanceTimersByTimeAsync(900)
    expect(flow.getState().status).toBe('completed')
    expect(statuses()).not.toContain('error')
  })

  it('`timeout` ends a flow stuck in creating, whatever the create is doing', async () => {
    const { flow } = makeFlow({ backend: { ...backend, createSetupSession: () => never() }, timeout: 3000, requestTimeout: 60_000 })
    flow.start()
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    expect(browser.popup?.closed).toBe(true)
  })

  it('the timeout fires while a read hangs, within a bounded last look', async () => {
    const { flow } = makeFlow({ backend: { ...backend, getSetupSession: () => never() }, timeout: 20_000, requestTimeout: 10 * MINUTE })
    flow.start()
    await flush()
    await vi.advanceTimersByTimeAsync(20_000 + 5000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'timeout' } })
  })
})

describe('a closed popup with a timeout configured', () => {
  it('keeps the slow checks going past the timeout, so a late success still counts', async () => {
    const { flow, onConnected } = makeFlow({ timeout: 60_000, watchInterval: 15_000 })
    flow.start()
    await flush()
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

describe("the session's expiresAt", () => {
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
    await flush()
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
    await flush()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(31_000)
    expect(flow.getState().status).toBe('expired')
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

  it('does not expire a session 40 days away at once (timer overflow)', async () => {
    const expiresAt = new Date(Date.now() + 40 * 24 * 3600_000).toISOString()
    const { flow, onError } = makeFlow({ backend: alwaysAnswering(pendingSession({ expiresAt, createdAt: new Date().toISOString() } as Partial<SetupSession>)) })
    flow.start()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    expect(onError).not.toHaveBeenCalled()
    flow.cancel()
  })

  it('does not time out at once with a 30-day timeout (timer overflow)', async () => {
    const { flow } = makeFlow({ backend: alwaysAnswering(pendingSession()), timeout: 30 * 24 * 3600_000 })
    flow.start()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    flow.cancel()
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
    expect(localExpiry(session({ expiresAt: new Date(now).toISOString() }), now, null, null, now + 1_800_000)).toEqual({ at: now + 1_800_000, sound: false, skewed: true })
    expect(localExpiry(session({ expiresAt: new Date(now - 1).toISOString() }), now, null, null, 0)).toEqual({ at: now, sound: false, skewed: true })
    expect(localExpiry(session({ expiresAt: null }), now, null, null, 0)).toBeNull()
    expect(localExpiry(session({ expiresAt: 'soon' }), now, null, null, 0)).toBeNull()
  })
})
