import { useCallback, useEffect, useMemo, useState } from 'react'
import useSWR, { unstable_serialize, useSWRConfig } from 'swr'
import type { KeyedMutator, SWRConfiguration } from 'swr'
import { notifyConnectionsChanged, subscribeConnectionsChanged } from '../core/connections-events.js'
import { createBrowserEnvironment } from '../core/environment.js'
import type { FlowEnvironment } from '../core/environment.js'
import { toConnectError } from '../core/errors.js'
import type { ConnectError } from '../core/errors.js'
import { parseConnectionList } from '../core/normalize.js'
import type { ConnectBackend, Connection } from '../core/types.js'
import { useConnectContext } from './context.js'

/** The first element of every SWR key this library uses, for `mutate(key => …)` filters. */
export const CONNECTIONS_KEY = 'react-provider-connect:connections'

export interface UseConnectionsOptions {
  /** Overrides the `ConnectProvider`'s backend (and gets a cache of its own). Defaults to the provider's. */
  backend?: ConnectBackend
  /**
   * Passed to `useSWR` (`refreshInterval`, `revalidateOnFocus`, `fallbackData`, `onSuccess` …), after
   * the `SWRConfig` around it. Defaults to none.
   */
  swr?: SWRConfiguration<Connection[], ConnectError>
}

/** The last disconnect the backend refused; the connection is back in `connections`. */
export interface DisconnectFailure {
  authConfigId: string
  error: ConnectError
}

export interface UseConnectionsResult {
  /** The user's connections; `undefined` until the first answer. */
  connections: Connection[] | undefined
  /** Why the last load failed; stale `connections` stay shown meanwhile. */
  error: ConnectError | undefined
  /** True during the first load (no data yet). */
  isLoading: boolean
  /** True during any load, first or later. */
  isValidating: boolean
  /** SWR's bound mutate: `mutate()` reloads, `mutate(data)` replaces. */
  mutate: KeyedMutator<Connection[]>
  /**
   * Removes a connection: it leaves `connections` at once, and comes back (with `disconnectError`
   * set) if the backend refuses. A 404 counts as removed (it was already gone). Other tabs are
   * told. Resolves with `null` once removed, or the error; never rejects.
   */
  disconnect: (authConfigId: string) => Promise<ConnectError | null>
  /** The last refused disconnect of this hook; cleared by the next `disconnect`. */
  disconnectError: DisconnectFailure | null
}

const backendIds = new WeakMap<ConnectBackend, number>()
let nextBackendId = 0

/** Two backends never share cached connections, even under one `ConnectProvider` (via `backend` override). */
function backendId(backend: ConnectBackend): number {
  let id = backendIds.get(backend)
  if (id === undefined) backendIds.set(backend, (id = ++nextBackendId))
  return id
}

interface SharedSubscription {
  count: number
  stop: () => void
}
/**
 * One "connections changed" subscription per SWR cache and key, however many components use the
 * hook: `mutate()` never dedupes, so one listener per component would send one request each.
 */
const subscriptions = new WeakMap<object, Map<string, SharedSubscription>>()

function useRevalidateOnChange(cache: object, key: readonly unknown[], environment: FlowEnvironment) {
  const { mutate } = useSWRConfig()
  const serialized = unstable_serialize(key)
  useEffect(() => {
    let byKey = subscriptions.get(cache)
    if (!byKey) subscriptions.set(cache, (byKey = new Map()))
    let entry = byKey.get(serialized)
    if (!entry) {
      entry = { count: 0, stop: subscribeConnectionsChanged(environment, () => void mutate(key)) }
      byKey.set(serialized, entry)
    }
    entry.count++
    const current = entry
    const map = byKey
    return () => {
      current.count--
      if (current.count === 0) {
        current.stop()
        map.delete(serialized)
      }
    }
  }, [cache, serialized, key, environment, mutate])
}

/**
 * The user's connections, over the contract's `GET connections` and `DELETE connections/{id}`,
 * cached by SWR: one request however many components call it, revalidated when a connect flow
 * completes or a connection is removed (in this tab or another).
 */
export function useConnections(options: UseConnectionsOptions = {}): UseConnectionsResult {
  const context = useConnectContext()
  if (!options.backend && !context) throw new Error('`useConnections` must be used within <ConnectProvider endpoint="/api/connect">.')
  const backend = (options.backend ?? context?.backend) as ConnectBackend
  const contextEnvironment = context?.environment
  const environment = useMemo(() => createBrowserEnvironment(contextEnvironment), [contextEnvironment])
  const scope = context?.scope ?? ''
  const key = useMemo(() => [CONNECTIONS_KEY, scope, backendId(backend)] as const, [scope, backend])
  const { cache } = useSWRConfig()

  const fetcher = useCallback(async () => {
    const signal = new AbortController().signal
    try {
      // Custom backends may answer snake_case or a `{ items }` envelope, like the HTTP one.
      return parseConnectionList(await backend.listConnections({ signal }))
    } catch (error) {
      throw toConnectError(error, signal)
    }
  }, [backend])

  const swr = useSWR<Connection[], ConnectError>(key, fetcher, options.swr)
  useRevalidateOnChange(cache, key, environment)

  const [disconnectError, setDisconnectError] = useState<DisconnectFailure | null>(null)
  const { mutate } = swr

  const disconnect = useCallback(
    async (authConfigId: string): Promise<ConnectError | null> => {
      setDisconnectError(null)
      const without = (list: Connection[] | undefined) => (list ?? []).filter(item => item.id !== authConfigId)
      const signal = new AbortController().signal
      try {
        await mutate(
          async () => {
            try {
              await backend.removeConnection(authConfigId, { signal })
            } catch (error) {
              const failure = toConnectError(error, signal)
              // Already gone (another tab, another device): what the user asked for is true.
              if (failure.code !== 'http' || failure.status !== 404) throw failure
            }
            return undefined
          },
          {
            optimisticData: current => without(current),
            populateCache: (_, current) => without(current),
            rollbackOnError: true,
            // The notification below revalidates, here and in other tabs.
            revalidate: false,
            throwOnError: true,
          },
        )
      } catch (error) {
        const failure = toConnectError(error, signal)
        setDisconnectError({ authConfigId, error: failure })
        // The refusal may mean someone else changed it: ask for the truth.
        void mutate()
        return failure
      }
      notifyConnectionsChanged(environment)
      return null
    },
    [backend, environment, mutate],
  )

  return {
    connections: swr.data,
    error: swr.error,
    isLoading: swr.isLoading,
    isValidating: swr.isValidating,
    mutate,
    disconnect,
    disconnectError,
  }
}
