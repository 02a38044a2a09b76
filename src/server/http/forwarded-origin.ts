/** A bare host[:port]: a name or an IPv6 literal in brackets, nothing a URL parser would reinterpret. */
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/

/** The first value of a header that proxies may send as a comma-separated list. */
export function firstValue(value: string | null | undefined): string | null {
  const head = value?.split(',')[0]?.trim()
  return head ? head : null
}

/** `host` lower-cased when it is a well-formed host[:port] that a URL keeps as is, else null. */
export function validHost(host: string | null | undefined): string | null {
  if (!host || !HOST.test(host)) return null
  try {
    const url = new URL(`http://${host}`)
    // The URL drops a default port (`:80`) and normalises IPv6; compare without the port for that.
    return url.hostname === host.toLowerCase().replace(/:\d{1,5}$/, '') || url.host === host.toLowerCase() ? host.toLowerCase() : null
  } catch {
    return null
  }
}

/** `http` or `https` from a forwarded proto header, null when absent, `undefined` when malformed. */
export function forwardedProto(value: string | null | undefined): 'http' | 'https' | null | undefined {
  const proto = firstValue(value)?.toLowerCase() ?? null
  if (proto === null) return null
  return proto === 'http' || proto === 'https' ? proto : undefined
}

function originOf(scheme: string, host: string | null): string | null {
  const valid = validHost(host)
  if (!valid) return null
  try {
    return new URL(`${scheme}//${valid}`).origin
  } catch {
    return null
  }
}

/**
 * The origins the browser may be on, as a proxy the app trusts describes them (`trustProxy: true`).
 * In a Next.js route `request.url` is always `http://localhost:PORT/…`, so the host comes from
 * `X-Forwarded-Host` or `Host`, and the scheme from `X-Forwarded-Proto`. The `Origin` header (sent
 * by browsers on every POST) is taken only when it names one of those hosts, so it can pick the
 * scheme but never add a host.
 */
export function forwardedOrigins(request: Request): string[] {
  const url = new URL(request.url)
  const proto = forwardedProto(request.headers.get('x-forwarded-proto'))
  const scheme = proto ? `${proto}:` : url.protocol
  const hosts = [firstValue(request.headers.get('x-forwarded-host')), request.headers.get('host'), url.host]
    .map(host => validHost(host))
    .filter((host): host is string => host !== null)
  const origins: string[] = []
  const add = (origin: string | null) => {
    if (origin && !origins.includes(origin)) origins.push(origin)
  }
  const origin = request.headers.get('origin')
  if (origin && origin !== 'null') {
    try {
      const parsed = new URL(origin)
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && hosts.includes(parsed.host)) add(parsed.origin)
    } catch {
      // an unparsable Origin adds nothing
    }
  }
  add(originOf(scheme, hosts[0] ?? null))
  add(url.origin)
  return origins
}
