import { describe, expect, it, vi } from 'vitest'
import type { SetupFlowOptions } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest } from './flow-harness.js'

/** `cancel()`, `reset()`, starting again, and a provider change mid-flow. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

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
    await flush()
    backend.fail()
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('failed')
    flow.start()
    expect(flow.getState()).toMatchObject({ status: 'creating', error: null, session: null })
    await flush()
    expect(backend.count('createSetupSession')).toBe(2)
    expect(flow.getState().status).toBe('pending')
  })

  it('reset() goes back to idle and stops everything', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    flow.reset()
    expect(flow.getState()).toMatchObject({ status: 'idle', session: null, error: null, authConfigId: null })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(0)
  })
})

describe('providerId changes while a session is followed', () => {
  it('does not hand the old provider\'s connection to the new provider\'s callbacks', async () => {
    const slackConnected = vi.fn()
    const githubConnected = vi.fn()
    const { flow } = makeFlow({ onConnected: slackConnected })
    flow.start()
    await flush()
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
    await flush()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    flow.setOptions({ backend, providerId: 'github', environment: browser.environment })
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
  })
})
