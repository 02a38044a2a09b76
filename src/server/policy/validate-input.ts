import { ConnectServerError } from '../http/connect-server-error.js'

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
  /** The connection this one reconnects in place; ownership is the caller's to check. */
  replacesConnectionId?: string
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

function checkRedirectUrl(value: unknown): string | undefined {
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
  return url.toString()
}

/** Limits on the client's `metadata`, which is forwarded to the upstream with every session. */
export interface MetadataLimits {
  maxBytes: number
  maxKeys: number
}

/** How deep `metadata` may nest: deep enough for real labels, shallow enough to walk without risk. */
export const MAX_METADATA_DEPTH = 8
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Walks `metadata` once: every key counted, the depth bounded, prototype-polluting keys refused. */
function checkMetadata(metadata: Record<string, unknown>, limits: MetadataLimits): void {
  let keys = 0
  const walk = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null) return
    if (depth > MAX_METADATA_DEPTH) {
      throw new ConnectServerError(400, 'invalid_metadata', `\`metadata\` is nested more than ${MAX_METADATA_DEPTH} levels deep: flatten it.`)
    }
    if (Array.isArray(value)) return value.forEach(item => walk(item, depth + 1))
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw new ConnectServerError(400, 'invalid_metadata', '`metadata` may not use the keys `__proto__`, `constructor` or `prototype`.')
      if (++keys > limits.maxKeys) throw new ConnectServerError(400, 'metadata_too_large', `\`metadata\` has more than ${limits.maxKeys} keys (nested ones count too).`)
      walk((value as Record<string, unknown>)[key], depth + 1)
    }
  }
  walk(metadata, 1)
  const bytes = new TextEncoder().encode(JSON.stringify(metadata)).byteLength
  if (bytes > limits.maxBytes) throw new ConnectServerError(400, 'metadata_too_large', `\`metadata\` is ${bytes} bytes as JSON; at most ${limits.maxBytes} are accepted.`)
}

/** Checks a create body; the owner key is the caller's to set afterwards, never the client's. */
export function parseCreateInput(body: unknown, limits: MetadataLimits): CreateInput {
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
  if (isPlainObject(metadata)) checkMetadata(metadata, limits)
  return {
    providerId,
    providerAuthMethodId: optionalId(body, 'providerAuthMethodId', 'provider_auth_method_id'),
    providerDeploymentId: optionalId(body, 'providerDeploymentId', 'provider_deployment_id'),
    redirectUrl: checkRedirectUrl(field(body, 'redirectUrl', 'redirect_url')),
    metadata: isPlainObject(metadata) ? metadata : {},
    replacesConnectionId: optionalId(body, 'replacesConnectionId', 'replaces_connection_id'),
  }
}

/** The longest connection name, in characters, after trimming. */
export const MAX_NAME_LENGTH = 100
// C0, DEL and C1 controls, and the line and paragraph separators: nothing a one-line label shows.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Checks a rename body `{ name }`: trimmed, 1 to 100 characters, no control characters; else 400 `invalid_name`. */
export function parseName(body: unknown): string {
  const raw = isPlainObject(body) ? body.name : undefined
  if (typeof raw !== 'string') throw new ConnectServerError(400, 'invalid_name', 'Send the new name as JSON: { "name": "Work Slack" }.')
  const name = raw.trim()
  const length = [...name].length
  if (length === 0) throw new ConnectServerError(400, 'invalid_name', 'The name cannot be empty.')
  if (length > MAX_NAME_LENGTH) throw new ConnectServerError(400, 'invalid_name', `The name can be at most ${MAX_NAME_LENGTH} characters.`)
  if (CONTROL.test(name)) throw new ConnectServerError(400, 'invalid_name', 'The name cannot contain control characters such as line breaks or tabs.')
  return name
}
