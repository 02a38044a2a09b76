import { describe, expect, it, vi } from 'vitest'
import { ConnectError, createHttpBackend, parseRetryAfter } from '../../src/core/index.js'

function json(body: unknown, init: ResponseInit = {}) {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
    ...init,
  })
}

function backendAnswering(...responses: Array<Response | Error>) {
  const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => {
    const next = responses.shift()
    if (!next) throw new Error('no more responses')
    if (next instanceof Error) throw next
    return next
  })
  const backend = createHttpBackend({ endpoint: '/api/connect/', fetch: fetch as unknown as typeof globalThis.fetch, headers: { 'x-csrf-token': 't1' } })
  return { backend, fetch }
}

const signal = () => new AbortController().signal
const session = { id: 'pas_1', status: 'pending', url: 'https://auth.metorial.com/setup/pas_1?client_secret=pas_secret_x' }

describe('createHttpBackend', () => {
  it('creates with a JSON POST to {endpoint}/setup-sessions, sending the headers', async () => {
    const { backend, fetch } = backendAnswering(json(session, { status: 201 }))
    const created = await backend.createSetupSession({ providerId: 'slack', providerAuthMethodId: 'oauth' }, { signal: signal() })
    expect(created).toMatchObject({ id: 'pas_1', status: 'pending' })
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/api/connect/setup-sessions')
    expect(init?.method).toBe('POST')
    expect(JSON.parse(String(init?.body))).toEqual({ providerId: 'slack', providerAuthMethodId: 'oauth' })
    const headers = new Headers(init?.headers)
    expect(headers.get('content-type')).toBe('application/json')
    expect(headers.get('x-csrf-token')).toBe('t1')
    expect(init?.credentials).toBe('same-origin')
  })

  it('reads a session by id, encoding it into the path', async () => {
    const { backend, fetch } = backendAnswering(json(session))
    await backend.getSetupSession('pas/../1', { signal: signal() })
    expect(fetch.mock.calls[0]![0]).toBe('/api/connect/setup-sessions/pas%2F..%2F1')
  })

  it('accepts snake_case and normalises to camelCase', async () => {
    const { backend } = backendAnswering(
      json({ ...session, status: 'completed', expires_at: '2030-01-01T00:00:00Z', auth_config: { id: 'pac_1', provider_id: 'slack' } }),
    )
    const read = await backend.getSetupSession('pas_1', { signal: signal() })
    expect(read).toMatchObject({ status: 'completed', expiresAt: '2030-01-01T00:00:00Z', authConfig: { id: 'pac_1', providerId: 'slack' } })
  })

  it('reads the legacy "opened" status as pending', async () => {
    const { backend } = backendAnswering(json({ ...session, status: 'opened' }))
    expect((await backend.getSetupSession('pas_1', { signal: signal() })).status).toBe('pending')
  })

  it.each([
    ['an unknown status', json({ ...session, status: 'done' }), 'invalid_response'],
    ['a body that is not JSON', json('<html>oops</html>'), 'invalid_response'],
    ['an empty body', new Response('', { status: 200 }), 'invalid_response'],
    ['completed with no auth config', json({ ...session, status: 'completed' }), 'invalid_response'],
    ['an unreadable expiresAt', json({ ...session, expiresAt: 'tomorrow' }), 'invalid_response'],
    ['a javascript: consent URL', json({ ...session, url: 'javascript:alert(document.cookie)' }), 'unsafe_url'],
    ['a relative consent URL', json({ ...session, url: '/consent' }), 'unsafe_url'],
  ])('refuses %s with a typed error', async (_, response, code) => {
    const { backend } = backendAnswering(response)
    await expect(backend.getSetupSession('pas_1', { signal: signal() })).rejects.toMatchObject({ name: 'ConnectError', code })
  })

  it('turns a non-2xx answer into an http error with the backend message, code and status', async () => {
    const { backend } = backendAnswering(json({ code: 'provider_not_allowed', message: 'Slack is not enabled.' }, { status: 403 }))
    const error = await backend.createSetupSession({ providerId: 'slack' }, { signal: signal() }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConnectError)
    expect(error).toMatchObject({ code: 'http', status: 403, backendCode: 'provider_not_allowed', message: 'Slack is not enabled.', transient: false })
  })

  it('marks 429 and 5xx as transient and reads Retry-After', async () => {
    const { backend } = backendAnswering(new Response('busy', { status: 429, headers: { 'retry-after': '7' } }))
    const error = (await backend.getSetupSession('pas_1', { signal: signal() }).catch((caught: unknown) => caught)) as ConnectError
    expect(error).toMatchObject({ code: 'http', status: 429, retryAfterMs: 7000, transient: true, message: 'The backend answered 429.' })
  })

  it('reports an unreachable backend as a transient network error', async () => {
    const { backend } = backendAnswering(new TypeError('Failed to fetch'))
    await expect(backend.listConnections({ signal: signal() })).rejects.toMatchObject({ code: 'network', transient: true })
  })

  it('reports an aborted request as aborted', async () => {
    const controller = new AbortController()
    const fetch = vi.fn((_url: string, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')))),
    )
    const backend = createHttpBackend({ endpoint: '/api/connect', fetch: fetch as unknown as typeof globalThis.fetch })
    const read = backend.getSetupSession('pas_1', { signal: controller.signal })
    controller.abort()
    await expect(read).rejects.toMatchObject({ code: 'aborted' })
  })

  it('lists connections from { items } or a bare array', async () => {
    const item = { id: 'pac_1', provider_id: 'github', created_at: '2026-01-01T00:00:00Z', name: 'octocat' }
    const { backend } = backendAnswering(json({ items: [item] }), json([item]))
    const expected = [{ id: 'pac_1', providerId: 'github', createdAt: '2026-01-01T00:00:00Z', name: 'octocat' }]
    expect(await backend.listConnections({ signal: signal() })).toMatchObject(expected)
    expect(await backend.listConnections({ signal: signal() })).toMatchObject(expected)
  })

  it('refuses a connection list it cannot read', async () => {
    const { backend } = backendAnswering(json({ items: [{ id: 'pac_1' }] }), json({ data: [] }))
    await expect(backend.listConnections({ signal: signal() })).rejects.toMatchObject({ code: 'invalid_response' })
    await expect(backend.listConnections({ signal: signal() })).rejects.toMatchObject({ code: 'invalid_response' })
  })

  it('reads a connection\'s status and revokedAt, camelCase or snake_case; no status is active, an unknown one is kept', async () => {
    const revoked = { id: 'pac_1', provider_id: 'slack', status: 'revoked', revoked_at: '2026-02-01T00:00:00Z', name: 'acme' }
    const { backend } = backendAnswering(
      json({ items: [revoked, { id: 'pac_2', providerId: 'github', status: 'revoked', revokedAt: '2026-03-01T00:00:00Z' }, { id: 'pac_3', providerId: 'exa' }, { id: 'pac_4', providerId: 'exa', status: 'paused' }] }),
    )
    const [first, second, third, fourth] = await backend.listConnections({ signal: signal() })
    expect(first).toMatchObject({ id: 'pac_1', providerId: 'slack', status: 'revoked', revokedAt: '2026-02-01T00:00:00Z', name: 'acme' })
    expect(second).toMatchObject({ status: 'revoked', revokedAt: '2026-03-01T00:00:00Z' })
    expect(third?.status).toBe('active')
    expect(third?.revokedAt).toBeUndefined()
    expect(fourth?.status).toBe('paused')
  })

  it('renames a connection with a JSON PATCH of { name } to {endpoint}/connections/{id}, answering the connection', async () => {
    const { backend, fetch } = backendAnswering(json({ id: 'pac/1', provider_id: 'slack', status: 'active', name: 'Team workspace' }))
    const renamed = await backend.renameConnection?.('pac/1', 'Team workspace', { signal: signal() })
    expect(renamed).toMatchObject({ id: 'pac/1', providerId: 'slack', status: 'active', name: 'Team workspace' })
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/api/connect/connections/pac%2F1')
    expect(init?.method).toBe('PATCH')
    expect(JSON.parse(String(init?.body))).toEqual({ name: 'Team workspace' })
    const headers = new Headers(init?.headers)
    expect(headers.get('content-type')).toBe('application/json')
    expect(headers.get('x-csrf-token')).toBe('t1')
  })

  it('reports a refused rename as an http error with the server\'s code, and an unreadable answer as invalid_response', async () => {
    const { backend } = backendAnswering(
      json({ code: 'invalid_name', message: 'A name has 1 to 100 characters.' }, { status: 400 }),
      json({ name: 'no id' }),
    )
    const refused = backend.renameConnection?.('pac_1', ' ', { signal: signal() })
    await expect(refused).rejects.toBeInstanceOf(ConnectError)
    await expect(refused).rejects.toMatchObject({ code: 'http', status: 400, backendCode: 'invalid_name', message: 'A name has 1 to 100 characters.' })
    await expect(backend.renameConnection?.('pac_1', 'x', { signal: signal() })).rejects.toMatchObject({ code: 'invalid_response' })
  })

  it('removes a connection with DELETE, accepting 204', async () => {
    const { backend, fetch } = backendAnswering(new Response(null, { status: 204 }))
    await backend.removeConnection('pac_1', { signal: signal() })
    expect(fetch.mock.calls[0]![0]).toBe('/api/connect/connections/pac_1')
    expect(fetch.mock.calls[0]![1]?.method).toBe('DELETE')
  })

  it('calls a headers function per request, so a rotating token stays fresh', async () => {
    let token = 'a'
    const fetch = vi.fn(async () => json(session))
    const backend = createHttpBackend({ endpoint: '/x', fetch: fetch as unknown as typeof globalThis.fetch, headers: () => ({ authorization: `Bearer ${token}` }) })
    await backend.getSetupSession('pas_1', { signal: signal() })
    token = 'b'
    await backend.getSetupSession('pas_1', { signal: signal() })
    const auth = fetch.mock.calls.map(call => new Headers((call as unknown as [string, RequestInit])[1].headers).get('authorization'))
    expect(auth).toEqual(['Bearer a', 'Bearer b'])
  })

  it('needs an endpoint', () => {
    expect(() => createHttpBackend({ endpoint: '' })).toThrow(/endpoint/)
  })
})

describe('createHttpBackend: a 404 tells the developer which URL and which option', () => {
  function backendAt(endpoint: string, ...responses: Response[]) {
    const fetch = vi.fn(async () => responses.shift() ?? new Response(null, { status: 404 }))
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const backend = createHttpBackend({ endpoint, fetch: fetch as unknown as typeof globalThis.fetch, headers: { authorization: 'Bearer header-secret' } })
    return { backend, error }
  }
  const failing = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ConnectError)

  it('logs the method, the full URL and the `endpoint` once per URL, and the user still gets the http error', async () => {
    const { backend, error } = backendAt('/api/conect')
    try {
      expect(await failing(backend.listConnections({ signal: signal() }))).toMatchObject({ code: 'http', status: 404, message: 'The backend answered 404.' })
      await failing(backend.listConnections({ signal: signal() }))
      await failing(backend.createSetupSession({ providerId: 'slack', metadata: { note: 'body-secret' } }, { signal: signal() }))
      expect(error.mock.calls).toEqual([
        ['react-provider-connect: GET /api/conect/connections answered 404. Is `endpoint` ("/api/conect") on <ConnectProvider> right, and is the connect handler mounted there?'],
        ['react-provider-connect: POST /api/conect/setup-sessions answered 404. Is `endpoint` ("/api/conect") on <ConnectProvider> right, and is the connect handler mounted there?'],
      ])
    } finally {
      error.mockRestore()
    }
  })

  it('names a session by its id only: no header, no body, no client secret reaches the log', async () => {
    const { backend, error } = backendAt('https://api.example/connect/', json(session, { status: 201 }))
    try {
      const created = await backend.createSetupSession({ providerId: 'slack', metadata: { note: 'body-secret' } }, { signal: signal() })
      await failing(backend.getSetupSession(created.id, { signal: signal() }))
      expect(error).toHaveBeenCalledTimes(1)
      const logged = String(error.mock.calls[0]![0])
      expect(logged).toContain('GET https://api.example/connect/setup-sessions/pas_1 answered 404')
      expect(logged).not.toMatch(/header-secret|body-secret|client_secret|pas_secret/)
    } finally {
      error.mockRestore()
    }
  })

  it('logs nothing for a DELETE’s 404 (the connection was already gone) or for other refusals', async () => {
    const { backend, error } = backendAt('/api/connect-quiet', json({ message: 'Sign in first.' }, { status: 401 }), json({}, { status: 500 }))
    try {
      expect(await failing(backend.listConnections({ signal: signal() }))).toMatchObject({ status: 401 })
      expect(await failing(backend.listProviders!({ signal: signal() }))).toMatchObject({ status: 500 })
      expect(await failing(backend.removeConnection('pac_gone', { signal: signal() }))).toMatchObject({ status: 404 })
      expect(error).not.toHaveBeenCalled()
    } finally {
      error.mockRestore()
    }
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(null)).toBeUndefined()
  })
})
