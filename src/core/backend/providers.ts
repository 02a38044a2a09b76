/** The catalogue as the backend lists it (`GET {endpoint}/providers`): its types and the parse that checks them. */
import { ConnectError } from '../errors.js'

/** How a user authenticates with a provider. */
export interface ProviderAuthMethod {
  /** Pass it as `providerAuthMethodId`. */
  id: string
  type: 'oauth' | 'token' | 'custom'
  name: string
}

/** One provider the app's backend can connect, as `GET {endpoint}/providers` lists it. */
export interface ProviderInfo {
  providerId: string
  providerDeploymentId: string | null
  name: string
  description: string | null
  /** An image URL (`http:`, `https:`, `data:image/…` or a path); `null` shows a monogram. */
  logoUrl: string | null
  categories: string[]
  authMethods: ProviderAuthMethod[]
  /** False when the deployment holds the credentials: nothing for the user to connect. */
  requiresConnection: boolean
}

type Json = Record<string, unknown>

const AUTH_TYPES = new Set(['oauth', 'token', 'custom'])

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function pick(item: Json, camel: string, snake: string): unknown {
  return camel in item ? item[camel] : item[snake]
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

/** Images only: a `javascript:` or `data:text/html` "logo" is dropped (the monogram shows instead). */
function safeLogo(value: unknown): string | null {
  const url = text(value)
  if (url === null) return null
  if (/^data:/i.test(url)) return /^data:image\//i.test(url) ? url : null
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  return scheme === undefined || scheme === 'http' || scheme === 'https' ? url : null
}

/** Validates and normalises one catalogue entry (camelCase or snake_case). */
export function parseProviderInfo(raw: unknown): ProviderInfo {
  if (!isObject(raw)) throw new ConnectError('invalid_response', 'A provider is not an object.')
  const providerId = text(pick(raw, 'providerId', 'provider_id')) ?? text(raw.id)
  if (providerId === null) throw new ConnectError('invalid_response', 'A provider has no providerId.')
  const methods = pick(raw, 'authMethods', 'auth_methods')
  const authMethods = Array.isArray(methods)
    ? methods.flatMap(method => {
        if (!isObject(method) || !text(method.id) || !AUTH_TYPES.has(String(method.type))) return []
        return [{ id: method.id as string, type: method.type as ProviderAuthMethod['type'], name: text(method.name) ?? String(method.type) }]
      })
    : []
  const categories = Array.isArray(raw.categories) ? raw.categories.filter((item): item is string => typeof item === 'string' && item !== '') : []
  const requires = pick(raw, 'requiresConnection', 'requires_connection')
  return {
    providerId,
    providerDeploymentId: text(pick(raw, 'providerDeploymentId', 'provider_deployment_id')),
    name: text(raw.name) ?? providerId,
    description: text(raw.description),
    logoUrl: safeLogo(pick(raw, 'logoUrl', 'logo_url')),
    categories,
    authMethods,
    requiresConnection: typeof requires === 'boolean' ? requires : authMethods.length > 0,
  }
}

/** Accepts `{ items: [...] }` or a bare array. */
export function parseProviderList(raw: unknown): ProviderInfo[] {
  const items = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.items) ? raw.items : null
  if (!items) throw new ConnectError('invalid_response', 'The providers list is neither an array nor { items: [...] }.')
  return items.map(parseProviderInfo)
}
