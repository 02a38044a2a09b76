import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectError, createBrowserEnvironment } from '../../src/core/index.js'
import type { FlowEnvironment } from '../../src/core/index.js'
import { callBackend } from '../../src/core/backend/request.js'
import { Scope } from '../../src/core/runtime/scope.js'
import { MAX_TIMER_DELAY } from '../../src/core/engine/timing.js'

/** The runtime's resources: a request bounded in time, and a run's timers and listeners dropped at once. */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
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
