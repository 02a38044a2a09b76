/**
 * Metorial's own generated client (`@metorial/generated`, pinned as a dev dependency) wired to a
 * fetch of our choosing: its endpoint classes, its mappers, and the headers Metorial's SDK sends
 * with it (the generated client leaves the headers to the SDK: `Authorization` and
 * `Metorial-Version: 2026-01-01-magnetar`, or `2025-01-01-pulsar` for the pulsar client).
 */
import * as pulsar from '@metorial/generated'
import * as magnetar from '@metorial/generated/src/mt_2026_01_01_magnetar'
import { MetorialEndpointManager } from '@metorial/util-endpoint'

export { magnetar, pulsar }

/** What Metorial's SDK sends as `Metorial-Version` with each generated client. */
export const SDK_VERSION_HEADER = { magnetar: '2026-01-01-magnetar', pulsar: '2025-01-01-pulsar' } as const

export type Fetch = (request: Request) => Promise<Response>

function manager(fetch: Fetch, apiKey: string, version: string) {
  const fetchImpl = (input: RequestInfo | URL, init?: RequestInit) => fetch(new Request(input, init))
  return new MetorialEndpointManager({}, 'http://metorial.test', () => ({ Authorization: `Bearer ${apiKey}`, 'Metorial-Version': version }), fetchImpl as typeof globalThis.fetch, {
    enableDebugLogging: false,
  })
}

/** The endpoint classes a host developer (or this library) uses, talking to `fetch`. */
export function officialClients(fetch: Fetch, apiKey: string) {
  const m = manager(fetch, apiKey, SDK_VERSION_HEADER.magnetar)
  const p = manager(fetch, apiKey, SDK_VERSION_HEADER.pulsar)
  return {
    setupSessions: new magnetar.MetorialProviderDeploymentsSetupSessionsEndpoint(m),
    authConfigs: new magnetar.MetorialProviderDeploymentsAuthConfigsEndpoint(m),
    exports: new magnetar.MetorialProviderDeploymentsAuthConfigsExportsEndpoint(m),
    imports: new magnetar.MetorialProviderDeploymentsAuthConfigsImportsEndpoint(m),
    authCredentials: new magnetar.MetorialProviderDeploymentsAuthCredentialsEndpoint(m),
    oauthSessions: new pulsar.MetorialProviderOauthSessionsEndpoint(p),
  }
}
