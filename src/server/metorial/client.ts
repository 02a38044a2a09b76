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
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  /** Query parameters; an array repeats its key (`id=a&id=b`), as Metorial's list filters take many values. */
  query?: Record<string, string | readonly string[] | undefined>
  body?: unknown
  /** The incoming request's signal: a browser that went away cancels the upstream call. */
  signal?: AbortSignal
  /**
   * `Metorial-Version` for this call, when its route lives in another API version than the
   * client's (the legacy `provider-oauth` routes exist only in pulsar). Defaults to the client's.
   */
  version?: string
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

  /** One call, body included: the timeout also covers an answer whose body trickles in or never ends. */
  async function attempt(call: MetorialRequest): Promise<{ response: Response; text: string }> {
    const url = new URL(`${base}${call.path}`)
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (typeof value === 'string') url.searchParams.set(key, value)
      else if (value !== undefined) for (const item of value) url.searchParams.append(key, item)
    }
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), options.timeoutMs)
    const forward = () => controller.abort()
    call.signal?.addEventListener('abort', forward, { once: true })
    const what = `${call.method} ${call.path.split('/')[1]}`
    const timedOut = () => controller.signal.aborted && !call.signal?.aborted
    try {
      let response: Response
      try {
        response = await options.fetch(url, {
          method: call.method,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${options.apiKey}`,
            'metorial-version': call.version ?? options.version,
            ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: controller.signal,
        })
      } catch {
        // The cause can quote the request (URL, headers); it stays out of the error on purpose.
        if (timedOut()) throw new UpstreamError('timeout', `Metorial did not answer ${what} within ${options.timeoutMs} ms.`)
        throw new UpstreamError('network', `Metorial could not be reached for ${what}.`)
      }
      try {
        const text = await Promise.race([
          response.text(),
          new Promise<never>((_, reject) => {
            if (controller.signal.aborted) reject(new Error('aborted'))
            controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })
          }),
        ])
        return { response, text }
      } catch {
        response.body?.cancel().catch(() => undefined)
        if (timedOut()) throw new UpstreamError('timeout', `Metorial did not finish answering ${what} within ${options.timeoutMs} ms.`)
        throw new UpstreamError('network', `Metorial's answer to ${what} broke off.`)
      }
    } finally {
      clearTimeout(timer)
      call.signal?.removeEventListener('abort', forward)
    }
  }

  return {
    async request(call) {
      for (let retry = 0; ; retry++) {
        const { response, text } = await attempt(call)
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
          await sleep(Math.min(delay ?? 250 * 2 ** retry, options.maxRetryDelayMs), call.signal)
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
            hint: typeof body.hint === 'string' ? body.hint : undefined,
            errors: Array.isArray(body.errors) ? body.errors : undefined,
            // Passed on as whole seconds, and only when it parses: never Metorial's raw text.
            retryAfter: delay === undefined ? undefined : String(Math.min(Math.ceil(delay / 1000), 86_400)),
          },
        )
      }
    },
  }
}
