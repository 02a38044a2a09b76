import { describe, expect, it, vi } from 'vitest'
import { SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { createFakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest, MINUTE, singleSession } from './flow-harness.js'

/** Following a pending session: when the backend is read, and how rarely over a long wait. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

describe('given a pending session', () => {
  it('polls fast at first and backs off to the maximum interval', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    const reads = () => backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(999)
    expect(reads()).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(reads()).toBe(1)
    await vi.advanceTimersByTimeAsync(1500)
    expect(reads()).toBe(2)
    await vi.advanceTimersByTimeAsync(2250)
    expect(reads()).toBe(3)
    await vi.advanceTimersByTimeAsync(3375)
    expect(reads()).toBe(4)
    await vi.advanceTimersByTimeAsync(5000)
    expect(reads()).toBe(5)
    await vi.advanceTimersByTimeAsync(5000)
    expect(reads()).toBe(6)
  })

  it('spreads polls with jitter so many tabs do not poll in step', async () => {
    const timesFor = async (random: number) => {
      const local = createMockBackend()
      const flow = new SetupFlow({ backend: local, providerId: 'slack', environment: { ...browser.environment, random: () => random } })
      flow.start()
      await flush()
      const start = Date.now()
      while (local.count('getSetupSession') === 0) await vi.advanceTimersByTimeAsync(10)
      flow.cancel()
      return Date.now() - start
    }
    expect(await timesFor(0)).toBe(800)
    expect(await timesFor(0.999)).toBe(1200)
  })

  it('does not poll while the tab is hidden, and checks at once when it is visible again', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    browser.state.hidden = true
    await vi.advanceTimersByTimeAsync(60_000)
    expect(backend.count('getSetupSession')).toBe(0)
    browser.state.hidden = false
    browser.wake('visible')
    await flush()
    expect(backend.count('getSetupSession')).toBe(1)
  })

  it('checks at once when the page regains focus', async () => {
    const { flow, onConnected } = makeFlow()
    flow.start()
    await flush()
    backend.complete()
    browser.wake('focus')
    await flush()
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('reports completed once, with the auth config id, however many checks see it', async () => {
    const { flow, onConnected } = makeFlow()
    flow.start()
    await flush()
    const authConfigId = backend.complete()
    browser.wake('focus')
    browser.wake('visible')
    flow.check()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ id: backend.lastSession()?.id, status: 'completed' }))
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId, error: null })
    expect(browser.popup?.close).toHaveBeenCalled()
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(backend.count('getSetupSession')).toBe(reads)
  })

  it.each([
    ['failed', 'session_failed', (mock: MockBackend) => mock.fail(undefined, 'The user denied access.')],
    ['expired', 'session_expired', (mock: MockBackend) => mock.expire()],
    ['archived', 'session_archived', (mock: MockBackend) => mock.archive()],
  ] as const)('ends %s with a %s error and closes the popup', async (status, code, act) => {
    const { flow, onError, onConnected } = makeFlow()
    flow.start()
    await flush()
    act(backend)
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe(status)
    expect(flow.getState().error?.code).toBe(code)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }))
    expect(onConnected).not.toHaveBeenCalled()
    expect(browser.popup?.close).toHaveBeenCalled()
  })

  it('shows the provider\'s own failure message', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    backend.fail(undefined, 'Slack workspace admin approval required.')
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().error?.message).toBe('Slack workspace admin approval required.')
  })

  it('treats a deleted session as archived', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    backend.respondNext('getSetupSession', { ...backend.lastSession(), status: 'deleted' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('archived')
  })

})

describe('load', () => {
  it('a session left pending 30 minutes without focus costs far fewer reads than a fixed 5 s poll', async () => {
    const { flow } = makeFlow()
    flow.start()
    await vi.advanceTimersByTimeAsync(30 * MINUTE - 5000)
    expect(flow.getState().status).toBe('pending')
    expect(backend.count('getSetupSession')).toBeLessThanOrEqual(80)
    flow.cancel()
  })

  it('after the backoff, a callback message still checks at once', async () => {
    const { flow, onConnected } = makeFlow({ redirectUrl: 'https://app.example.com/connect/callback' })
    flow.start()
    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    const reads = backend.count('getSetupSession')
    backend.complete()
    flow.check()
    await flush()
    expect(backend.count('getSetupSession')).toBe(reads + 1)
    expect(onConnected).toHaveBeenCalledTimes(1)
  })
})

describe('a long wait', () => {
  it('a session left pending 30 minutes costs at most 80 reads, even with focus every 10 s', async () => {
    const server = singleSession()
    const browser = createFakeBrowser()
    const flow = new SetupFlow({ backend: server.backend, providerId: 'slack', environment: browser.environment })
    flow.start()
    for (let elapsed = 0; elapsed < 30 * 60_000; elapsed += 10_000) {
      await vi.advanceTimersByTimeAsync(10_000)
      browser.wake('focus')
    }
    expect(flow.getState().status).toBe('pending')
    expect(server.reads).toBeLessThanOrEqual(80)
    flow.cancel()
  })
})
