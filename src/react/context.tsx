import { createContext, useContext, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { createConnectClient } from '../core/client.js'
import type { ConnectClient } from '../core/client.js'
import { createHttpBackend } from '../core/backend/http-backend.js'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'
import { latestValue } from './latest-value.js'
import type { HeadersInput } from '../core/backend/http-backend.js'
import type { FlowEnvironment } from '../core/browser/environment.js'
import type { ConnectBackend, SetupMode } from '../core/types.js'
import type { Locale } from '../locales/locale.js'
import { matchLocale } from '../locales/match.js'

export interface ConnectProviderProps {
  /** Where the app's backend serves the contract, e.g. `'/api/connect'`. Either this or `backend` is required. */
  endpoint?: string
  /** Headers for every request (a CSRF token…); a function is called per request. Defaults to none. */
  headers?: HeadersInput
  /** The fetch to use. Defaults to the global `fetch`. */
  fetch?: typeof fetch
  /** `fetch`'s `credentials`. Defaults to `'same-origin'`. */
  credentials?: RequestCredentials
  /**
   * The four operations as functions (tRPC, GraphQL, server actions), instead of `endpoint`. Keep it
   * stable (module level or `useMemo`): a new object is a new backend, with a cache of its own.
   */
  backend?: ConnectBackend
  /** Default `redirectUrl` of every flow below: a page that calls `completeSetupSession()`. Defaults to none. */
  redirectUrl?: string
  /** Default `mode` of every flow below. Defaults to `'popup'`. */
  mode?: SetupMode
  /** Replaces parts of the browser for every flow below (tests, unusual hosts). Defaults to the real browser. */
  environment?: Partial<FlowEnvironment>
  /**
   * Shares completions and "connections changed" between every button, hook and list below, and
   * keys their cache. Pass one from `createConnectClient()` to reach it from outside React (or a
   * fresh one per test). Defaults to a client of this provider's own.
   */
  client?: ConnectClient
  /**
   * The language of every button, list, dialog and popup placeholder below, and of their error
   * text: one `Locale` from `react-provider-connect/locales`, or several to follow the browser
   * (the first whose tag, else whose language, matches `navigator.languages`, else the first).
   * With several, the server and the first client render use the first, and the browser's choice
   * applies before the first paint after hydration. `labels` still override single strings.
   * Defaults to none: the built-in English, with the error's own `message`.
   */
  locale?: Locale | readonly Locale[]
  children?: ReactNode
}

export interface ConnectContextValue {
  backend: ConnectBackend
  /** Unique per provider: completions, change events and the connections cache key. */
  client: ConnectClient
  redirectUrl: string | undefined
  mode: SetupMode | undefined
  environment: Partial<FlowEnvironment> | undefined
  /** The language in use, when the provider was given one. */
  locale: Locale | undefined
}

function namedContext<T>(name: string) {
  const context = createContext<T | null>(null)
  context.displayName = name
  return context
}

// Pure, so a host bundle that imports nothing from here drops it (and what only it needs).
const ConnectContext = /* @__PURE__ */ namedContext<ConnectContextValue>('ConnectContext')

/** Tells every connect button, hook and list below where the app's backend is. */
export function ConnectProvider(props: ConnectProviderProps) {
  const { endpoint, fetch, credentials, backend: customBackend, redirectUrl, mode, environment, locale: locales, children } = props
  const [ownClient] = useState(() => createConnectClient({ environment }))
  const client = props.client ?? ownClient
  // Headers and fetch may be new every render (inline objects, arrow functions): read the latest
  // per request instead of rebuilding the backend, which would also reset the connections cache.
  // A holder rather than a ref: React's rules forbid handing a ref to code that render calls.
  const [latest] = useState(() => latestValue({ headers: props.headers, fetch }))
  useIsomorphicLayoutEffect(() => {
    latest.set({ headers: props.headers, fetch })
  })
  const backend = useMemo(() => {
    if (customBackend) return customBackend
    if (!endpoint) {
      throw new Error('<ConnectProvider> needs an `endpoint` (e.g. "/api/connect") or a `backend`.')
    }
    return createHttpBackend({
      endpoint,
      credentials,
      fetch: (input, init) => (latest.get().fetch ?? globalThis.fetch)(input, init),
      headers: () => {
        const value = latest.get().headers
        return typeof value === 'function' ? value() : value
      },
    })
  }, [customBackend, endpoint, credentials, latest])
  const list = locales === undefined || Array.isArray(locales) ? (locales as readonly Locale[] | undefined) : [locales as Locale]
  // The browser's languages are unknown on the server: render the first, then switch once mounted.
  const [browserLocale, setBrowserLocale] = useState<Locale | undefined>()
  // Every commit (the list may be a new array of the same locales): an unchanged pick renders nothing.
  useIsomorphicLayoutEffect(() => {
    setBrowserLocale(list && list.length > 1 ? matchLocale(list, navigator.languages ?? [navigator.language]) : undefined)
  })
  const locale = (browserLocale && list?.includes(browserLocale) ? browserLocale : undefined) ?? list?.[0]
  const value = useMemo<ConnectContextValue>(
    () => ({ backend, client, redirectUrl, mode, environment, locale }),
    [backend, client, redirectUrl, mode, environment, locale],
  )
  return <ConnectContext.Provider value={value}>{children}</ConnectContext.Provider>
}

/** The nearest `ConnectProvider`'s value, or null outside one. */
export function useConnectContext(): ConnectContextValue | null {
  return useContext(ConnectContext)
}

/** The nearest `ConnectProvider`'s value; throws a helpful error outside one. */
export function useRequiredConnectContext(component: string): ConnectContextValue {
  const context = useContext(ConnectContext)
  if (!context) throw new Error(`\`${component}\` must be used within <ConnectProvider endpoint="/api/connect">.`)
  return context
}
