import { ConnectServerError } from '../http/connect-server-error.js'
import type { ConnectLogger } from '../log/safe-logger.js'
import { forwardedOrigins } from '../http/forwarded-origin.js'

/** Names for this machine: in development the browser may use any of them for the same server. */
const LOOPBACK_ALIASES = ['localhost', '127.0.0.1', '[::1]']

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** The configured origins, normalised; a value that is not an http(s) origin is a startup error. */
export function normaliseOrigins(origins: readonly string[] | undefined): string[] | null {
  if (origins === undefined) return null
  if (!Array.isArray(origins)) throw new TypeError('createConnectServer: `allowedRedirectOrigins` must be an array of origins such as ["https://app.example.com"].')
  return origins.map(origin => {
    let url: URL | null = null
    try {
      url = new URL(origin)
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === 'null') {
      throw new TypeError(`createConnectServer: ${JSON.stringify(origin)} in \`allowedRedirectOrigins\` is not an http(s) origin such as "https://app.example.com".`)
    }
    return url.origin
  })
}

/**
 * Where a `redirectUrl` may point when the app configured no `allowedRedirectOrigins`: the request's
 * own URL, which the runtime sets (plus the other names of this machine when that URL is loopback,
 * so `next dev` browsed at 127.0.0.1 works). `Host` and `X-Forwarded-*` are whatever the caller
 * sends, so they count only when the app says its proxy sets them (`trustProxy`).
 */
export function defaultOrigins(request: Request, trustProxy: boolean): string[] {
  if (trustProxy) return forwardedOrigins(request)
  const url = new URL(request.url)
  if (!isLoopback(url.hostname)) return [url.origin]
  const port = url.port === '' ? '' : `:${url.port}`
  return [url.origin, ...LOOPBACK_ALIASES.map(host => `${url.protocol}//${host}${port}`).filter(origin => origin !== url.origin)]
}

export interface RedirectOriginPolicy {
  /** Throws 400 `redirect_url_not_allowed` unless `redirectUrl` (already checked as http(s)) is on an allowed origin. */
  check(redirectUrl: string | undefined, request: Request): void
}

/**
 * The rule for `redirectUrl`: the consent page sends whoever opens the link there, so it must be one
 * of the app's own origins. The browser is told no; the developer log says which origins count.
 */
export function redirectOriginPolicy(options: { allowedRedirectOrigins?: readonly string[]; trustProxy?: boolean }, log: ConnectLogger): RedirectOriginPolicy {
  const configured = normaliseOrigins(options.allowedRedirectOrigins)
  const trustProxy = options.trustProxy === true
  return {
    check(redirectUrl, request) {
      if (redirectUrl === undefined) return
      const allowed = configured ?? defaultOrigins(request, trustProxy)
      const origin = new URL(redirectUrl).origin
      if (allowed.includes(origin)) return
      log.warn(
        `react-provider-connect: refused a redirectUrl on ${origin}; allowed here: ${allowed.join(', ') || 'none'}. ${
          configured ? 'Add the origin to `allowedRedirectOrigins` if the app is served there.' : 'Set `allowedRedirectOrigins` to the origins the app is served from (or `trustProxy: true` when your own proxy sets Host / X-Forwarded-*).'
        }`,
      )
      throw new ConnectServerError(400, 'redirect_url_not_allowed', `\`redirectUrl\` points to ${origin}, which this app does not allow (see the server's \`allowedRedirectOrigins\`).`)
    },
  }
}
