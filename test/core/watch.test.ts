import { describe, expect, it, vi } from 'vitest'
import { SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest, MINUTE } from './flow-harness.js'

/** The slow watch after `cancelled` or `error`: a late success is never lost, across restarts too. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

describe('given an error while the consent page is still open', () => {
  it('still reports a connection the user completes after a garbage answer', async () => {
    const { flow, onConnected, onError } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await flush()
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
    await flush()
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
    await flush()
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

describe('given a new start while the last session is still watched', () => {
  async function falselyClosed(options: Partial<SetupFlowOptions> = {}) {
    const made = makeFlow({ watchInterval: 15_000, ...options })
    made.flow.start()
    await flush()
    const first = backend.lastSession()!
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(made.flow.getState().status).toBe('cancelled')
    return { ...made, first }
  }

  it('still reports the earlier session if the user completes that one after all', async () => {
    const { flow, onConnected, first } = await falselyClosed()
    flow.start()
    await flush()
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
    await flush()
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
    await flush()
    flow.cancel()
    const reads = backend.count('getSetupSession')
    backend.complete(first.id)
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(flow.getState().status).toBe('cancelled')
    expect(onConnected).not.toHaveBeenCalled()
  })
})

describe('restarts', () => {
  async function falselyClosed(flow: SetupFlow) {
    flow.start()
    await flush()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    return backend.lastSession()!
  }

  it('watches every earlier session, not only the last: the first one completing still connects', async () => {
    const { flow, onConnected } = makeFlow({ watchInterval: 15_000 })
    const first = await falselyClosed(flow)
    await falselyClosed(flow)
    flow.start()
    await flush()
    const authConfigId = backend.complete(first.id)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.anything())
  })

  it('cancel() after a timeout is final, even when the component remounts', async () => {
    const { flow, onConnected } = makeFlow({ timeout: 10_000, watchInterval: 15_000 })
    let unsubscribe = flow.subscribe(() => {})
    flow.start()
    await vi.advanceTimersByTimeAsync(16_000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    flow.cancel()
    unsubscribe()
    unsubscribe = flow.subscribe(() => {})
    const reads = backend.count('getSetupSession')
    backend.complete()
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(onConnected).not.toHaveBeenCalled()
    unsubscribe()
  })
})

describe('the watch in redirect mode', () => {
  it('an error after the user came back is watched too, and a late success connects', async () => {
    const { flow, onConnected } = makeFlow({ mode: 'redirect', watchInterval: 15_000 })
    flow.subscribe(() => {})
    flow.start()
    await flush()
    expect(browser.navigate).toHaveBeenCalledTimes(1)
    backend.failNext('getSetupSession', { status: 500 }, 6)
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'http', status: 500 } })
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledExactlyOnceWith(authConfigId, expect.anything())
  })
})
