import { useCallback, useMemo } from 'react'
import useSWR from 'swr'
import type { KeyedMutator, SWRConfiguration } from 'swr'
import { getDefaultConnectClient } from '../core/client.js'
import { toConnectError } from '../core/errors.js'
import type { ConnectError } from '../core/errors.js'
import { parseProviderList } from '../core/backend/providers.js'
import type { ProviderInfo } from '../core/backend/providers.js'
import type { ConnectBackend } from '../core/types.js'
import { useConnectContext } from './context.js'

/** The first element of the catalogue's SWR key, for `mutate(key => …)` filters. */
export const PROVIDERS_KEY = 'react-provider-connect:providers'

export interface UseProvidersOptions {
  /** Overrides the `ConnectProvider`'s backend (and gets a cache of its own). Defaults to the provider's. */
  backend?: ConnectBackend
  /** `false` fetches nothing (SWR's conditional fetching). Defaults to `true`. */
  enabled?: boolean
  /** Passed to `useSWR`, after the `SWRConfig` around it. Defaults to none. */
  swr?: SWRConfiguration<ProviderInfo[], ConnectError>
}

export interface UseProvidersResult {
  /** The providers the backend offers; `undefined` until the first answer. */
  providers: ProviderInfo[] | undefined
  /** Why the last load failed; stale `providers` stay meanwhile. */
  error: ConnectError | undefined
  /** True during the first load. */
  isLoading: boolean
  /** True during any load. */
  isValidating: boolean
  /** SWR's bound mutate: `mutate()` reloads. */
  mutate: KeyedMutator<ProviderInfo[]>
  /** False when the backend has no `listProviders` (a custom backend without a catalogue): nothing is fetched. */
  supported: boolean
}

/**
 * The catalogue of providers the app's backend offers (`GET {endpoint}/providers`), cached by SWR
 * under the same scope as `useConnections`: one request however many components ask, never shared
 * between two `ConnectProvider`s or backends. The server caches it too, and says for how long.
 */
export function useProviders(options: UseProvidersOptions = {}): UseProvidersResult {
  const context = useConnectContext()
  if (!options.backend && !context) throw new Error('`useProviders` must be used within <ConnectProvider endpoint="/api/connect">.')
  const backend = (options.backend ?? context?.backend) as ConnectBackend
  const client = context?.client ?? getDefaultConnectClient()
  const supported = typeof backend.listProviders === 'function'
  const enabled = supported && options.enabled !== false
  const key = useMemo(() => {
    const [, scope, id] = client.connectionsKey(backend)
    return enabled ? ([PROVIDERS_KEY, scope, id] as const) : null
  }, [client, backend, enabled])

  const fetcher = useCallback(async () => {
    const signal = new AbortController().signal
    try {
      return parseProviderList(await (backend.listProviders as NonNullable<ConnectBackend['listProviders']>)({ signal }))
    } catch (error) {
      throw toConnectError(error, signal)
    }
  }, [backend])

  const swr = useSWR<ProviderInfo[], ConnectError>(key, fetcher, options.swr)
  return {
    providers: swr.data,
    error: swr.error,
    isLoading: swr.isLoading,
    isValidating: swr.isValidating,
    mutate: swr.mutate,
    supported,
  }
}
