import { ConnectServerError } from '../http/connect-server-error.js'

/** What the rate limit is asked about: one user starting one setup session, renaming a connection, or opening a connect link. */
export interface RateLimitInput {
  userId: string
  /**
   * What is being limited: the writes that cost an upstream call the user can repeat at will, and
   * the pages of a connect link (`open_link`, counted per link: anyone holding it may press it).
   */
  action: 'create_session' | 'rename_connection' | 'open_link'
  request: Request
  /** For `open_link`: the link's id (`cl_…`). */
  linkId?: string
}

/** `allowed: false` answers 429 `rate_limited` with `Retry-After: retryAfterSeconds`. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Decides whether a user may go on; replace the default with one over a store all app servers share. */
export type RateLimit = (input: RateLimitInput) => RateLimitDecision | Promise<RateLimitDecision>

export interface MemoryRateLimitOptions {
  /** Sessions one user may create per window. Defaults to `DEFAULT_RATE_LIMIT.limit` (`30`). */
  limit?: number
  /** The window, in ms. Defaults to `60000` (a minute). */
  windowMs?: number
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
}

export const DEFAULT_RATE_LIMIT = { limit: 30, windowMs: 60_000 } as const

/** Past this many tracked users, idle ones are dropped before a new one is added: memory stays bounded. */
const SWEEP_AT = 10_000

/**
 * The default: a sliding window per user, in this process's memory. Each app server counts on its
 * own, so N servers behind a load balancer allow up to N × `limit`; use a shared store for an exact
 * limit (docs/server.md has recipes for PostgreSQL and Redis).
 */
export function memoryRateLimit(options: MemoryRateLimitOptions = {}): RateLimit {
  const limit = options.limit ?? DEFAULT_RATE_LIMIT.limit
  const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT.windowMs
  const now = options.now ?? Date.now
  if (!Number.isInteger(limit) || limit < 1 || !(windowMs > 0)) throw new TypeError('memoryRateLimit needs a whole `limit` of at least 1 and a positive `windowMs`.')
  const hits = new Map<string, number[]>()

  function sweep(at: number): void {
    for (const [user, times] of hits) if ((times.at(-1) ?? 0) <= at - windowMs) hits.delete(user)
  }

  return ({ userId, action, linkId }) => {
    const at = now()
    // A link is counted on its own: whoever holds it, its presses do not use up its user's sessions.
    const key = action === 'open_link' ? `link:${linkId ?? ''}` : userId
    const recent = (hits.get(key) ?? []).filter(time => time > at - windowMs)
    if (recent.length >= limit) {
      hits.set(key, recent)
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((recent[0] as number) + windowMs - at) / 1000)) }
    }
    if (!hits.has(key) && hits.size >= SWEEP_AT) sweep(at)
    recent.push(at)
    hits.set(key, recent)
    return { allowed: true }
  }
}

/** Asks the rate limit (none when `false`) and answers 429 with `Retry-After` when it says no. */
export async function enforceRateLimit(rateLimit: RateLimit | null, input: RateLimitInput): Promise<void> {
  if (!rateLimit) return
  const decision = await rateLimit(input)
  if (decision.allowed) return
  const seconds = Math.min(Math.max(1, Math.ceil(Number(decision.retryAfterSeconds) || 1)), 86_400)
  throw new ConnectServerError(429, 'rate_limited', 'Too many connection attempts. Try again shortly.', { 'retry-after': String(seconds) })
}
