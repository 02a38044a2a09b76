/** `createHttpBackend`: the operations of the backend contract, over `fetch`. */
import { withServerDate } from '../engine/deadline.js'
import { abortedError, ConnectError } from '../errors.js'
import { parseConnection, parseConnectionList, parseSetupSession } from './normalize.js'
import { parseProviderList } from './providers.js'
import type { ConnectBackend } from '../types.js'

export type HeadersInput = HeadersInit | (() => HeadersInit | undefined)

export interface HttpBackendOptions {
  /** Where the app's backend serves the contract, e.g. `'/api/connect'`. Required. */
  endpoint: string
  /**
   * Headers sent with every request (a CSRF token, an `Authorization` header). A function is called
   * per request, so a rotating token stays fresh. Defaults to none.
   */
  headers?: HeadersInput
  /** The fetch to use. Defaults to the global `fetch`, looked up at call time. */
  fetch?: typeof fetch
  /** `fetch`'s `credentials`. Defaults to `'same-origin'`. */
  credentials?: RequestCredentials
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

async function errorFromResponse(response: Response): Promise<ConnectError> {
  const body = await readJson(response).catch(() => undefined)
  const fields = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : {}
  const message = typeof fields.message === 'string' && fields.message !== '' ? fields.message : `The backend answered ${response.status}.`
  return new ConnectError('http', message, {
    status: response.status,
    backendCode: typeof fields.code === 'string' ? fields.code : undefined,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  })
}

/** URLs whose 404 was logged: a flow that reads a session again and again logs its 404 once. */
const reported404 = new Set<string>()

/** A backend that speaks the HTTP contract (see the README) under `endpoint`. */
export function createHttpBackend(options: HttpBackendOptions): ConnectBackend {
  if (typeof options.endpoint !== 'string' || options.endpoint === '') {
    throw new ConnectError('invalid_options', 'createHttpBackend needs an `endpoint`, e.g. "/api/connect".')
  }
  const base = options.endpoint.replace(/\/+$/, '')

  async function request(method: string, path: string, signal: AbortSignal, body?: unknown): Promise<Response> {
    const doFetch = options.fetch ?? globalThis.fetch
    const headers = new Headers(typeof options.headers === 'function' ? options.headers() : options.headers)
    headers.set('accept', 'application/json')
    if (body !== undefined) headers.set('content-type', 'application/json')
    const url = base + path
    let response: Response
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: options.credentials ?? 'same-origin',
        signal,
      })
    } catch (cause) {
      if (signal.aborted) throw abortedError(cause)
      throw new ConnectError('network', 'The backend could not be reached.', { cause })
    }
    // The end user reads "The backend answered 404"; the developer learns which URL, and which
    // option to check. The URL holds ids only (no secret, no header); a DELETE's 404 means "already gone".
    if (response.status === 404 && method !== 'DELETE' && !reported404.has(url)) {
      reported404.add(url)
      console.error(`react-provider-connect: ${method} ${url} answered 404. Is \`endpoint\` ("${options.endpoint}") on <ConnectProvider> right, and is the connect handler mounted there?`)
    }
    if (!response.ok) throw await errorFromResponse(response)
    return response
  }

  /** The answer's JSON, and the server's clock reading (`Date`) to measure the session's lifetime with. */
  async function json(method: string, path: string, signal: AbortSignal, body?: unknown): Promise<{ value: unknown; date: string | null }> {
    const response = await request(method, path, signal, body)
    let text: string
    try {
      text = await response.text()
    } catch (cause) {
      if (signal.aborted) throw abortedError(cause)
      throw new ConnectError('network', 'The backend connection broke while answering.', { cause })
    }
    try {
      return { value: JSON.parse(text) as unknown, date: response.headers.get('date') }
    } catch (cause) {
      // `status` tells an unreadable answer (a proxy's HTML page) from a readable one that breaks the contract.
      throw new ConnectError('invalid_response', `The backend's answer to ${method} ${path.split('/')[1] ?? path} is not JSON.`, { cause, status: response.status })
    }
  }

  const session = ({ value, date }: { value: unknown; date: string | null }) => withServerDate(parseSetupSession(value), date)

  return {
    async createSetupSession(input, { signal }) {
      return session(await json('POST', '/setup-sessions', signal, input))
    },
    async getSetupSession(id, { signal }) {
      return session(await json('GET', `/setup-sessions/${encodeURIComponent(id)}`, signal))
    },
    async listConnections({ signal }) {
      return parseConnectionList((await json('GET', '/connections', signal)).value)
    },
    async removeConnection(authConfigId, { signal }) {
      await request('DELETE', `/connections/${encodeURIComponent(authConfigId)}`, signal)
    },
    async renameConnection(authConfigId, name, { signal }) {
      return parseConnection((await json('PATCH', `/connections/${encodeURIComponent(authConfigId)}`, signal, { name })).value)
    },
    async listProviders({ signal }) {
      return parseProviderList((await json('GET', '/providers', signal)).value)
    },
  }
}
