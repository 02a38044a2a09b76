/**
 * What the flows, buttons and lists of one provider tree share: which completions were already
 * handed to the app, and "the user's connections changed" (here and in the app's other tabs).
 * One per `ConnectProvider`; a fresh one per test, as with TanStack Query's `QueryClient`.
 */
import { createBrowserEnvironment } from './browser/environment.js'
import type { FlowEnvironment } from './browser/environment.js'
import { CHANNEL_NAME, CONNECTIONS_CHANGED_TYPE, CONNECTIONS_KEY } from './protocol.js'
import type { ConnectBackend } from './types.js'

/** What changed in the user's connections. */
export interface ConnectionsChange {
  /** The connection (auth config id) that was removed, when that is what happened. */
  removed?: string
}

export interface ConnectClientOptions {
  /** The `BroadcastChannel` factory that reaches the app's other tabs. Defaults to the browser's. */
  environment?: Partial<Pick<FlowEnvironment, 'openChannel'>>
}

export interface ConnectClient {
  /** Unique per client: part of the connections cache key, so two clients never share data. */
  readonly id: string
  /**
   * True the first time it is called for `sessionId` on this client: however many flows, channels
   * or remounts observe one completed session, `onConnected` fires once.
   */
  claimCompletion(sessionId: string): boolean
  /** True once `claimCompletion(sessionId)` was called on this client (and the session not created again since). */
  isClaimed(sessionId: string): boolean
  /** The backend just created session `sessionId`: an older completion under that id was another session. */
  sessionCreated(sessionId: string): void
  /**
   * The cache key of `backend`'s connections list (`useConnections`' SWR key): two clients, or two
   * backends, never share one.
   */
  connectionsKey(backend: ConnectBackend): readonly [typeof CONNECTIONS_KEY, string, number]
  /**
   * Tells this client's listeners, and other tabs, that the user's connections changed. Other tabs
   * are reached through `via` (a flow's own environment) or else the client's.
   */
  notifyConnectionsChanged(change?: ConnectionsChange, via?: Partial<Pick<FlowEnvironment, 'openChannel'>>): void
  /**
   * Hears `notifyConnectionsChanged` from this client and from other tabs. Listeners given the same
   * `key` do the same work (e.g. reload one list), so only one of them is told per change.
   * Returns the unsubscribe.
   */
  subscribeConnectionsChanged(listener: (change: ConnectionsChange) => void, key?: string): () => void
  /** Forgets every completion (for tests that reuse one client). */
  clear(): void
}

interface ChangeMessage {
  type: typeof CONNECTIONS_CHANGED_TYPE
  source: string
  removed?: string
}

/** Creates a client. `ConnectProvider` makes one for its tree unless given `client`. */
export function createConnectClient(options: ConnectClientOptions = {}): ConnectClient {
  const openChannel = options.environment?.openChannel ?? createBrowserEnvironment().openChannel
  const id = Math.random().toString(36).slice(2)
  const claimed = new Set<string>()
  const listeners = new Set<{ listener: (change: ConnectionsChange) => void; key: string | undefined }>()
  const backends = new WeakMap<ConnectBackend, number>()
  let backendCount = 0
  let channel: ReturnType<FlowEnvironment['openChannel']> = null

  const tell = (change: ConnectionsChange) => {
    const told = new Set<string>()
    for (const { listener, key } of [...listeners]) {
      if (key !== undefined && told.has(key)) continue
      if (key !== undefined) told.add(key)
      listener(change)
    }
  }
  const onMessage = (event: { data: unknown }) => {
    const data = event.data as Partial<ChangeMessage> | null
    if (data?.type !== CONNECTIONS_CHANGED_TYPE || data.source === id) return
    tell(typeof data.removed === 'string' ? { removed: data.removed } : {})
  }

  return {
    id,
    claimCompletion(sessionId) {
      if (claimed.has(sessionId)) return false
      claimed.add(sessionId)
      return true
    },
    isClaimed(sessionId) {
      return claimed.has(sessionId)
    },
    sessionCreated(sessionId) {
      claimed.delete(sessionId)
    },
    connectionsKey(backend) {
      let number = backends.get(backend)
      if (number === undefined) backends.set(backend, (number = ++backendCount))
      return [CONNECTIONS_KEY, id, number] as const
    },
    notifyConnectionsChanged(change = {}, via) {
      tell(change)
      const outgoing = (via?.openChannel ?? openChannel)(CHANNEL_NAME)
      if (!outgoing) return
      try {
        const message: ChangeMessage = { type: CONNECTIONS_CHANGED_TYPE, source: id, ...change }
        outgoing.postMessage(message)
      } finally {
        outgoing.close()
      }
    },
    subscribeConnectionsChanged(listener, key) {
      const entry = { listener, key }
      listeners.add(entry)
      if (listeners.size === 1) {
        channel = openChannel(CHANNEL_NAME)
        channel?.addEventListener('message', onMessage)
      }
      return () => {
        if (!listeners.delete(entry) || listeners.size > 0) return
        channel?.removeEventListener('message', onMessage)
        channel?.close()
        channel = null
      }
    },
    clear() {
      claimed.clear()
    },
  }
}

let defaultClient: ConnectClient | undefined

/**
 * The page-wide client of flows created without one (`createSetupFlow(options)`,
 * `waitForSetupSession`), as SWR's default cache: created on first use.
 */
export function getDefaultConnectClient(): ConnectClient {
  return (defaultClient ??= createConnectClient())
}
