import { useCallback, useEffect, useMemo, useState } from 'react'
import useSWR, { unstable_serialize, useSWRConfig } from 'swr'
import type { KeyedMutator, SWRConfiguration } from 'swr'
import { getDefaultConnectClient } from '../core/client.js'
import type { ConnectClient } from '../core/client.js'
import { CONNECTIONS_KEY } from '../core/protocol.js'
import { ConnectError, toConnectError } from '../core/errors.js'
import { parseConnection, parseConnectionList } from '../core/backend/normalize.js'
import type { ConnectBackend, Connection } from '../core/types.js'
import { useConnectContext } from './context.js'

export { CONNECTIONS_KEY }

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
  /**
   * Renames a connection (the backend's `renameConnection`: `PATCH {endpoint}/connections/{id}`):
   * resolves with the renamed connection, already in `connections`, then reloads the list here and
   * in other tabs. Rejects with the `ConnectError` (a `400` with `backendCode: 'invalid_name'` for a
   * name the server refuses: 1 to 100 characters once trimmed), or `invalid_options` when the
   * backend has no `renameConnection`. The name is sent as given: the server trims it.
   */
  rename: (authConfigId: string, name: string) => Promise<Connection>
}

/**
 * Reloads the list when the user's connections change (a flow completed, a connection was removed,
 * here or in another tab): one reload however many components show the list.
 */
function useRevalidateOnChange(client: ConnectClient, key: readonly unknown[]) {
  const { mutate } = useSWRConfig()
  const serialized = unstable_serialize(key)
  useEffect(() => client.subscribeConnectionsChanged(() => void mutate(key), serialized), [client, serialized, key, mutate])
}

/**
 * The user's connections, over the contract's `GET connections`, `DELETE connections/{id}` and
 * `PATCH connections/{id}`, cached by SWR: one request however many components call it,
 * revalidated when a connect flow completes or a connection is removed or renamed (in this tab or
 * another).
 */
export function useConnections(options: UseConnectionsOptions = {}): UseConnectionsResult {
  const context = useConnectContext()
  if (!options.backend && !context) throw new Error('`useConnections` must be used within <ConnectProvider endpoint="/api/connect">.')
  const backend = (options.backend ?? context?.backend) as ConnectBackend
  const client = context?.client ?? getDefaultConnectClient()
  const key = useMemo(() => client.connectionsKey(backend), [client, backend])

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
  useRevalidateOnChange(client, key)

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
      client.notifyConnectionsChanged({ removed: authConfigId })
      return null
    },
    [backend, client, mutate],
  )

  const rename = useCallback(
    async (authConfigId: string, name: string): Promise<Connection> => {
      if (!backend.renameConnection) throw new ConnectError('invalid_options', 'This backend cannot rename connections: give it a `renameConnection`.')
      const signal = new AbortController().signal
      let renamed: Connection
      try {
        renamed = parseConnection(await backend.renameConnection(authConfigId, name, { signal }))
      } catch (error) {
        throw toConnectError(error, signal)
      }
      await mutate(current => current?.map(item => (item.id === renamed.id ? renamed : item)), { revalidate: false })
      // Reloads this list (the server may have changed more than the name) and the other tabs'.
      client.notifyConnectionsChanged()
      return renamed
    },
    [backend, client, mutate],
  )

  return {
    connections: swr.data,
    error: swr.error,
    isLoading: swr.isLoading,
    isValidating: swr.isValidating,
    mutate,
    disconnect,
    disconnectError,
    rename,
  }
}
