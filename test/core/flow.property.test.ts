import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectError, SetupFlow, isFinalStatus } from '../../src/core/index.js'
import type { ConnectBackend, FlowEnvironment, SetupSession } from '../../src/core/index.js'
import { createFakeBrowser } from '../fake-environment.js'

/**
 * Random interleavings of backend answers, user actions, popup events, wake-ups and time, checked
 * against what a user relies on. fast-check prints the failing seed and the shrunk command list.
 */

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? (process.env.CI ? 5000 : 300))
const LIFETIME = 10 * 60_000

type Fault = 'network' | 'http500' | 'http429' | 'never' | 'other_id' | 'html'
type Command =
  | { kind: 'advance'; ms: number }
  | { kind: 'start' }
  | { kind: 'cancel' }
  | { kind: 'reset' }
  | { kind: 'complete'; withAuth: boolean }
  | { kind: 'fail' }
  | { kind: 'fault'; fault: Fault }
  | { kind: 'wake' }
  | { kind: 'closePopup' }
  | { kind: 'hide'; hidden: boolean }
  /** The component unmounts and mounts again (the flow loses and regains its only subscriber). */
  | { kind: 'remount' }
  /** The next call of `callback` calls these methods from inside it, in order. */
  | { kind: 'reenter'; callback: Callback; methods: Method[] }
  /** The `nth` call of `callback` since the flow was made calls these methods from inside it, in order. */
  | { kind: 'reenterAt'; callback: Callback; nth: number; methods: Method[] }
  /** The last subscriber leaves (the component unmounts), then the app calls `check()`. */
  | { kind: 'unsubscribeCheck' }
  | { kind: 'subscribe' }
  /** The browser restores the page from its back-forward cache (redirect mode: Back from the consent page). */
  | { kind: 'restore' }

type Method = 'cancel' | 'reset' | 'start' | 'check'
type Callback = 'onStatusChange' | 'onEvent' | 'onConnected' | 'onError' | 'subscriber'
const methods = fc.constantFrom<Method>('cancel', 'reset', 'start', 'check')

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 120_000 }).map(ms => ({ kind: 'advance', ms }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'start' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' } as const) },
  { weight: 2, arbitrary: fc.boolean().map(withAuth => ({ kind: 'complete', withAuth }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fail' } as const) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Fault>('network', 'http500', 'http429', 'never', 'other_id', 'html').map(fault => ({ kind: 'fault', fault }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'wake' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'closePopup' } as const) },
  { weight: 1, arbitrary: fc.boolean().map(hidden => ({ kind: 'hide', hidden }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'remount' } as const) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        callback: fc.constantFrom<Callback>('onStatusChange', 'onEvent', 'onConnected', 'onError', 'subscriber'),
        // Pairs like start() then cancel() are what left flows pending and popups open.
        methods: fc.oneof(fc.array(methods, { minLength: 1, maxLength: 2 }), fc.constant<Method[]>(['start', 'cancel']), fc.constant<Method[]>(['cancel', 'start'])),
      })
      .map(({ callback, methods }) => ({ kind: 'reenter', callback, methods }) as const),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        callback: fc.constantFrom<Callback>('onStatusChange', 'onEvent', 'onConnected', 'onError', 'subscriber'),
        nth: fc.integer({ min: 1, max: 8 }),
        methods: fc.array(methods, { minLength: 1, maxLength: 2 }),
      })
      .map(plan => ({ kind: 'reenterAt', ...plan }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'unsubscribeCheck' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'subscribe' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' } as const) },
)

interface ServerSession {
  session: SetupSession
  expiresAtMs: number
  /** How many starts the user had made when this session was created. */
  start: number
}

// Session ids unique across runs: reusing an id across flows is its own test (client isolation).
let runs = 0

function scriptedBackend(starts: () => number) {
  const run = ++runs
  const sessions = new Map<string, ServerSession>()
  const faults: Fault[] = []
  let next = 0
  /** Reads neither answered nor abandoned (their signal aborted) by the flow. */
  let inFlight = 0
  let reads = 0
  const track = <T,>(signal: AbortSignal, answer: Promise<T>): Promise<T> => {
    inFlight++
    let open = true
    const close = () => {
      if (open) inFlight--
      open = false
    }
    signal.addEventListener('abort', close, { once: true })
    return answer.finally(close)
  }
  const backend: ConnectBackend = {
    createSetupSession: async () => {
      const id = `pas_${run}_${++next}`
      const expiresAtMs = Date.now() + LIFETIME
      const session: SetupSession = { id, status: 'pending', url: `https://consent.example.com/${id}`, expiresAt: new Date(expiresAtMs).toISOString() }
      sessions.set(id, { session, expiresAtMs, start: starts() })
      return session
    },
    getSetupSession: (id, { signal }) => (reads++, track(signal, read(id))),
    listConnections: async () => [],
    removeConnection: async () => {},
  }
  async function read(id: string): Promise<SetupSession> {
      const fault = faults.shift()
      const entry = sessions.get(id)
      if (!entry) throw new ConnectError('http', 'not found', { status: 404 })
      switch (fault) {
        case 'network':
          throw new TypeError('Failed to fetch')
        case 'http500':
          throw new ConnectError('http', 'oops', { status: 500 })
        case 'http429':
          throw new ConnectError('http', 'slow down', { status: 429, retryAfterMs: 5_000 })
        case 'never':
          return new Promise<SetupSession>(() => {})
        case 'other_id':
          return { ...entry.session, id: 'pas_someone_else', status: 'completed', authConfig: { id: 'ac_stolen' } }
        case 'html':
          return '<!doctype html>' as unknown as SetupSession
        case undefined:
          return entry.session
      }
  }
  return {
    backend,
    sessions,
    faults,
    get inFlight() {
      return inFlight
    },
    get reads() {
      return reads
    },
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('SetupFlow under random interleavings', () => {
  it('keeps its promises to the user', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'popup' | 'redirect'>('popup', 'redirect'), fc.array(command, { minLength: 1, maxLength: 40 }), async (mode, commands) => {
        vi.clearAllTimers()
        const browser = createFakeBrowser()
        const restoreListeners = new Set<() => void>()
        const environment: Partial<FlowEnvironment> = {
          ...browser.environment,
          onPageRestore: listener => {
            restoreListeners.add(listener)
            return () => restoreListeners.delete(listener)
          },
        }
        const restore = () => {
          for (const listener of [...restoreListeners]) listener()
        }
        let starts = 0
        /** Sessions of starts up to this one were cancelled or reset by the user. */
        let cancelledUpTo = 0
        const server = scriptedBackend(() => starts)
        const connected: string[] = []
        const completedAuth = new Map<string, string>()
        const unhandled: unknown[] = []
        const onUnhandled = (reason: unknown) => unhandled.push(reason)
        process.on('unhandledRejection', onUnhandled)
        const plans = new Map<Callback, Method[]>()
        let flow: SetupFlow | null = null
        /** The user's own calls: what the invariants below hold the flow to. */
        const call = (method: Method) => {
          if (method === 'cancel' || method === 'reset') cancelledUpTo = starts
          if (method === 'start') starts++
          flow?.[method]()
        }
        const callCounts = new Map<Callback, number>()
        const plansAt = new Map<string, Method[]>()
        const reenter = (callback: Callback) => {
          const nth = (callCounts.get(callback) ?? 0) + 1
          callCounts.set(callback, nth)
          const planned = [...(plans.get(callback) ?? []), ...(plansAt.get(`${callback}#${nth}`) ?? [])]
          plans.delete(callback)
          for (const method of planned) call(method)
        }
        flow = new SetupFlow({
          backend: server.backend,
          providerId: 'slack',
          mode,
          environment,
          onConnected: authConfigId => {
            connected.push(authConfigId)
            reenter('onConnected')
          },
          onError: () => reenter('onError'),
          onEvent: () => reenter('onEvent'),
          onStatusChange: () => reenter('onStatusChange'),
        })
        const subscriber = () => reenter('subscriber')
        let unsubscribe: (() => void) | null = flow.subscribe(subscriber)
        const latest = () => [...server.sessions.values()].at(-1)
        let startsSinceFinal = true
        let navigationsAtRestore = 0

        for (const cmd of commands) {
          const before = flow.getState().status
          const readsBefore = server.reads
          let paused = false
          switch (cmd.kind) {
            case 'advance':
              await vi.advanceTimersByTimeAsync(cmd.ms)
              break
            case 'start':
              startsSinceFinal = true
              call('start')
              break
            case 'cancel':
            case 'reset':
              call(cmd.kind)
              break
            case 'remount':
              unsubscribe?.()
              unsubscribe = flow.subscribe(subscriber)
              break
            case 'unsubscribeCheck':
              paused = unsubscribe !== null
              unsubscribe?.()
              unsubscribe = null
              flow.check()
              break
            case 'subscribe':
              unsubscribe ??= flow.subscribe(subscriber)
              break
            case 'reenter':
              plans.set(cmd.callback, cmd.methods)
              break
            case 'reenterAt':
              plansAt.set(`${cmd.callback}#${cmd.nth}`, cmd.methods)
              break
            case 'restore':
              // Without a subscriber the flow does not hear the restore: the page stays away for it.
              if (unsubscribe) navigationsAtRestore = browser.navigate.mock.calls.length
              restore()
              break
            case 'complete': {
              const entry = latest()
              if (entry && entry.session.status === 'pending' && Date.now() < entry.expiresAtMs) {
                const authConfigId = `ac_${entry.session.id}`
                entry.session = cmd.withAuth
                  ? { ...entry.session, status: 'completed', authConfig: { id: authConfigId } }
                  : { ...entry.session, status: 'completed', authConfig: null }
                if (cmd.withAuth) completedAuth.set(entry.session.id, authConfigId)
              }
              break
            }
            case 'fail': {
              const entry = latest()
              if (entry && entry.session.status === 'pending') entry.session = { ...entry.session, status: 'failed' }
              break
            }
            case 'fault':
              server.faults.push(cmd.fault)
              break
            case 'wake':
              browser.wake('focus')
              break
            case 'closePopup':
              browser.popup?.close()
              break
            case 'hide':
              browser.state.hidden = cmd.hidden
              if (!cmd.hidden) browser.wake('visible')
              break
          }
          await vi.advanceTimersByTimeAsync(0)
          // Once the last subscriber left, check() revives nothing: no read goes out.
          expect(paused ? server.reads : readsBefore).toBe(readsBefore)
          // A final status stays final until the user starts again (or resets).
          const mayChange = !isFinalStatus(before) || cmd.kind === 'start' || cmd.kind === 'reset' || before === 'cancelled' || before === 'error'
          expect(mayChange || flow.getState().status === before || startsSinceFinal || cmd.kind === 'reenter' || cmd.kind === 'reenterAt').toBe(true)
          startsSinceFinal = false
          // A flow at work always has something under way that will move it on: a timer or a read. Only
          // nobody subscribed, or a page away on the consent page (redirect mode), may wait with nothing.
          const { status } = flow.getState()
          const away = browser.navigate.mock.calls.length > navigationsAtRestore
          const idleAllowed = status !== 'creating' && status !== 'pending'
          expect(idleAllowed || unsubscribe === null || away || vi.getTimerCount() > 0 || server.inFlight > 0).toBe(true)
        }

        // The user comes back to the page and stays: every watcher, retry and deadline runs out.
        plans.clear()
        plansAt.clear()
        unsubscribe ??= flow.subscribe(subscriber)
        browser.state.hidden = false
        restore()
        await vi.advanceTimersByTimeAsync(2 * LIFETIME + 60 * 60_000)

        // onConnected: at most once per session, only for a session the backend completed with an auth config.
        expect(new Set(connected).size).toBe(connected.length)
        for (const authConfigId of connected) expect([...completedAuth.values()]).toContain(authConfigId)
        expect(connected).not.toContain('ac_stolen')
        // No success lost unless the user cancelled or reset after the session began.
        const owed = [...completedAuth].filter(([id]) => server.sessions.get(id)!.start > cancelledUpTo).map(([, authConfigId]) => authConfigId)
        expect(connected).toEqual(expect.arrayContaining(owed))
        // Every session is over: nothing left scheduled, in flight or open, and nothing thrown unhandled.
        expect(isFinalStatus(flow.getState().status) || flow.getState().status === 'idle').toBe(true)
        expect(vi.getTimerCount()).toBe(0)
        expect(server.inFlight).toBe(0)
        expect(browser.popups.filter(popup => !popup.closed)).toEqual([])
        unsubscribe()
        await vi.advanceTimersByTimeAsync(0)
        process.off('unhandledRejection', onUnhandled)
        expect(unhandled).toEqual([])
      }),
      { numRuns: NUM_RUNS, verbose: 1 },
    )
  }, 300_000)
})
