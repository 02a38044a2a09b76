import { describe, expect, it, vi } from 'vitest'
import { ConnectError, SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest } from './flow-harness.js'

/** Subscribers and callbacks: the flow works while someone listens, and a throwing callback breaks nothing. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

describe('subscribers', () => {
  it('notifies on every change with a new state object, and keeps it stable otherwise', async () => {
    const { flow } = makeFlow()
    const listener = vi.fn()
    flow.subscribe(listener)
    const before = flow.getState()
    expect(flow.getState()).toBe(before)
    flow.start()
    await flush()
    expect(listener).toHaveBeenCalled()
    expect(flow.getState()).not.toBe(before)
  })

  it('pauses every timer when the last subscriber leaves (unmount) and resumes when one comes back', async () => {
    const { flow } = makeFlow()
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    await flush()
    unsubscribe()
    expect(browser.wakeListenerCount).toBe(0)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(0)
    backend.complete()
    flow.subscribe(() => {})
    await flush()
    expect(flow.getState().status).toBe('completed')
  })
})

describe('safety', () => {
  it('never puts the consent URL or its client secret in events', async () => {
    const { flow, events } = makeFlow()
    flow.start()
    await flush()
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
    await flush()
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
      await flush()
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

describe('after the last subscriber leaves', () => {
  it('check() does not revive the flow: no request, no timer', async () => {
    const { flow } = makeFlow()
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    await vi.advanceTimersByTimeAsync(10)
    unsubscribe()
    const reads = backend.count('getSetupSession')
    flow.check()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a new subscriber picks the session up again and sees it complete', async () => {
    const { flow } = makeFlow()
    let unsubscribe = flow.subscribe(() => {})
    flow.start()
    await vi.advanceTimersByTimeAsync(10)
    unsubscribe()
    flow.check()
    const authConfigId = backend.complete()
    unsubscribe = flow.subscribe(() => {})
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    unsubscribe()
  })
})
