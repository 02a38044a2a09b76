import { ConnectServerError } from './http-error.js'

/** Ids the handler accepts in paths and bodies: what Metorial ids and provider slugs look like. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

/** Decodes and checks an id taken from the path: 400 `invalid_id` when it is not an id. */
export function pathId(raw: string, what: string): string {
  let id: string
  try {
    id = decodeURIComponent(raw)
  } catch {
    id = ''
  }
  if (!ID_PATTERN.test(id)) {
    throw new ConnectServerError(400, 'invalid_id', `The ${what} id in the path is malformed: ids are 1 to 128 letters, digits, '_' or '-'.`)
  }
  return id
}

export interface CreateInput {
  providerId: string
  providerAuthMethodId?: string
  providerDeploymentId?: string
  redirectUrl?: string
  metadata: Record<string, unknown>
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A body field given in camelCase or snake_case; camelCase wins. */
function field(body: Record<string, unknown>, camel: string, snake: string): unknown {
  return body[camel] !== undefined ? body[camel] : body[snake]
}

function optionalId(body: Record<string, unknown>, camel: string, snake: string): string | undefined {
  const value = field(body, camel, snake)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new ConnectServerError(400, `invalid_${snake}`, `\`${camel}\` must be an id: 1 to 128 letters, digits, '_' or '-'.`)
  }
  return value
}

function checkRedirectUrl(value: unknown, allowedOrigins: readonly string[]): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new ConnectServerError(400, 'invalid_redirect_url', '`redirectUrl` must be a string (an absolute http(s) URL).')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConnectServerError(400, 'invalid_redirect_url', '`redirectUrl` must be an absolute http(s) URL, e.g. "https://app.example.com/connect/callback".')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnectServerError(400, 'invalid_redirect_url', `\`redirectUrl\` must use http: or https:, not ${url.protocol}`)
  }
  if (!allowedOrigins.includes(url.origin)) {
    throw new ConnectServerError(
      400,
      'redirect_url_not_allowed',
      `\`redirectUrl\` points to ${url.origin}, which is not an allowed origin (${allowedOrigins.join(', ')}). Add it to the handler's \`allowedRedirectOrigins\`.`,
    )
  }
  return url.toString()
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Whether a JSON value has a key that pollutes prototypes when something downstream merges it naively. */
function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (depth > 32) return true
  if (Array.isArray(value)) return value.some(item => hasForbiddenKey(item, depth + 1))
  return Object.keys(value).some(key => FORBIDDEN_KEYS.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key], depth + 1))
}

/** Checks a create body; the owner key is the caller's to set afterwards, never the client's. */
export function parseCreateInput(body: unknown, allowedRedirectOrigins: readonly string[]): CreateInput {
  if (!isPlainObject(body)) {
    throw new ConnectServerError(400, 'invalid_body', 'The request body must be a JSON object such as { "providerId": "slack" }.')
  }
  const providerId = field(body, 'providerId', 'provider_id')
  if (providerId === undefined || providerId === null || providerId === '') {
    throw new ConnectServerError(400, 'missing_provider_id', '`providerId` is required, e.g. { "providerId": "slack" }.')
  }
  if (typeof providerId !== 'string' || !ID_PATTERN.test(providerId)) {
    throw new ConnectServerError(400, 'invalid_provider_id', "`providerId` must be a string of 1 to 128 letters, digits, '_' or '-'.")
  }
  const metadata = field(body, 'metadata', 'metadata')
  if (metadata !== undefined && metadata !== null && !isPlainObject(metadata)) {
    throw new ConnectServerError(400, 'invalid_metadata', '`metadata` must be a JSON object when given.')
  }
  if (hasForbiddenKey(metadata)) {
    throw new ConnectServerError(400, 'invalid_metadata', '`metadata` may not use the keys `__proto__`, `constructor` or `prototype`.')
  }
  return {
    providerId,
    providerAuthMethodId: optionalId(body, 'providerAuthMethodId', 'provider_auth_method_id'),
    providerDeploymentId: optionalId(body, 'providerDeploymentId', 'provider_deployment_id'),
    redirectUrl: checkRedirectUrl(field(body, 'redirectUrl', 'redirect_url'), allowedRedirectOrigins),
    metadata: isPlainObject(metadata) ? metadata : {},
  }
}
