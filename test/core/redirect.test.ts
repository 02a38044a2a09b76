import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBrowserEnvironment, createConnectClient, SetupFlow } from '../../src/core/index.js'
import type { FlowEnvironment } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

/** Redirect mode: the whole page goes to the consent page, and the flow picks the session up on return. */

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
