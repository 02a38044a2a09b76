/** What the flow tests share: a flow over the fake browser and a mock backend, with its callbacks recorded. */
import { afterEach, beforeEach, vi } from 'vitest'
import { createConnectClient, SetupFlow } from '../../src/core/index.js'
import type { ConnectBackend, SetupFlowEvent, SetupFlowOptions, SetupSession } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'
import type { FakeBrowser } from '../fake-environment.js'

export const MINUTE = 60_000
export const DAY = 24 * 60 * MINUTE

/** A new fake browser and mock backend for every test, on fake timers: `set` receives them. */
export function freshEachTest(set: (fresh: { browser: FakeBrowser; backend: MockBackend }) => void): void {
  beforeEach(() => {
    vi.useFakeTimers()
    set({ browser: createFakeBrowser(), backend: createMockBackend() })
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}

/** A flow for `providerId: 'slack'` with a client of its own (no cross-tab channel), every callback a spy. */
export function flowFor(browser: FakeBrowser, backend: ConnectBackend, options: Partial<SetupFlowOptions> = {}) {
  const onConnected = vi.fn()
  const onError = vi.fn()
  const onStatusChange = vi.fn()
  const events: SetupFlowEvent[] = []
  const flow = new SetupFlow({
    backend,
    providerId: 'slack',
    providerName: 'Slack',
    environment: browser.environment,
    client: createConnectClient({ environment: { openChannel: () => null } }),
    onConnected,
    onError,
    onStatusChange,
    onEvent: event => events.push(event),
    ...options,
  })
  const statuses = () => onStatusChange.mock.calls.map(([status]) => status as string)
  return { flow, onConnected, onError, onStatusChange, events, statuses }
}

/** A pending session of ours (`ss_mine`, no expiry), as a backend that never changes it would answer; `over` changes any field. */
export const pendingSession = (over: Partial<SetupSession> = {}): SetupSession =>
  ({
    id: 'ss_mine',
    status: 'pending',
    url: 'https://consent.example.com/ss_mine',
    expiresAt: null,
    ...over,
  }) as SetupSession

/** A backend that answers `session` to every create and read, whatever else happens. */
export function alwaysAnswering(session: SetupSession): ConnectBackend {
  return {
    createSetupSession: async () => session,
    getSetupSession: async () => session,
    listConnections: async () => [],
    removeConnection: async () => {},
  }
}

/** Lets the create call (and anything else queued) run. */
export const flush = () => vi.advanceTimersByTimeAsync(0)

export const never = <T,>() => new Promise<T>(() => {})

/** A backend whose only session is `pas_1` (as a fresh test server or a second tenant would hand out). */
export function singleSession() {
  let session: SetupSession = { id: 'pas_1', status: 'pending', url: 'https://consent.example.com/1', expiresAt: new Date(Date.now() + 40 * 60_000).toISOString() }
  let reads = 0
  const backend: ConnectBackend = {
    createSetupSession: async () => session,
    getSetupSession: async () => {
      reads++
      return session
    },
    listConnections: async () => [],
    removeConnection: async () => {},
  }
  return {
    backend,
    complete: () => (session = { ...session, status: 'completed', authConfig: { id: 'ac_1' } }),
    get reads() {
      return reads
    },
  }
}

export type { MockBackend }
