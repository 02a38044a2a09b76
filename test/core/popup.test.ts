import { describe, expect, it, vi } from 'vitest'
import { SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest } from './flow-harness.js'

/** The popup: closed by the user, blocked, its placeholder, and every window the flow opens accounted for. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

const openPopups = () => browser.popups.filter(popup => !popup.closed)

describe('given the user closes the popup', () => {
  it('checks the backend at once, waits the grace, then reports cancelled', async () => {
    const { flow, events, onError } = makeFlow()
    flow.start()
    await flush()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(500)
    expect(events.some(event => event.type === 'popup_closed')).toBe(true)
    expect(backend.count('getSetupSession')).toBe(1)
    expect(flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(2000)
    expect(flow.getState().status).toBe('cancelled')
    expect(onError).not.toHaveBeenCalled()
  })

  it('reports completed, not cancelled, when the backend completed as the popup closed', async () => {
    const { flow, onConnected, statuses } = makeFlow()
    flow.start()
    await flush()
    backend.complete()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('completed')
    expect(statuses()).not.toContain('cancelled')
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('does not cancel while the user is elsewhere (a popup that only looks closed), and decides on return', async () => {
    const { flow } = makeFlow()
    flow.start()
    await flush()
    browser.state.focused = false
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(20_000)
    expect(flow.getState().status).toBe('pending')
    browser.state.focused = true
    browser.wake('focus')
    await flush()
    expect(flow.getState().status).toBe('cancelled')
  })

  it('moves on to completed if the backend completes after all (COOP made closed read true)', async () => {
    const { flow, onConnected } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await flush()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    expect(flow.getState().status).toBe('cancelled')
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(flow.getState()).toMatchObject({ status: 'completed', authConfigId })
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.anything())
  })

  it('stops the slow checks once the session expired', async () => {
    const { flow } = makeFlow({ watchInterval: 15_000 })
    flow.start()
    await flush()
    browser.popup!.closed = true
    await vi.advanceTimersByTimeAsync(3000)
    await vi.advanceTimersByTimeAsync(31 * 60_000)
    const reads = backend.count('getSetupSession')
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
    expect(flow.getState().status).toBe('cancelled')
  })
})

describe('given a blocked popup', () => {
  it('keeps the session, exposes popupBlocked and the URL, and opens it from the new-tab link', async () => {
    browser.state.blockPopups = true
    const { flow, events, onError } = makeFlow()
    flow.start()
    await flush()
    expect(flow.getState()).toMatchObject({ status: 'pending', popupBlocked: true, error: { code: 'popup_blocked' } })
    expect(onError).not.toHaveBeenCalled()
    expect(flow.getState().session?.url).toBe(backend.lastSession()?.url)
    expect(events.some(event => event.type === 'popup_blocked')).toBe(true)

    browser.state.blockPopups = false
    expect(flow.openInNewTab()).toBe(true)
    expect(browser.popup?.url).toBe(backend.lastSession()?.url)
    expect(flow.getState()).toMatchObject({ popupBlocked: false, error: null })
    backend.complete()
    await vi.advanceTimersByTimeAsync(1000)
    expect(flow.getState().status).toBe('completed')
  })

  it('says so when the new tab is refused too, so the link can navigate by itself', async () => {
    browser.state.blockPopups = true
    const { flow } = makeFlow()
    flow.start()
    await flush()
    expect(flow.openInNewTab()).toBe(false)
    expect(flow.getState().popupBlocked).toBe(true)
  })
})

describe('the popup placeholder', () => {
  it('says "Connecting to {provider}…" while the session is created', () => {
    const doc = document.implementation.createHTMLDocument('')
    const popup = { closed: false, focus() {}, close() {}, location: { replace() {} }, document: doc }
    const flow = new SetupFlow({ backend, providerId: 'slack', providerName: '<b>Slack</b>', environment: { ...browser.environment, openWindow: () => popup } })
    flow.start()
    expect(doc.title).toBe('Connecting to <b>Slack</b>…')
    expect(doc.body.textContent).toBe('Connecting to <b>Slack</b>…')
    expect(doc.body.querySelector('b')).toBeNull()
  })
})

describe('popups after an error', () => {
  it('cancel() closes the popup of a session whose reads answered 404, and a restart leaves only its own popup open', async () => {
    const { flow } = makeFlow()
    backend.failNext('getSetupSession', { status: 404 }, 1000)
    flow.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState()).toMatchObject({ status: 'error', error: { code: 'http', status: 404 } })
    await vi.advanceTimersByTimeAsync(60_000)
    flow.cancel()
    expect(openPopups()).toHaveLength(0)
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(openPopups()).toHaveLength(1)
    flow.cancel()
    expect(openPopups()).toHaveLength(0)
  })
})
