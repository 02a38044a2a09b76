/**
 * The simulation's credential routes, as the official magnetar client calls them: BYO OAuth apps
 * (`/provider-auth-credentials`: create, get, list, update, delete), auth config exports and
 * imports (create by provider, deployment, or into an existing auth config; get; list). Exports
 * answer made-up tokens, as secrets would look. There is no legacy takeout route: no official
 * client has `/provider-oauth/takeouts`.
 */
import { randomId } from './ids.js'
import { listPage, matches } from './list-query.js'
import { wireAuthCredentials, wireAuthTransfer, type AuthConfigRecord, type AuthCredentialsRecord } from './wire-objects.js'

type Json = Record<string, unknown>

export interface CredentialsDeps {
  now: () => number
  /** Creates an auth config for an import. */
  createAuthConfig: (input: { providerId: string; deploymentId: string | null; metadata: Json; name?: string; value: Json }) => AuthConfigRecord
  authConfig: (id: string) => AuthConfigRecord | undefined
  /** The provider a deployment serves, or undefined when unknown. */
  providerOfDeployment: (deploymentId: string) => string | undefined
  json: (status: number, body: unknown) => Response
  error: (status: number, code: string, message: string) => Response
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

interface TransferRecord {
  id: string
  kind: 'export' | 'import'
  note: string
  metadata: Json
  config: AuthConfigRecord
  at: number
}

export function createCredentialRoutes(deps: CredentialsDeps) {
  const credentials = new Map<string, AuthCredentialsRecord>()
  const transfers = { export: new Map<string, TransferRecord>(), import: new Map<string, TransferRecord>() }

  /**
   * An export or import as Metorial answers it. The tokens of an export are handed out when it is
   * made; a later read answers `value: null` (the type allows it; the simulation keeps secrets to
   * one showing, which is the cautious reading of Metorial's behaviour, not a verified one).
   */
  function wireTransfer(record: TransferRecord, fresh = false): Json {
    const wire = wireAuthTransfer(record.kind, record)
    return record.kind === 'export' && !fresh ? { ...wire, value: null } : wire
  }

  function remember(kind: 'export' | 'import', note: string, metadata: Json, config: AuthConfigRecord): TransferRecord {
    const record: TransferRecord = { id: randomId(kind === 'export' ? 'pae_' : 'pai_'), kind, note, metadata, config, at: deps.now() }
    transfers[kind].set(record.id, record)
    return record
  }

  function createCredentials(fields: Json): Response {
    const config = isObject(fields.config) ? fields.config : {}
    const providerId = str(fields.provider_id)
    if (!providerId || typeof config.client_id !== 'string' || typeof config.client_secret !== 'string' || !Array.isArray(config.scopes)) {
      return deps.error(400, 'invalid_data', 'provider_id and config.client_id, config.client_secret, config.scopes are required.')
    }
    const at = deps.now()
    const record: AuthCredentialsRecord = {
      id: randomId('par_'),
      providerId,
      name: str(fields.name),
      description: str(fields.description),
      metadata: isObject(fields.metadata) ? { ...fields.metadata } : {},
      clientId: config.client_id,
      scopes: config.scopes.filter((scope): scope is string => typeof scope === 'string'),
      status: 'active',
      createdAt: at,
      updatedAt: at,
    }
    credentials.set(record.id, record)
    return deps.json(200, wireAuthCredentials(record))
  }

  function exportConfig(fields: Json): Response {
    const id = str(fields.provider_auth_config_id)
    const note = str(fields.note)
    if (!id || !note) return deps.error(400, 'invalid_data', 'provider_auth_config_id and note are required.')
    const config = deps.authConfig(id)
    if (!config || config.status !== 'active') return deps.error(404, 'not_found', 'Auth config not found.')
    const metadata = isObject(fields.metadata) ? { ...fields.metadata } : {}
    return deps.json(200, wireTransfer(remember('export', note, metadata, config), true))
  }

  function importConfig(fields: Json): Response {
    const note = str(fields.note)
    if (!note || !isObject(fields.value)) return deps.error(400, 'invalid_data', 'note and value are required.')
    const metadata = isObject(fields.metadata) ? { ...fields.metadata } : {}
    const at = deps.now()
    const into = str(fields.provider_auth_config_id)
    let config: AuthConfigRecord
    if (into) {
      // New tokens for an existing auth config: the config keeps its id.
      const existing = deps.authConfig(into)
      if (!existing || existing.status !== 'active') return deps.error(404, 'not_found', 'Auth config not found.')
      Object.assign(existing, { value: { ...fields.value }, updatedAt: at })
      config = existing
    } else {
      const deploymentId = str(fields.provider_deployment_id)
      const providerId = str(fields.provider_id) ?? (deploymentId ? deps.providerOfDeployment(deploymentId) : undefined)
      if (!providerId) return deps.error(400, 'invalid_data', 'provider_id, provider_deployment_id or provider_auth_config_id is required.')
      config = deps.createAuthConfig({ providerId, deploymentId, metadata, name: note, value: { ...fields.value } })
    }
    return deps.json(200, wireTransfer(remember('import', note, metadata, config)))
  }

  /** GET of exports or imports: one by id, or a filtered list. */
  function readTransfers(kind: 'export' | 'import', url: URL, id: string | undefined): Response {
    if (id !== undefined) {
      const record = transfers[kind].get(id)
      return record ? deps.json(200, wireTransfer(record)) : deps.error(404, 'not_found', `Auth ${kind} not found.`)
    }
    const items = [...transfers[kind].values()].filter(
      item =>
        matches(url, 'id', item.id) &&
        matches(url, 'provider_id', item.config.providerId) &&
        matches(url, 'provider_auth_config_id', item.config.id) &&
        matches(url, 'provider_auth_credentials_id', item.config.credentials?.id) &&
        matches(url, 'provider_deployment_id', item.config.deploymentId),
    )
    const page = listPage(items, url, item => wireTransfer(item))
    return deps.json(page.status, page.body)
  }

  /** PATCH (name, description, metadata) or DELETE of an OAuth app. */
  async function changeCredentials(request: Request, record: AuthCredentialsRecord): Promise<Response> {
    if (request.method === 'DELETE') {
      credentials.delete(record.id)
      return deps.json(200, wireAuthCredentials(record))
    }
    const body: unknown = await request.json().catch(() => undefined)
    if (!isObject(body)) return deps.error(400, 'invalid_body', 'The body must be a JSON object.')
    if (typeof body.name === 'string') record.name = body.name
    if (typeof body.description === 'string') record.description = body.description
    if (isObject(body.metadata)) record.metadata = { ...body.metadata }
    record.updatedAt = deps.now()
    return deps.json(200, wireAuthCredentials(record))
  }

  /** The routes under `/provider-auth-credentials`, `/provider-auth-config-exports`, `/provider-auth-config-imports`; null for any other path. */
  async function route(request: Request, url: URL, segments: string[]): Promise<Response | null> {
    const [collection, id, extra] = segments
    if (extra !== undefined) return null
    if ((collection === 'provider-auth-config-exports' || collection === 'provider-auth-config-imports') && request.method === 'GET') {
      return readTransfers(collection === 'provider-auth-config-exports' ? 'export' : 'import', url, id)
    }
    if (collection === 'provider-auth-credentials' && id !== undefined && (request.method === 'PATCH' || request.method === 'DELETE')) {
      const record = credentials.get(id)
      return record ? changeCredentials(request, record) : deps.error(404, 'not_found', 'Auth credentials not found.')
    }
    if (collection === 'provider-auth-credentials' && request.method === 'GET') {
      if (id !== undefined) {
        const record = credentials.get(id)
        return record ? deps.json(200, wireAuthCredentials(record)) : deps.error(404, 'not_found', 'Auth credentials not found.')
      }
      const items = [...credentials.values()].filter(
        item => matches(url, 'provider_id', item.providerId) && matches(url, 'id', item.id) && matches(url, 'status', item.status),
      )
      const page = listPage(items, url, wireAuthCredentials)
      return deps.json(page.status, page.body)
    }
    const known = ['provider-auth-credentials', 'provider-auth-config-exports', 'provider-auth-config-imports']
    if (request.method !== 'POST' || id !== undefined || !known.includes(collection ?? '')) return null
    const body: unknown = await request.json().catch(() => undefined)
    if (!isObject(body)) return deps.error(400, 'invalid_body', 'The body must be a JSON object.')
    if (collection === 'provider-auth-credentials') return createCredentials(body)
    if (collection === 'provider-auth-config-exports') return exportConfig(body)
    return importConfig(body)
  }

  return { route, get: (id: string) => credentials.get(id) }
}
