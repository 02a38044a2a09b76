import { describe, expect, it, vi } from 'vitest'
import { SetupFlow } from '../../src/core/index.js'
import type { SetupFlowOptions, SetupFlowStatus } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest, MINUTE } from './flow-harness.js'

/** Calls made from inside callbacks and subscribers: they run after the current step, in the order made. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

const openPopups = () => browser.popups.filter(popup => !popup.closed)

const HOUR = 60 * 60_000

describe('start() and cancel() from callbacks', () => {
  it('start() from one onStatusChange and cancel() from a later one leave the flow cancelled, not pending', async () => {
    const statuses: SetupFlowStatus[] = []
    let restarted = false
    const flow: SetupFlow = makeFlow({
      onStatusChange: status => {
        statuses.push(status)
        if (status === 'completed' && !restarted) {
          restarted = true
          flow.start()
        } else if (restarted && status === 'creating') {
          flow.cancel()
        }
      },
      onConnected: () => flow.start(),
    }).flow
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    backend.complete()
    await vi.advanceTimersByTimeAsync(5000)
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(flow.getState().status).not.toBe('pending')
    expect(vi.getTimerCount()).toBe(0)
    expect(openPopups()).toHaveLength(0)
  })

  it('start() then cancel() from inside one onStatusChange: the cancel, made last, wins for good', async () => {
    let startedAgain = false
    const flow: SetupFlow = makeFlow({
      onStatusChange: status => {
        if (status === 'cancelled' && !startedAgain) {
          startedAgain = true
          flow.start()
          flow.cancel()
        }
      },
    }).flow
    flow.start()
    await vi.advanceTimersByTimeAsync(0)
    flow.cancel()
    await vi.advanceTimersByTimeAsync(0)
    expect(flow.getState().status).toBe('cancelled')
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(flow.getState().status).toBe('cancelled')
    expect(backend.count('createSetupSession')).toBe(1)
    expect(openPopups()).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('calls from inside callbacks and subscribers', () => {
  it.each([
    ['cancel() from onStatusChange("pending")', 'cancel', 'pending', 'cancelled'],
    ['reset() from onStatusChange("pending")', 'reset', 'pending', 'idle'],
    ['cancel() from onStatusChange("creating")', 'cancel', 'creating', 'cancelled'],
  ] as const)('%s leaves the flow settled, with nothing scheduled', async (_, method, when, expected) => {
    let flow: SetupFlow | null = null
    const made = makeFlow({ onStatusChange: status => status === when && flow?.[method]() })
    flow = made.flow
    flow.start()
    await flush()
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(flow.getState().status).toBe(expected)
    expect(vi.getTimerCount()).toBe(0)
    expect(backend.count('getSetupSession')).toBe(0)
  })

  it('start() from onEvent after an error starts exactly one new session', async () => {
    let flow: SetupFlow | null = null
    let restarted = false
    const made = makeFlow({
      maxRetries: 0,
      onEvent: event => {
        if (event.type === 'status_changed' && event.status === 'error' && !restarted) {
          restarted = true
          flow?.start()
        }
      },
    })
    flow = made.flow
    backend.failNext('getSetupSession', { status: 500 }, 1)
    flow.start()
    await vi.advanceTimersByTimeAsync(2000)
    expect(backend.count('createSetupSession')).toBe(2)
    expect(flow.getState().status).toBe('pending')
    flow.cancel()
  })

  it('a subscriber that resets on completion, and one that throws, leave the flow idle and the others told', async () => {
    const { flow, onConnected } = makeFlow()
    const seen: string[] = []
    const errors: unknown[] = []
    const onUnhandled = (error: unknown) => errors.push(error)
    process.on('uncaughtException', onUnhandled)
    flow.subscribe(() => {
      throw new Error('subscriber bug')
    })
    flow.subscribe(() => {
      if (flow.getState().status === 'completed') flow.reset()
    })
    flow.subscribe(() => seen.push(flow.getState().status))
    flow.start()
    await flush()
    backend.complete()
    await vi.advanceTimersByTimeAsync(5000)
    process.off('uncaughtException', onUnhandled)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(seen).toContain('completed')
    expect(flow.getState().status).toBe('idle')
  })
})

describe('start() while no one is subscribed', () => {
  it('follows the earlier session, watched for a late success, again: its completion connects', async () => {
    const { flow, onConnected } = makeFlow({ timeout: 30_000, watchInterval: 15_000 })
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    await flush()
    const first = backend.lastSession()?.id
    await vi.advanceTimersByTimeAsync(40_000)
    expect(flow.getState().error?.code).toBe('timeout')
    unsubscribe()
    flow.start()
    await flush()
    expect(flow.getState().status).toBe('pending')
    const authConfigId = backend.complete(first as string)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ id: first }))
    expect(flow.getState().status).toBe('completed')
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('from inside onStatusChange after the last subscriber left mid-create: the new session is followed to its end', async () => {
    let calls = 0
    const flow: SetupFlow = makeFlow({
      onStatusChange: () => {
        calls++
        if (calls === 2) flow.start()
        if (calls === 5) flow.cancel()
      },
    }).flow
    const unsubscribe = flow.subscribe(() => {})
    flow.start()
    unsubscribe()
    expect(flow.getState().status).toBe('creating')
    await flush()
    expect(flow.getState().status).toBe('pending')
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(calls).toBe(5)
    expect(flow.getState().status).toBe('expired')
    expect(vi.getTimerCount()).toBe(0)
    expect(openPopups()).toHaveLength(0)
  })
})
