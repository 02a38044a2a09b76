import { ConnectError } from '../core/errors.js'
import type { ProviderInfo } from '../core/backend/providers.js'
import type { BackendCallOptions, ConnectBackend, Connection, CreateSetupSessionInput, SetupSession, SetupSessionStatus } from '../core/types.js'

export type MockOperation = 'createSetupSession' | 'getSetupSession' | 'listConnections' | 'removeConnection' | 'renameConnection' | 'listProviders'

/** A scripted failure: an HTTP-like answer, or `'network'` for a request that never got one. */
export type MockFailure = 'network' | { status: number; code?: string; message?: string; retryAfterMs?: number }

export interface MockBackendOptions {
  /** Delay of every call, in ms (uses the global `setTimeout`, so fake timers control it). Defaults to `0`. */
  latency?: number
  /** How long a session stays pending before it reads as `expired`, in ms. Defaults to 30 minutes. */
  lifetimeMs?: number
  /** Connections the user already has (`status: 'revoked'` for one the provider's side dropped). Defaults to none. */
  connections?: Array<Partial<Connection> & { providerId: string }>
  /** The catalogue `listProviders` answers (fields left out get defaults). Defaults to none. */
  providers?: Array<Partial<ProviderInfo> & { providerId: string }>
  /** Completes every new session by itself after this many ms (for stories). Defaults to `false`. */
  autoComplete?: number | false
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
  /** Base of the consent URLs handed out. Defaults to `'https://consent.example.com/setup'`. */
  consentBaseUrl?: string
}

export interface MockCall {
  operation: MockOperation
  argument?: unknown
}

/**
 * An in-memory backend for tests and stories: the contract's operations, behaving as
 * `createConnectServer` does (a reconnect replaces the old connection and keeps its name; a rename
 * is trimmed and checked), plus controls to script them.
 */
export interface MockBackend extends ConnectBackend {
  /** Every session created, newest last, with their current (computed) status. */
  readonly sessions: readonly SetupSession[]
  readonly connections: readonly Connection[]
  /** Every call made, in order. */
  readonly calls: readonly MockCall[]
  /** The newest session, or undefined. */
  lastSession(): SetupSession | undefined
  /**
   * Completes a pending session (the newest by default) and returns the new auth config id. A
   * session created with `replacesConnectionId` replaces that connection, in its place and with its name.
   */
  complete(sessionId?: string, options?: { authConfigId?: string; name?: string }): string
  /** Marks a session failed, as when the user denies consent. */
  fail(sessionId?: string, message?: string): void
  expire(sessionId?: string): void
  archive(sessionId?: string): void
  /** The next `times` calls of `operation` (or of any operation) fail this way. */
  failNext(operation: MockOperation | 'any', failure: MockFailure, times?: number): void
  /** The next call of `operation` answers with `body` as is (garbage, a `javascript:` URL …). */
  respondNext(operation: MockOperation, body: unknown): void
  setLatency(ms: number): void
  addConnection(connection: Partial<Connection> & { providerId: string }): Connection
  /** Marks a connection revoked, as a sync does when the provider's side archived or deleted it. */
  revoke(connectionId: string): Connection
  /** Counts the calls of one operation. */
  count(operation: MockOperation): number
}

interface StoredSession {
  id: string
  status: SetupSessionStatus
  url: string
  providerId: string
  input: CreateSetupSessionInput
  createdAt: number
  expiresAt: number
  authConfigId: string | null
  error: { code?: string; message: string } | null
}

let mockCount = 0

export function createMockBackend(options: MockBackendOptions = {}): MockBackend {
  const now = options.now ?? (() => Date.now())
  const lifetime = options.lifetimeMs ?? 30 * 60_000
  const consentBase = options.consentBaseUrl ?? 'https://consent.example.com/setup'
  let latency = options.latency ?? 0
  let counter = 0
  const sessions: StoredSession[] = []
  const connections: Connection[] = []
  const calls: MockCall[] = []
  const failures: Array<{ operation: MockOperation | 'any'; failure: MockFailure }> = []
  const canned = new Map<MockOperation, unknown[]>()
  const providers: ProviderInfo[] = (options.providers ?? []).map(provider => ({
    providerDeploymentId: null,
    name: provider.providerId,
    description: null,
    logoUrl: null,
    categories: [],
    authMethods: [{ id: 'oauth', type: 'oauth', name: 'OAuth' }],
    requiresConnection: true,
    ...provider,
  }))

  // Unique across mocks: real ids never repeat, and completions are claimed once per session id.
  const mockId = (++mockCount).toString(36)
  const nextId = (prefix: string) => `${prefix}_mock${mockId}x${String(++counter).padStart(4, '0')}`

  function makeConnection(input: Partial<Connection> & { providerId: string }): Connection {
    const connection: Connection = {
      id: input.id ?? nextId('pac'),
      status: 'active',
      name: input.name ?? input.providerId,
      createdAt: input.createdAt ?? new Date(now()).toISOString(),
      ...input,
    }
    if (connection.status === 'revoked') connection.revokedAt ??= new Date(now()).toISOString()
    return connection
  }
  function addConnection(input: Partial<Connection> & { providerId: string }): Connection {
    const connection = makeConnection(input)
    connections.push(connection)
    return connection
  }
  const notFound = () => new ConnectError('http', 'Connection not found.', { status: 404, backendCode: 'connection_not_found' })
  function findConnection(id: string): Connection {
    const connection = connections.find(item => item.id === id)
    if (!connection) throw new Error(`No mock connection ${id}.`)
    return connection
  }
  for (const connection of options.connections ?? []) addConnection(connection)

  function statusOf(session: StoredSession): SetupSessionStatus {
    return session.status === 'pending' && now() >= session.expiresAt ? 'expired' : session.status
  }

  function view(session: StoredSession): SetupSession {
    return {
      id: session.id,
      status: statusOf(session),
      url: session.url,
      providerId: session.providerId,
      createdAt: new Date(session.createdAt).toISOString(),
      expiresAt: new Date(session.expiresAt).toISOString(),
      authConfig: session.authConfigId ? { id: session.authConfigId, providerId: session.providerId } : null,
      error: session.error,
    }
  }

  function find(sessionId?: string): StoredSession {
    const session = sessionId === undefined ? sessions[sessions.length - 1] : sessions.find(item => item.id === sessionId)
    if (!session) throw new Error(sessionId ? `No mock session ${sessionId}.` : 'No mock session was created yet.')
    return session
  }

  function conclude(sessionId: string | undefined, status: SetupSessionStatus, error: StoredSession['error'] = null): StoredSession {
    const session = find(sessionId)
    if (statusOf(session) !== 'pending') throw new Error(`Mock session ${session.id} is ${statusOf(session)}, not pending.`)
    session.status = status
    session.error = error
    return session
  }

  async function call<T>(operation: MockOperation, argument: unknown, signal: AbortSignal, run: () => T): Promise<T> {
    calls.push(argument === undefined ? { operation } : { operation, argument })
    if (latency > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, latency)
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            reject(new ConnectError('aborted', 'The request was cancelled.'))
          },
          { once: true },
        )
      })
    }
    if (signal.aborted) throw new ConnectError('aborted', 'The request was cancelled.')
    const index = failures.findIndex(item => item.operation === operation || item.operation === 'any')
    if (index >= 0) {
      const failure = failures.splice(index, 1)[0]?.failure
      if (failure === 'network') throw new ConnectError('network', 'The backend could not be reached.')
      if (failure) throw new ConnectError('http', failure.message ?? `The backend answered ${failure.status}.`, {
        status: failure.status,
        backendCode: failure.code,
        retryAfterMs: failure.retryAfterMs,
      })
    }
    const queue = canned.get(operation)
    if (queue?.length) return queue.shift() as T
    return run()
  }

  const backend: MockBackend = {
    get sessions() {
      return sessions.map(view)
    },
    get connections() {
      return [...connections]
    },
    get calls() {
      return [...calls]
    },
    createSetupSession(input: CreateSetupSessionInput, { signal }: BackendCallOptions) {
      return call('createSetupSession', input, signal, () => {
        // As the server: only a connection this user has can be replaced (and no other is revealed).
        if (input.replacesConnectionId !== undefined && !connections.some(item => item.id === input.replacesConnectionId)) throw notFound()
        const id = nextId('pas')
        const session: StoredSession = {
          id,
          status: 'pending',
          url: `${consentBase}/${id}?client_secret=pas_secret_${id}`,
          providerId: input.providerId,
          input,
          createdAt: now(),
          expiresAt: now() + lifetime,
          authConfigId: null,
          error: null,
        }
        sessions.push(session)
        if (options.autoComplete !== undefined && options.autoComplete !== false) {
          setTimeout(() => {
            if (statusOf(session) === 'pending') backend.complete(id)
          }, options.autoComplete)
        }
        return view(session)
      })
    },
    getSetupSession(id: string, { signal }: BackendCallOptions) {
      return call('getSetupSession', id, signal, () => {
        const session = sessions.find(item => item.id === id)
        if (!session) throw new ConnectError('http', 'Setup session not found.', { status: 404, backendCode: 'not_found' })
        return view(session)
      })
    },
    listConnections({ signal }: BackendCallOptions) {
      return call('listConnections', undefined, signal, () => connections.filter(item => item.status !== 'deleted').map(item => ({ ...item })))
    },
    removeConnection(authConfigId: string, { signal }: BackendCallOptions) {
      return call('removeConnection', authConfigId, signal, () => {
        const index = connections.findIndex(item => item.id === authConfigId)
        if (index < 0) throw new ConnectError('http', 'Connection not found.', { status: 404, backendCode: 'not_found' })
        connections.splice(index, 1)
      })
    },
    renameConnection(authConfigId: string, name: string, { signal }: BackendCallOptions) {
      return call('renameConnection', { authConfigId, name }, signal, () => {
        const connection = connections.find(item => item.id === authConfigId)
        if (!connection) throw notFound()
        const trimmed = typeof name === 'string' ? name.trim() : ''
        // The server's rule: 1 to 100 characters once trimmed, no control characters.
        if ([...trimmed].length < 1 || [...trimmed].length > 100 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
          throw new ConnectError('http', 'A name has 1 to 100 characters, without control characters.', { status: 400, backendCode: 'invalid_name' })
        }
        connection.name = trimmed
        return { ...connection }
      })
    },
    listProviders({ signal }: BackendCallOptions) {
      return call('listProviders', undefined, signal, () => providers.map(item => ({ ...item })))
    },
    lastSession: () => (sessions.length ? view(sessions[sessions.length - 1] as StoredSession) : undefined),
    complete(sessionId, completion = {}) {
      const session = conclude(sessionId, 'completed')
      const replaced = connections.findIndex(item => item.id === session.input.replacesConnectionId)
      const connection = makeConnection({
        id: completion.authConfigId ?? nextId('pac'),
        providerId: session.providerId,
        // A reconnect keeps the account's name; the old connection ends and is no longer listed.
        name: completion.name ?? connections[replaced]?.name ?? session.providerId,
      })
      if (replaced >= 0) connections.splice(replaced, 1, connection)
      else connections.push(connection)
      session.authConfigId = connection.id
      return connection.id
    },
    fail(sessionId, message = 'The user denied access.') {
      conclude(sessionId, 'failed', { code: 'access_denied', message })
    },
    expire(sessionId) {
      const session = find(sessionId)
      session.expiresAt = Math.min(session.expiresAt, now())
    },
    archive(sessionId) {
      conclude(sessionId, 'archived')
    },
    failNext(operation, failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push({ operation, failure })
    },
    respondNext(operation, body) {
      const queue = canned.get(operation) ?? []
      queue.push(body)
      canned.set(operation, queue)
    },
    setLatency(ms) {
      latency = ms
    },
    addConnection,
    revoke(connectionId) {
      const connection = findConnection(connectionId)
      connection.status = 'revoked'
      connection.revokedAt = new Date(now()).toISOString()
      return { ...connection }
    },
    count: operation => calls.filter(item => item.operation === operation).length,
  }
  return backend
}
