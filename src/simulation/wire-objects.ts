/**
 * The simulation's objects in Metorial's wire format, field for field as the official client's
 * output types declare them (`@metorial/generated` 2.1.0, magnetar): the nested previews (auth
 * method, deployment, auth credentials) are full objects, never `{ id }` stubs, so code written
 * against the simulation reads the same fields it will read in production.
 */

type Json = Record<string, unknown>

export const iso = (ms: number): string => new Date(ms).toISOString()

/** How users authenticate with a provider, in the simulation's options. */
export type SimulatedAuthMethod = 'oauth' | 'token' | 'api_key'

/** The auth method id Metorial would have for a provider's method: stable per provider, `pam_` like Metorial's. */
export function authMethodId(providerId: string, key: SimulatedAuthMethod): string {
  return `pam_${providerId}_${key}`
}

export function wireAuthMethod(providerId: string, key: SimulatedAuthMethod, at: number): Json {
  const oauth = key === 'oauth'
  return {
    object: 'provider.capabilities.auth_method',
    id: authMethodId(providerId, key),
    // Metorial's auth method types are oauth | token | custom: an API key is a token.
    type: oauth ? 'oauth' : 'token',
    key,
    name: oauth ? 'OAuth' : key === 'api_key' ? 'API key' : 'Token',
    description: null,
    capabilities: {},
    input_schema: oauth ? null : { type: 'json_schema', schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } },
    output_schema: null,
    scopes: oauth ? [] : null,
    provider_id: providerId,
    provider_specification_id: `psp_${providerId}`,
    created_at: iso(at),
    updated_at: iso(at),
  }
}

export function wireDeploymentPreview(id: string, providerId: string, at: number): Json {
  return {
    object: 'provider.deployment#preview',
    id,
    is_default: false,
    name: null,
    description: null,
    metadata: {},
    provider_id: providerId,
    created_at: iso(at),
    updated_at: iso(at),
  }
}

export interface AuthCredentialsRecord {
  id: string
  providerId: string
  name: string | null
  description: string | null
  metadata: Json
  clientId: string
  scopes: string[]
  status: 'active' | 'archived'
  createdAt: number
  updatedAt: number
}

/** An OAuth app (BYO): like Metorial, never the client secret. */
export function wireAuthCredentials(record: AuthCredentialsRecord): Json {
  return {
    object: 'provider.auth_credentials',
    id: record.id,
    type: 'oauth',
    is_default: false,
    name: record.name,
    description: record.description,
    metadata: record.metadata,
    provider_id: record.providerId,
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
  }
}

export interface AuthConfigRecord {
  id: string
  providerId: string
  name: string
  description: string | null
  authMethod: SimulatedAuthMethod
  /** `setup_session` when a user connected it, `manual` when imported or seeded. */
  source: 'manual' | 'setup_session' | 'system'
  deploymentId: string | null
  credentials: AuthCredentialsRecord | null
  /** Token and API-key configs made by a setup session: readable by id, never listed. */
  ephemeral: boolean
  /** Linked to an identity credential: Metorial refuses to archive it. */
  linked: boolean
  status: 'active' | 'archived' | 'deleted'
  metadata: Json
  /** The tokens an export hands out (made up, as secrets would look). */
  value: Json
  createdAt: number
  updatedAt: number
}

/** `oauth_automated`: the user went through the consent page; `oauth_manual`: OAuth tokens brought in; `manual`: a token or key. */
function configType(config: AuthConfigRecord): 'manual' | 'oauth_automated' | 'oauth_manual' {
  if (config.authMethod !== 'oauth') return 'manual'
  return config.source === 'setup_session' ? 'oauth_automated' : 'oauth_manual'
}

export function wireAuthConfig(config: AuthConfigRecord): Json {
  return {
    object: 'provider.auth_config',
    id: config.id,
    type: configType(config),
    source: config.source,
    status: config.status,
    is_default: false,
    provider_id: config.providerId,
    name: config.name,
    description: config.description,
    metadata: config.metadata,
    deployment_preview: config.deploymentId ? wireDeploymentPreview(config.deploymentId, config.providerId, config.createdAt) : null,
    credentials: config.credentials ? wireAuthCredentials(config.credentials) : null,
    auth_method: wireAuthMethod(config.providerId, config.authMethod, config.createdAt),
    created_at: iso(config.createdAt),
    updated_at: iso(config.updatedAt),
  }
}

/** What an auth config export or import answers around its config (`provider.auth_export` / `provider.auth_import`). */
export function wireAuthTransfer(kind: 'export' | 'import', input: { id: string; note: string; metadata: Json; config: AuthConfigRecord; at: number }): Json {
  const { config } = input
  return {
    object: kind === 'export' ? 'provider.auth_export' : 'provider.auth_import',
    id: input.id,
    note: input.note,
    ip: null,
    user_agent: null,
    metadata: input.metadata,
    auth_config: wireAuthConfig(config),
    provider_id: config.providerId,
    provider_deployment_id: config.deploymentId,
    auth_method_id: authMethodId(config.providerId, config.authMethod),
    credentials_id: config.credentials?.id ?? null,
    ...(kind === 'export' ? { value: { ...config.value } } : {}),
    created_at: iso(input.at),
    expires_at: null,
  }
}
