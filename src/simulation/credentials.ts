/**
 * The simulation's credential routes: BYO OAuth apps (`/provider-auth-credentials`), auth config
 * exports and imports, and legacy OAuth takeouts. Exports answer made-up tokens, as secrets would look.
 */
import { randomId } from './ids.js'

type Json = Record<string, unknown>

export interface CredentialsDeps {
  now: () => number
  /** Creates an auth config (an import), returns it in wire format. */
  createAuthConfig: (input: { providerId: string; metadata: Json; name?: string }) => Json
  hasAuthConfig: (id: string) => boolean
  hasOAuthSession: (id: string) => boolean
  json: (status: number, body: unknown) => Response
  error: (status: number, code: string, message: string) => Response
}

export interface AuthCredentialsRecord {
  id: string
  providerId: string
  name: string | null
  clientId: string
}

export function createCredentialRoutes(deps: CredentialsDeps) {
  const credentials = new Map<string, AuthCredentialsRecord>()
  const exported = (of: string) => ({ access_token: randomId('tok_', 24), refresh_token: randomId('ref_', 24), token_type: 'bearer', of })

  async function route(request: Request, segments: string[]): Promise<Response | null> {
    if (request.method !== 'POST') return null
    const path = segments.join('/')
    const known = ['provider-auth-credentials', 'provider-auth-config-exports', 'provider-auth-config-imports', 'provider-oauth/takeouts']
    if (!known.includes(path)) return null
    const body: unknown = await request.json().catch(() => undefined)
    if (typeof body !== 'object' || body === null) return deps.error(400, 'invalid_body', 'The body must be a JSON object.')
    const fields = body as Json
    const at = new Date(deps.now()).toISOString()
    switch (path) {
      case 'provider-auth-credentials': {
        const config = typeof fields.config === 'object' && fields.config !== null ? (fields.config as Json) : {}
        if (typeof fields.provider_id !== 'string' || typeof config.client_id !== 'string' || typeof config.client_secret !== 'string') {
          return deps.error(400, 'invalid_data', 'provider_id and config.client_id, config.client_secret are required.')
        }
        const record: AuthCredentialsRecord = { id: randomId('par_'), providerId: fields.provider_id, name: typeof fields.name === 'string' ? fields.name : null, clientId: config.client_id }
        credentials.set(record.id, record)
        // Like Metorial, the secret is never echoed back.
        return deps.json(200, { object: 'provider.auth_credentials', id: record.id, provider_id: record.providerId, name: record.name, config: { client_id: record.clientId }, created_at: at })
      }
      case 'provider-auth-config-exports': {
        const id = fields.provider_auth_config_id
        if (typeof id !== 'string' || !deps.hasAuthConfig(id)) return deps.error(404, 'not_found', 'Auth config not found.')
        return deps.json(200, { object: 'provider.auth_config_export', id: randomId('pae_'), provider_auth_config_id: id, value: exported(id), created_at: at })
      }
      case 'provider-oauth/takeouts': {
        const id = fields.oauth_session_id
        if (typeof id !== 'string' || !deps.hasOAuthSession(id)) return deps.error(404, 'not_found', 'OAuth session not found.')
        return deps.json(200, { object: 'provider_oauth.takeout', id: randomId('sot_'), oauth_session_id: id, ...exported(id), created_at: at })
      }
      case 'provider-auth-config-imports': {
        const providerId = typeof fields.provider_id === 'string' ? fields.provider_id : typeof fields.provider_deployment_id === 'string' ? fields.provider_deployment_id : null
        if (!providerId || typeof fields.value !== 'object' || fields.value === null) return deps.error(400, 'invalid_data', 'provider_id (or provider_deployment_id) and value are required.')
        const metadata = typeof fields.metadata === 'object' && fields.metadata !== null ? (fields.metadata as Json) : {}
        const config = deps.createAuthConfig({ providerId, metadata, name: typeof fields.note === 'string' ? fields.note : undefined })
        return deps.json(200, { object: 'provider.auth_config_import', id: randomId('pai_'), auth_config: config, created_at: at })
      }
    }
    return null
  }

  return { route, get: (id: string) => credentials.get(id) }
}
