/** The first value of a header that proxies may send as a comma-separated list. */
function first(value: string | null): string | null {
  const head = value?.split(',')[0]?.trim()
  return head ? head : null
}

/** `proto://host` when `host` is a bare host[:port] (nothing a URL parser would reinterpret). */
function originOf(proto: string, host: string | null): string | null {
  if (!host || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) return null
  try {
    const url = new URL(`${proto}//${host}`)
    return url.host === host.toLowerCase() ? url.origin : null
  } catch {
    return null
  }
}

/**
 * The origins a `redirectUrl` may use when the app configured none: where the browser is. In a
 * Next.js route `request.url` is always `http://localhost:PORT/…`, so the host comes from
 * `X-Forwarded-Host` or `Host`, and the scheme from `X-Forwarded-Proto`. The `Origin` header (sent
 * by browsers on every POST) is taken only when it names one of those hosts, so it can pick the
 * scheme but never add a host. Headers can be set by whoever sends the request, which is why
 * production apps pass `allowedRedirectOrigins`.
 */
export function requestOrigins(request: Request): string[] {
  const url = new URL(request.url)
  const proto = first(request.headers.get('x-forwarded-proto'))
  const scheme = proto === 'https' || proto === 'http' ? `${proto}:` : url.protocol
  const hosts = [first(request.headers.get('x-forwarded-host')), request.headers.get('host'), url.host]
    .filter((host): host is string => host !== null)
    .map(host => host.toLowerCase())
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
