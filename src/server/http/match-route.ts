/** One row of a route table: a method and a path below the mount point, with `:id` for an id segment. */
export interface RoutePattern {
  method: string
  path: string
}

/** The route for a request, `id` being its raw (still percent-encoded) `:id` segment; or the methods its path takes. */
export type RouteMatch<R> = { route: R; id: string } | { allow: string }

/**
 * Finds the route for a request in `routes`. With `basePath`, the path must be `basePath` plus a
 * route's path; without it, a route is read from the path's tail, so the handler works under any
 * mount path (`/api/connect`, `/connect`, a Next.js catch-all). Shorter paths are tried first, so
 * `…/setup-sessions/connections` lists connections rather than reading a session called
 * `connections`. `null` when no path fits; `{ allow }` when one fits under other methods only.
 */
export function matchRoute<R extends RoutePattern>(routes: readonly R[], method: string, pathname: string, basePath?: string): RouteMatch<R> | null {
  let rest = pathname
  if (basePath !== undefined) {
    const base = basePath.replace(/\/+$/, '')
    if (!pathname.startsWith(`${base}/`)) return null
    rest = pathname.slice(base.length)
  }
  const segments = rest.replace(/\/+$/, '').split('/')
  const byLength = [...routes].sort((a, b) => a.path.split('/').length - b.path.split('/').length)
  for (const candidate of byLength) {
    const id = fit(candidate.path.split('/'), segments, basePath !== undefined)
    if (id === null) continue
    const samePath = routes.filter(route => route.path === candidate.path)
    const route = samePath.find(item => item.method === method)
    return route ? { route, id } : { allow: samePath.map(item => item.method).join(', ') }
  }
  return null
}

/** The `:id` segment ('' for a path without one) when `pattern` ends `segments` (is all of them, when anchored), else null. */
function fit(pattern: string[], segments: string[], anchored: boolean): string | null {
  if (anchored ? segments.length - 1 !== pattern.length : segments.length < pattern.length) return null
  const tail = segments.slice(segments.length - pattern.length)
  let id = ''
  for (const [index, part] of pattern.entries()) {
    const segment = tail[index] as string
    if (part === ':id') {
      if (segment === '') return null
      id = segment
    } else if (segment !== part) return null
  }
  return id
}
