import { describe, expect, it, vi } from 'vitest'
import type { ConnectBackend, SetupFlowOptions, SetupSession } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { alwaysAnswering, flowFor, flush, freshEachTest, never, pendingSession } from './flow-harness.js'

/** Reads that fail or answer badly: retries, `Retry-After`, bounds, and answers that change nothing. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

/** A pending flow whose first read answered 429 with `Retry-After: ms`, one second into the wait. */
async function pendingAfterRetryAfter(ms: number) {
  const made = makeFlow()
  made.flow.start()
  await flush()
  backend.failNext('getSetupSession', { status: 429, retryAfterMs: ms })
  await vi.advanceTimersByTimeAsync(1000)
  expect(backend.count('getSetupSession')).toBe(1)
  return made
}

describe('given transient failures', () => {
  it('keeps going through a few network errors and 5xx answers', async () => {
    const { flow, events } = makeFlow()
    flow.start()
    await flush()
    backend.failNext('getSetupSession', 'network', 2)
    backend.failNext('getSetupSession', { status: 503 }, 2)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(flow.getState().status).toBe('pending')
    expect(events.filter(event => event.type === 'poll_failed')).toHaveLength(4)
    backend.complete()
    await vi.advanceTimersByTimeAsync(6000)
    expect(flow.getState().status).toBe('completed')
  })

  it('waits as long as Retry-After asks', async () => {
    await pendingAfterRetryAfter(20_000)
    await vi.advanceTimersByTimeAsync(19_999)
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(backend.count('getSetupSession')).toBe(2)
  })

  it('gives up with error after maxRetries, and still catches a later success', async () => {
    const { flow, onError, onConnected } = makeFlow({ maxRetries: 2, watchInterval: 10_000 })
    flow.start()
    await flush()
    backend.failNext('getSetupSession', 'network', 3)
    await vi.advanceTimersByTimeAsync(1000 + 1000 + 2000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe('network')
    expect(onError).toHaveBeenCalledTimes(1)
    backend.complete()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(flow.getState().status).toBe('completed')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('ends at once on an answer that retrying cannot fix (404)', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    backend.failNext('getSetupSession', { status: 404, code: 'not_found', message: 'Setup session not found.' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error).toMatchObject({ code: 'http', status: 404, backendCode: 'not_found', message: 'Setup session not found.' })
  })
})

describe('given a bad response', () => {
  const pendingSession = () => ({ id: 'pas_x', status: 'pending', url: 'https://consent.example.com/x' })
  it.each([
    ['an unknown status', { ...pendingSession(), status: 'weird' }, 'invalid_response'],
    ['no id', { status: 'pending', url: 'https://consent.example.com/x' }, 'invalid_response'],
    ['not an object', 'oops', 'invalid_response'],
    ['completed without an auth config', { ...pendingSession(), status: 'completed', auth_config: null }, 'invalid_response'],
    ['a javascript: URL', { ...pendingSession(), url: 'javascript:alert(1)' }, 'unsafe_url'],
    ['a data: URL', { ...pendingSession(), url: 'data:text/html,hi' }, 'unsafe_url'],
  ])('refuses a created session with %s, closes the popup and reports error', async (_, body, code) => {
    const { flow, onError } = makeFlow()
    backend.respondNext('createSetupSession', body)
    flow.start()
    await flush()
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe(code)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }))
    expect(browser.popup?.close).toHaveBeenCalled()
    expect(browser.popup?.url).toBeNull()
  })

  it('reports a garbage status read as invalid_response, not a crash', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    backend.respondNext('getSetupSession', { ...backend.lastSession(), status: 'completed', authConfig: {} })
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('error')
    expect(flow.getState().error?.code).toBe('invalid_response')
  })

  it('retries a create the backend refused with 429, then goes on', async () => {
    const { flow } = makeFlow()
    backend.failNext('createSetupSession', { status: 429, retryAfterMs: 3000 })
    flow.start()
    await flush()
    expect(flow.getState().status).toBe('creating')
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('pending')
    expect(backend.count('createSetupSession')).toBe(2)
  })

  it('does not retry a create that failed with 500 (it may have happened)', async () => {
    const { flow } = makeFlow()
    backend.failNext('createSetupSession', { status: 500, message: 'Boom' })
    flow.start()
    await flush()
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'http', status: 500, message: 'Boom' } })
    expect(backend.count('createSetupSession')).toBe(1)
  })
})

describe('stale answers', () => {
  it('ignores an answer for an attempt the user already left', async () => {
    let resolveRead: (session: SetupSession) => void = () => {}
    const slow: ConnectBackend = {
      createSetupSession: backend.createSetupSession,
      getSetupSession: () => new Promise(resolve => (resolveRead = resolve)),
      listConnections: backend.listConnections,
      removeConnection: backend.removeConnection,
    }
    const { flow, onConnected } = makeFlow({ backend: slow })
    flow.start()
    await flush()
    await vi.advanceTimersByTimeAsync(1000)
    flow.reset()
    resolveRead({ ...backend.lastSession()!, status: 'completed', authConfig: { id: 'pac_late' } })
    await flush()
    expect(flow.getState().status).toBe('idle')
    expect(onConnected).not.toHaveBeenCalled()
  })
})

describe('Retry-After', () => {
  it('is honoured by a check that a focus or message asks for, too', async () => {
    await pendingAfterRetryAfter(20_000)
    browser.wake('focus')
    await flush()
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(19_999)
    expect(backend.count('getSetupSession')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(backend.count('getSetupSession')).toBe(2)
  })
})

describe('given answers that are not about this session, or not ready', () => {

  it('never hands an auth config from another session id to onConnected', async () => {
    const other = pendingSession({ id: 'ss_someone_else', status: 'completed', authConfig: { id: 'ac_theirs' } } as Partial<SetupSession>)
    const mine = pendingSession()
    const { flow, onConnected } = makeFlow({
      backend: { ...alwaysAnswering(mine), getSetupSession: async () => other },
    })
    flow.start()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(onConnected).not.toHaveBeenCalled()
    expect(flow.getState().status).not.toBe('completed')
    expect(flow.getState().authConfigId).toBeNull()
  })

})

describe('a request that never answers', () => {
  it('a create that never answers ends in error after requestTimeout, and the placeholder popup closes', async () => {
    const { flow, onError } = makeFlow({ backend: { ...backend, createSetupSession: () => never() }, requestTimeout: 5000 })
    flow.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'network' } })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(browser.popup?.closed).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a read that never answers does not block later checks: the next one sees the completion', async () => {
    let hang = true
    const reads = vi.fn()
    const { flow, onConnected } = makeFlow({
      backend: { ...backend, getSetupSession: (id, options) => (reads(), hang ? never() : backend.getSetupSession(id, options)) },
      requestTimeout: 4000,
    })
    flow.start()
    await flush()
    await vi.advanceTimersByTimeAsync(2000)
    expect(reads).toHaveBeenCalledTimes(1)
    hang = false
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(8000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.anything())
  })

})
