import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectError, createHttpBackend, waitForSetupSession } from '../../src/core/index.js'
import type { ConnectBackend, SetupSession, WaitForSetupSessionOptions } from '../../src/core/index.js'

/**
 * Fault matrix for `waitForSetupSession` over a real HTTP backend whose `fetch` misbehaves in
 * scripted ways. Each row is one fault at one phase of the wait and what the caller sees.
 */

const SESSION = 'pas_1'
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

type Answer =
  | 'pending'
  | 'completed'
  | 'completed_no_auth'
  | 'completed_other'
  | 'failed'
  | 'expired'
  | 'archived'
  | 'html200'
  | 'json_garbage'
  | 'http404'
  | 'http500'
  | 'http503'
  | 'http429'
  | 'http429_huge'
  | 'network'
  | 'never'

interface Row {
  name: string
  /** Answers to successive reads; the last one repeats. */
  answers: Answer[]
  options?: Partial<WaitForSetupSessionOptions>
  /** Offset of the server's clock from ours (sent as `Date`, used for `expiresAt`). */
  serverSkewMs?: number
  /** Session lifetime on the server's clock. */
  lifetimeMs?: number
  advance: number
  outcome: { resolves: 'completed' } | { rejects: ConnectError['code'] } | { pending: true }
  /** Upper bound on reads during `advance`: no busy loop. */
  maxReads?: number
}

function sessionBody(status: string, serverNow: number, lifetimeMs: number, id = SESSION, withAuth = true) {
  return {
    id,
    status,
    url: 'https://consent.example.com/s/1',
    expiresAt: new Date(serverNow + lifetimeMs).toISOString(),
    authConfig: status === 'completed' && withAuth ? { id: 'ac_1' } : null,
  }
}

function harness(row: Row) {
  const skew = row.serverSkewMs ?? 0
  const lifetime = row.lifetimeMs ?? 10 * MINUTE
  const createdServerNow = Date.now() + skew
  let reads = 0
  let inFlight = 0
  const fetchFn = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const answer = row.answers[Math.min(reads, row.answers.length - 1)]!
    reads++
    const serverNow = Date.now() + skew
    const headers = { 'content-type': 'application/json', date: new Date(serverNow).toUTCString() }
    const json = (status: string, id?: string, withAuth?: boolean) =>
      new Response(JSON.stringify(sessionBody(status, createdServerNow, lifetime, id, withAuth)), { status: 200, headers })
    switch (answer) {
      case 'pending':
      case 'failed':
      case 'expired':
      case 'archived':
      case 'completed':
        return json(answer)
      case 'completed_no_auth':
        return json('completed', SESSION, false)
      case 'completed_other':
        return json('completed', 'pas_other')
      case 'html200':
        return new Response('<!doctype html><html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } })
      case 'json_garbage':
        return new Response('{"hello":', { status: 200, headers })
      case 'http404':
        return new Response('{"error":"not found"}', { status: 404, headers })
      case 'http500':
        return new Response('oops', { status: 500, headers })
      case 'http503':
        return new Response('busy', { status: 503, headers })
      case 'http429':
        return new Response('slow down', { status: 429, headers: { ...headers, 'retry-after': '5' } })
      case 'http429_huge':
        return new Response('slow down', { status: 429, headers: { ...headers, 'retry-after': String(60 * 24 * 3600) } })
      case 'network':
        throw new TypeError('Failed to fetch')
      case 'never':
        // Ignores the abort signal on purpose: the wait must not depend on the backend honouring it.
        void init
        inFlight++
        return new Promise<Response>(() => {})
    }
  })
  const backend = createHttpBackend({ endpoint: 'https://app.example.com/api/connect', fetch: fetchFn as typeof fetch })
  const session: SetupSession = {
    id: SESSION,
    status: 'pending',
    url: 'https://consent.example.com/s/1',
    expiresAt: new Date(createdServerNow + lifetime).toISOString(),
  }
  return { backend, session, get reads() { return reads }, get hung() { return inFlight } }
}

const rows: Row[] = [
  // Final answers on the first read.
  { name: 'completed on first read', answers: ['completed'], advance: 5_000, outcome: { resolves: 'completed' } },
  { name: 'failed on first read', answers: ['failed'], advance: 5_000, outcome: { rejects: 'session_failed' } },
  { name: 'expired on first read', answers: ['expired'], advance: 5_000, outcome: { rejects: 'session_expired' } },
  { name: 'archived on first read', answers: ['archived'], advance: 5_000, outcome: { rejects: 'session_archived' } },
  { name: 'completed without authConfig', answers: ['completed_no_auth'], advance: 5_000, outcome: { rejects: 'invalid_response' } },
  { name: 'completed for another session id (first read)', answers: ['completed_other'], advance: 5_000, outcome: { rejects: 'invalid_response' } },
  { name: 'completed for another session id (later read)', answers: ['pending', 'pending', 'completed_other'], advance: 30_000, outcome: { rejects: 'invalid_response' } },
  // Final answers after some polling.
  { name: 'completed on a later read', answers: ['pending', 'pending', 'pending', 'completed'], advance: 60_000, outcome: { resolves: 'completed' } },
  { name: 'failed on a later read', answers: ['pending', 'pending', 'failed'], advance: 60_000, outcome: { rejects: 'session_failed' } },
  { name: 'expired on a later read', answers: ['pending', 'expired'], advance: 60_000, outcome: { rejects: 'session_expired' } },
  { name: 'archived on a later read', answers: ['pending', 'archived'], advance: 60_000, outcome: { rejects: 'session_archived' } },
  // Transient failures are retried.
  { name: 'network error then completed', answers: ['network', 'completed'], advance: 60_000, outcome: { resolves: 'completed' } },
  { name: '500 then completed', answers: ['http500', 'completed'], advance: 60_000, outcome: { resolves: 'completed' } },
  { name: '503 twice then completed', answers: ['http503', 'http503', 'completed'], advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: '429 with Retry-After then completed', answers: ['http429', 'completed'], advance: 60_000, outcome: { resolves: 'completed' } },
  { name: 'network error on a later read then completed', answers: ['pending', 'pending', 'network', 'completed'], advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'pending, 500, pending, completed', answers: ['pending', 'http500', 'pending', 'completed'], advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  // Reads that never answer.
  { name: 'first read never answers, then completed (requestTimeout retries)', answers: ['never', 'completed'], options: { requestTimeout: 5_000 }, advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'later read never answers, then completed', answers: ['pending', 'never', 'completed'], options: { requestTimeout: 5_000 }, advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'default requestTimeout (15 s) unblocks a hung read', answers: ['never', 'completed'], advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'every read hangs: timeout still settles', answers: ['never'], options: { timeout: 60_000 }, advance: 61_000, outcome: { rejects: 'timeout' } },
  { name: 'every read hangs with a long requestTimeout: timeout still settles', answers: ['never'], options: { timeout: 10_000, requestTimeout: 10 * MINUTE }, advance: 10_500, outcome: { rejects: 'timeout' } },
  { name: 'every read hangs past expiresAt: settles as expired or timeout, not never', answers: ['never'], lifetimeMs: 60_000, options: { requestTimeout: 10 * MINUTE }, advance: 2 * MINUTE, outcome: { rejects: 'session_expired' } },
  // Bad answers.
  { name: 'HTML with 200 forever: gives up with invalid_response, not a hang', answers: ['html200'], options: { maxRetries: 2 }, advance: 10 * MINUTE, outcome: { rejects: 'invalid_response' } },
  { name: 'one HTML 200 then completed', answers: ['pending', 'html200', 'completed'], advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'one invalid JSON then completed', answers: ['json_garbage', 'completed'], advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'two 404s then completed (a proxy hiccup is not the end)', answers: ['pending', 'http404', 'http404', 'completed'], advance: 3 * MINUTE, outcome: { resolves: 'completed' } },
  // Timeouts and deadlines.
  { name: 'pending forever with timeout 10 s', answers: ['pending'], options: { timeout: 10_000 }, advance: 10_001, outcome: { rejects: 'timeout' } },
  { name: 'pending forever until expiresAt', answers: ['pending'], lifetimeMs: 2 * MINUTE, advance: 2 * MINUTE + 30_000, outcome: { rejects: 'session_expired' } },
  { name: 'pending with a 30-day timeout: not rejected early and no busy loop', answers: ['pending'], options: { timeout: 30 * DAY }, lifetimeMs: 40 * DAY, advance: 30 * MINUTE, outcome: { pending: true }, maxReads: 400 },
  { name: '40-day expiresAt: not expired at once and no busy loop', answers: ['pending'], lifetimeMs: 40 * DAY, options: { timeout: 41 * DAY }, advance: 30 * MINUTE, outcome: { pending: true }, maxReads: 400 },
  { name: 'huge Retry-After (60 days) does not fire at once', answers: ['http429_huge', 'completed'], options: { timeout: 90 * DAY }, lifetimeMs: 90 * DAY, advance: 10 * MINUTE, outcome: { pending: true }, maxReads: 3 },
  // Clock skew (no createdAt; server clock differs from ours).
  { name: 'server clock 1 h behind: not expired early, late completion resolves', answers: ['pending', 'pending', 'pending', 'completed'], serverSkewMs: -60 * MINUTE, advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'server clock 1 h ahead: completion still resolves', answers: ['pending', 'pending', 'completed'], serverSkewMs: 60 * MINUTE, advance: 2 * MINUTE, outcome: { resolves: 'completed' } },
  { name: 'server clock 1 h behind: pending forever is not expired in the first minute', answers: ['pending'], serverSkewMs: -60 * MINUTE, advance: MINUTE, outcome: { pending: true } },
  // Load: waitForSetupSession's documented ceiling is one read per maxPollInterval (5 s by default).
  { name: 'pending 30 minutes with maxPollInterval 30 s costs at most 80 reads', answers: ['pending'], lifetimeMs: 31 * MINUTE, options: { maxPollInterval: 30_000 }, advance: 30 * MINUTE, outcome: { pending: true }, maxReads: 80 },
]

const invalidOptions: Array<[string, Partial<WaitForSetupSessionOptions>]> = [
  ['pollInterval: 0', { pollInterval: 0 }],
  ['pollInterval: -1', { pollInterval: -1 }],
  ['pollInterval: NaN', { pollInterval: Number.NaN }],
  ['timeout: NaN', { timeout: Number.NaN }],
  ['timeout: -5', { timeout: -5 }],
  ['maxRetries: -1', { maxRetries: -1 }],
  ['requestTimeout: 0', { requestTimeout: 0 }],
  ['requestTimeout: NaN', { requestTimeout: Number.NaN }],
]

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('waitForSetupSession fault matrix', () => {
  it.each(rows.map(row => [row.name, row] as const))('%s', async (_, row) => {
    const h = harness(row)
    const outcome: { value?: SetupSession; error?: unknown; settled: boolean } = { settled: false }
    waitForSetupSession({ backend: h.backend, session: h.session, ...row.options }).then(
      value => Object.assign(outcome, { value, settled: true }),
      (error: unknown) => Object.assign(outcome, { error, settled: true }),
    )
    await vi.advanceTimersByTimeAsync(row.advance)
    if ('resolves' in row.outcome) {
      expect(outcome.error).toBeUndefined()
      expect(outcome.value).toMatchObject({ id: SESSION, status: 'completed', authConfig: { id: 'ac_1' } })
    } else if ('rejects' in row.outcome) {
      expect(outcome.value).toBeUndefined()
      expect(outcome.error).toBeInstanceOf(ConnectError)
      expect((outcome.error as ConnectError).code).toBe(row.outcome.rejects)
    } else {
      expect(outcome.settled).toBe(false)
    }
    if (row.maxReads !== undefined) expect(h.reads).toBeLessThanOrEqual(row.maxReads)
    if (outcome.settled) {
      // Nothing keeps running after the wait settled.
      const readsAtEnd = h.reads
      await vi.advanceTimersByTimeAsync(10 * MINUTE)
      expect(h.reads).toBe(readsAtEnd)
      expect(vi.getTimerCount()).toBe(0)
    }
  })

  it.each(invalidOptions)('rejects %s with invalid_options', async (_, options) => {
    const h = harness({ name: '', answers: ['pending'], advance: 0, outcome: { pending: true } })
    const outcome: { error?: unknown } = {}
    waitForSetupSession({ backend: h.backend, session: h.session, ...options }).catch((error: unknown) => {
      outcome.error = error
    })
    await vi.advanceTimersByTimeAsync(0)
    expect((outcome.error as ConnectError | undefined)?.code).toBe('invalid_options')
    expect(h.reads).toBe(0)
  })

  it('abort rejects at once even while a read hangs and ignores the signal', async () => {
    const h = harness({ name: '', answers: ['never'], advance: 0, outcome: { pending: true } })
    const controller = new AbortController()
    const outcome: { error?: unknown } = {}
    waitForSetupSession({ backend: h.backend, session: h.session, signal: controller.signal, requestTimeout: 10 * MINUTE }).catch(
      (error: unknown) => {
        outcome.error = error
      },
    )
    await vi.advanceTimersByTimeAsync(1_000)
    expect(h.hung).toBe(1)
    controller.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect((outcome.error as ConnectError | undefined)?.code).toBe('aborted')
  })

  it('an already-aborted signal rejects without reading', async () => {
    const h = harness({ name: '', answers: ['completed'], advance: 0, outcome: { pending: true } })
    const controller = new AbortController()
    controller.abort()
    await expect(waitForSetupSession({ backend: h.backend, session: h.session, signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' })
    expect(h.reads).toBe(0)
  })

  it('a function backend answering for another session id is invalid_response', async () => {
    const backend: ConnectBackend = {
      createSetupSession: async () => {
        throw new Error('unused')
      },
      getSetupSession: async () => ({ id: 'pas_other', status: 'completed', url: 'https://x.example/1', authConfig: { id: 'ac_x' } }),
      listConnections: async () => [],
      removeConnection: async () => {},
    }
    const wait = waitForSetupSession({ backend, session: SESSION })
    const assertion = expect(wait).rejects.toMatchObject({ code: 'invalid_response' })
    await vi.advanceTimersByTimeAsync(5_000)
    await assertion
  })

  it('a function backend with its clock 1 h behind (expiresAt already past locally) does not expire at once', async () => {
    const serverNow = () => Date.now() - 60 * MINUTE
    let reads = 0
    const expiresAt = new Date(serverNow() + 10 * MINUTE).toISOString()
    const backend: ConnectBackend = {
      createSetupSession: async () => {
        throw new Error('unused')
      },
      getSetupSession: async id => {
        reads++
        return reads < 3
          ? { id, status: 'pending', url: 'https://x.example/1', expiresAt }
          : { id, status: 'completed', url: 'https://x.example/1', expiresAt, authConfig: { id: 'ac_1' } }
      },
      listConnections: async () => [],
      removeConnection: async () => {},
    }
    const outcome: { value?: SetupSession; error?: unknown } = {}
    waitForSetupSession({ backend, session: { id: SESSION, status: 'pending', url: 'https://x.example/1', expiresAt } }).then(
      value => (outcome.value = value),
      (error: unknown) => (outcome.error = error),
    )
    await vi.advanceTimersByTimeAsync(2 * MINUTE)
    expect(outcome.error).toBeUndefined()
    expect(outcome.value).toMatchObject({ status: 'completed', authConfig: { id: 'ac_1' } })
  })
})
