import { UpstreamError } from './upstream-error.js'

export interface MetorialClientOptions {
  apiKey: string
  baseUrl: string
  version: string
  fetch: typeof fetch
  timeoutMs: number
  /** Extra attempts for a GET answered 429/503 with a short enough `Retry-After`. */
  maxRetries: number
  /** Longest `Retry-After` worth waiting for inside one request; a longer one is passed on. */
  maxRetryDelayMs: number
}

export interface MetorialRequest {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  /** The incoming request's signal: a browser that went away cancels the upstream call. */
  signal?: AbortSignal
}

export interface MetorialClient {
  request(call: MetorialRequest): Promise<unknown>
}

function retryDelayMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** A small client for Metorial's REST API: snake_case JSON, Bearer key, version header, timeout, bounded 429 retries. */
export function createMetorialClient(options: MetorialClientOptions): MetorialClient {
  const base = options.baseUrl.replace(/\/+$/, '')

  async function attempt(call: MetorialRequest): Promise<Response> {
    const url = new URL(`${base}${call.path}`)
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, value)
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), options.timeoutMs)
    const forward = () => controller.abort()
    call.signal?.addEventListener('abort', forward, { once: true })
    try {
      return await options.fetch(url, {
        method: call.method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${options.apiKey}`,
          'metorial-version': options.version,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
      })
    } catch {
      // The cause can quote the request (URL, headers); it stays out of the error on purpose.
      if (controller.signal.aborted && !call.signal?.aborted) {
        throw new UpstreamError('timeout', `Metorial did not answer ${call.method} ${call.path.split('/')[1]} within ${options.timeoutMs} ms.`)
      }
      throw new UpstreamError('network', `Metorial could not be reached for ${call.method} ${call.path.split('/')[1]}.`)
    } finally {
      clearTimeout(timer)
      call.signal?.removeEventListener('abort', forward)
    }
  }

  async function readText(response: Response, call: MetorialRequest): Promise<string> {
    try {
      return await response.text()
    } catch {
      throw new UpstreamError('network', `Metorial's answer to ${call.method} ${call.path.split('/')[1]} broke off.`)
    }
  }

  return {
    async request(call) {
      for (let retry = 0; ; retry++) {
        const response = await attempt(call)
        const text = await readText(response, call)
        if (response.ok) {
          if (text === '') return undefined
          const parsed = parseJson(text)
          if (!parsed.ok) throw new UpstreamError('invalid_response', `Metorial answered ${call.method} ${call.path.split('/')[1]} with something that is not JSON.`)
          return parsed.value
        }
        const retryAfter = response.headers.get('retry-after')
        const delay = retryDelayMs(retryAfter)
        const retryable = call.method === 'GET' && (response.status === 429 || response.status === 503)
        if (retryable && retry < options.maxRetries && (delay ?? 0) <= options.maxRetryDelayMs && !call.signal?.aborted) {
          await sleep(delay ?? 250 * 2 ** retry, call.signal)
          continue
        }
        const parsed = parseJson(text)
        const body = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as Record<string, unknown>) : {}
        throw new UpstreamError(
          'http',
          typeof body.message === 'string' ? body.message : `Metorial answered ${response.status}.`,
          {
            status: response.status,
            code: typeof body.code === 'string' ? body.code : undefined,
            retryAfter: retryAfter ?? undefined,
          },
        )
      }
    },
  }
}
