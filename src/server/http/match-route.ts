export type ConnectRoute =
  | { name: 'sessions' }
  | { name: 'session'; id: string }
  | { name: 'connections' }
  | { name: 'connection'; id: string }
  | { name: 'providers' }

/** Methods each route answers; anything else is a 405 with this as `Allow`. */
export const ROUTE_METHODS: Record<ConnectRoute['name'], string> = {
  sessions: 'POST',
  session: 'GET',
  connections: 'GET',
  connection: 'DELETE',
  providers: 'GET',
}

const COLLECTIONS = { 'setup-sessions': 'sessions', connections: 'connections', providers: 'providers' } as const
const ITEMS = { 'setup-sessions': 'session', connections: 'connection' } as const

function isCollection(segment: string | undefined): segment is keyof typeof COLLECTIONS {
  return segment === 'setup-sessions' || segment === 'connections' || segment === 'providers'
}

function hasItems(segment: string | undefined): segment is keyof typeof ITEMS {
  return segment === 'setup-sessions' || segment === 'connections'
}

/**
 * Finds the contract route in a path. With `basePath`, the path must be `basePath` plus the route;
 * without it, the route is read from the path's tail, so the handler works under any mount path
 * (`/api/connect`, `/connect`, a Next.js catch-all). The id comes back raw (still percent-encoded).
 */
export function matchRoute(pathname: string, basePath?: string): ConnectRoute | null {
  let rest = pathname
  if (basePath !== undefined) {
    const base = basePath.replace(/\/+$/, '')
    if (!pathname.startsWith(`${base}/`)) return null
    rest = pathname.slice(base.length)
  }
  const segments = rest.replace(/\/+$/, '').split('/')
  const last = segments[segments.length - 1]
  const previous = segments[segments.length - 2]
  const limit = basePath === undefined ? Infinity : 1
  if (isCollection(last) && segments.length - 1 <= limit) return { name: COLLECTIONS[last] }
  if (hasItems(previous) && last !== undefined && last !== '' && segments.length - 2 <= limit) {
    return { name: ITEMS[previous], id: last }
  }
  return null
}
