import { ConnectServerError } from '../http/connect-server-error.js'
import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import type { MetorialClient } from './client.js'
import { oauthSessionsApi } from './oauth-sessions.js'
import { DEFAULT_SESSION_TYPE, setupSessionsApi, type SessionApi, type SetupSessionType } from './setup-sessions.js'
import { UpstreamError } from './upstream-error.js'

/**
 * Which Metorial API the sessions come from: `'setup-sessions'` is the provider setup sessions API,
 * `'oauth-sessions'` the legacy OAuth sessions API.
 */
export type ConnectApi = 'setup-sessions' | 'oauth-sessions'

/** A connection as this room needs to know it: its id and, when recorded, the API that made it. */
export interface ConnectionRef {
  id: string
  api?: ConnectApi
}

/** Legacy OAuth session ids: what rows saved before the `api` field was recorded are told apart by. */
const LEGACY_ID = /^soas_/

/** The API that made a stored connection: its recorded `api`, else what its id says. */
export function connectionApi(connection: ConnectionRef): ConnectApi {
  if (connection.api === 'setup-sessions' || connection.api === 'oauth-sessions') return connection.api
  return LEGACY_ID.test(connection.id) ? 'oauth-sessions' : 'setup-sessions'
}

/** Both session APIs: a handler creates through its own, and removes through the one that made the connection. */
export function sessionApis(metorial: MetorialClient, options: { sessionType?: SetupSessionType; defaultProviderAuthMethodId?: string }): Record<ConnectApi, SessionApi> {
  return {
    'setup-sessions': setupSessionsApi(metorial, { type: options.sessionType ?? DEFAULT_SESSION_TYPE, defaultAuthMethodId: options.defaultProviderAuthMethodId }),
    'oauth-sessions': oauthSessionsApi(metorial),
  }
}

export interface ConnectionRouter {
  /**
   * Revokes the connection at the API that made it. A 404 there, for a connection the store holds,
   * means it was never revoked (another API, another project): an error, so the row stays.
   */
  remove(connection: ConnectionRef, signal: AbortSignal): Promise<void>
  /** Archives an auth config the store will not hold (a lost import race), logging what could not be. */
  archiveOrphan(authConfigId: string): Promise<void>
  /** Best effort: drops a session whose link will never be handed out (a refused provider). */
  discardSession(api: ConnectApi, sessionId: string): Promise<void>
}

export function connectionRouter(apis: Record<ConnectApi, SessionApi>, metorial: MetorialClient, log: ConnectLogger): ConnectionRouter {
  return {
    async remove(connection, signal) {
      const api = connectionApi(connection)
      try {
        await apis[api].removeConnection(connection.id, signal)
      } catch (error) {
        if (!(error instanceof UpstreamError && error.kind === 'http' && error.status === 404)) throw error
        log.error(
          `react-provider-connect: Metorial does not know connection ${connection.id} (404 from the ${api} API) although the store holds it for this user; it stays recorded. Check that the API key belongs to the project that made it.`,
        )
        throw new ConnectServerError(502, 'upstream_error', 'This connection could not be removed just now. Please contact the app’s support if this keeps happening.')
      }
    },
    async archiveOrphan(authConfigId) {
      try {
        await apis['setup-sessions'].removeConnection(authConfigId, new AbortController().signal)
      } catch (error) {
        log.error(`react-provider-connect: could not archive auth config ${authConfigId}, which an import created but the store does not hold; archive it in the Metorial dashboard.`, {
          error: errorText(error),
        })
      }
    },
    async discardSession(api, sessionId) {
      const signal = new AbortController().signal
      try {
        if (api === 'oauth-sessions') await apis[api].removeConnection(sessionId, signal)
        else await metorial.request({ method: 'DELETE', path: `/provider-setup-sessions/${sessionId}`, signal })
      } catch {
        // Nobody got its link, so a session left behind expires unused.
      }
    },
  }
}
