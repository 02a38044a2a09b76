import { ConnectServerError } from '../http/connect-server-error.js'
import type { MetorialClient } from './client.js'
import { isObject } from './objects.js'
import type { SessionApi } from './setup-sessions.js'

/** Where the legacy session keeps the browser's provider id: the legacy API knows only deployments. */
export const LEGACY_PROVIDER_METADATA_KEY = 'react_provider_connect_provider_id'
/**
 * Where the legacy session keeps the server deployment it was created for: the official legacy
 * session (pulsar client) names its OAuth `connection` and `instance_id`, never the deployment, so
 * the deployment the app stores with the connection comes back through the session's metadata.
 */
export const LEGACY_DEPLOYMENT_METADATA_KEY = 'react_provider_connect_deployment_id'

/**
 * The `Metorial-Version` of the legacy routes: `/provider-oauth/*` exists only in the pulsar API
 * (Metorial's generated client `mt_2025_01_01_pulsar`; magnetar has no such route), sent as
 * Metorial's SDK sends it with that client.
 */
export const LEGACY_METORIAL_VERSION = '2025-01-01-pulsar'

type Json = Record<string, unknown>

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

/**
 * Throws when the options ask the legacy API for something it cannot do. BYO OAuth
 * (`providerAuthCredentialsId`) names magnetar auth credentials (`par_…`); the pulsar client's
 * session create takes a server deployment or a legacy OAuth connection, and no credentials field,
 * so the choice would be silently dropped and users would see the default OAuth app. Called by
 * `createConnectServer` at startup, so the mistake shows before any user meets it.
 */
export function assertLegacyOptions(options: { api?: string; providerAuthCredentialsId?: unknown }): void {
  if (options.api === 'oauth-sessions' && options.providerAuthCredentialsId !== undefined) {
    throw new TypeError(
      "createConnectServer: `providerAuthCredentialsId` (BYO OAuth) needs api: 'setup-sessions'. The legacy OAuth sessions API (api: 'oauth-sessions') has no auth credentials field, so the tenant's OAuth app would be ignored.",
    )
  }
}

/** Export of a legacy `soas_` connection: no official client has a route for it (see docs/server.md). */
export function legacyExportUnsupported(): ConnectServerError {
  return new ConnectServerError(
    400,
    'unsupported_for_legacy_connections',
    "Exporting a connection made with api: 'oauth-sessions' (an soas_ id) is not supported: Metorial's published clients have no export route for legacy OAuth sessions. Connect the account again with api: 'setup-sessions', then export that auth config.",
  )
}

/**
 * A legacy OAuth session (the pulsar client's shape) as a setup session: `opened` reads as
 * pending, the provider is the one Metorial connected (the OAuth connection's provider; else the
 * browser's label, kept in metadata), the deployment the one it was created for (kept in metadata), and a
 * completed session's connection is the OAuth session itself (its `soas_…` id is what the app
 * stores, and what Metorial's legacy `serverDeployments: [{ serverDeploymentId, oauthSessionId }]` takes).
 */
export function legacyAsSetupSession(raw: unknown): unknown {
  if (!isObject(raw)) return raw
  const metadata = isObject(raw.metadata) ? raw.metadata : {}
  // The deployment the server created it for (its own metadata key, written after the client's).
  const deployment = str(metadata[LEGACY_DEPLOYMENT_METADATA_KEY]) ?? str(raw.server_deployment_id)
  // The provider Metorial connects (the official shape: `connection.provider.id`) wins over the browser's label.
  const connection = isObject(raw.connection) ? raw.connection : null
  const providerId = (connection && isObject(connection.provider) ? str(connection.provider.id) : null) ?? str(metadata[LEGACY_PROVIDER_METADATA_KEY]) ?? deployment
  const status = raw.status === 'opened' ? 'pending' : raw.status
  const completedAt = str(raw.completed_at)
  const session: Json = {
    id: raw.id,
    status,
    url: raw.url,
    metadata,
    provider_id: providerId,
    provider_deployment_id: deployment,
    created_at: raw.created_at ?? null,
    expires_at: null,
    auth_config: status === 'completed' ? { id: raw.id, status: 'active', provider_id: providerId, name: null, created_at: completedAt } : null,
  }
  return session
}

/** `api: 'oauth-sessions'`: Metorial's older OAuth sessions behind the same shape as setup sessions. */
export function oauthSessionsApi(metorial: MetorialClient): SessionApi {
  const version = LEGACY_METORIAL_VERSION
  return {
    async create(input, signal) {
      if (input.providerDeploymentId === undefined) {
        throw new ConnectServerError(400, 'invalid_request', 'With the OAuth sessions API, a connect button needs a `providerDeploymentId` (the server deployment to connect).')
      }
      const raw = await metorial.request({
        method: 'POST',
        path: '/provider-oauth/sessions',
        version,
        signal,
        body: {
          server_deployment_id: input.providerDeploymentId,
          ...(input.redirectUrl === undefined ? {} : { redirect_uri: input.redirectUrl }),
          // The owner goes last: client metadata can never claim another user.
          metadata: {
            ...input.metadata,
            [LEGACY_PROVIDER_METADATA_KEY]: input.providerId,
            [LEGACY_DEPLOYMENT_METADATA_KEY]: input.providerDeploymentId,
            ...input.ownerMetadata,
          },
        },
      })
      return legacyAsSetupSession(raw)
    },
    async read(id, signal) {
      return legacyAsSetupSession(await metorial.request({ method: 'GET', path: `/provider-oauth/sessions/${id}`, version, signal }))
    },
    async removeConnection(id, signal) {
      // A 404 is not "already gone": the store holds it, so nothing was revoked (the caller reports it).
      await metorial.request({ method: 'DELETE', path: `/provider-oauth/sessions/${id}`, version, signal })
    },
  }
}
