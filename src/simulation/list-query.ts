/**
 * Metorial's list conventions, as its official client sends them: `limit` 1–100 (default 20),
 * `order` asc|desc (default ascending by id, and ids are time-sortable, so creation order),
 * `after` / `before` / `cursor` (an id to continue from), and filters given once, repeated, or as
 * arrays in brackets (`status[0]=a&status[1]=b`, `status[]=a`: what `qs` makes of an array).
 */

type Json = Record<string, unknown>

export interface ListAnswer {
  status: number
  body: Json
}

/** Every value of `key`, however the array was written; null when the query does not filter on it. */
export function filterValues(url: URL, key: string): string[] | null {
  const values: string[] = []
  let present = false
  for (const [name, value] of url.searchParams) {
    if (name === key || name === `${key}[]` || new RegExp(`^${key}\\[\\d+\\]$`).test(name)) {
      present = true
      values.push(...value.split(',').filter(part => part !== ''))
    }
  }
  return present ? values : null
}

/** Whether `value` passes the filter `key` (absent filter: everything passes). */
export function matches(url: URL, key: string, value: string | null | undefined): boolean {
  const wanted = filterValues(url, key)
  return wanted === null || (value !== null && value !== undefined && wanted.includes(value))
}

/** One page of `items` (already in creation order and filtered), as Metorial answers a list. */
export function listPage<T extends { id: string }>(items: T[], url: URL, wire: (item: T) => Json): ListAnswer {
  const given = url.searchParams.get('limit')
  const limit = given === null ? 20 : Number(given)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid('limit must be an integer from 1 to 100.')
  const order = url.searchParams.get('order') ?? 'asc'
  if (order !== 'asc' && order !== 'desc') return invalid('order must be asc or desc.')
  const ordered = order === 'desc' ? [...items].reverse() : items
  const after = url.searchParams.get('after') ?? url.searchParams.get('cursor')
  const before = url.searchParams.get('before')
  let start = 0
  let end = ordered.length
  if (after) start = ordered.findIndex(item => item.id === after) + 1
  if (before) {
    const index = ordered.findIndex(item => item.id === before)
    if (index >= 0) end = index
  }
  // `before` alone pages backwards: the items just before the cursor.
  const page = before && !after ? ordered.slice(Math.max(start, end - limit), end) : ordered.slice(start, Math.min(end, start + limit))
  const first = page.length > 0 ? ordered.indexOf(page[0] as T) : start
  const last = page.length > 0 ? ordered.indexOf(page[page.length - 1] as T) : start - 1
  return {
    status: 200,
    body: { items: page.map(wire), pagination: { has_more_before: first > 0, has_more_after: last < ordered.length - 1 } },
  }
}

function invalid(message: string): ListAnswer {
  return { status: 400, body: { object: 'error', status: 400, code: 'invalid_data', message } }
}
