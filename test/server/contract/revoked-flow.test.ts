import { describe, expect, it, vi } from 'vitest'
import { SetupFlow, createHttpBackend, waitForSetupSession } from '../../../src/core/index.js'
import { createFakeBrowser } from '../../fake-environment.js'
import { makeServer } from '../helpers.js'

/**
 * A session that completed with its auth config already archived, seen through the public
 * `react-provider-connect/core` API over the real server handler and the simulation: the flow ends
 * `failed` with the server's plain message, and never reports a connection.
 */
function appBackend() {
  const env = makeServer()
  const backend = createHttpBackend({
    endpoint: 'http://app.test/api/connect',
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      request.headers.set('x-user', 'alice')
      return env.server.handler(request)
    }) as typeof fetch,
  })
  return { ...env, backend }
}

describe('completed with an archived auth config, through the core API', () => {
  it('SetupFlow: failed with connection_revoked in plain words; onConnected never fires; nothing stored', async () => {
    const { backend, sim, server } = appBackend()
    const browser = createFakeBrowser()
    const onConnected = vi.fn()
    const onError = vi.fn()
    const flow = new SetupFlow({ backend, providerId: 'slack', providerName: 'Slack', environment: browser.environment, onConnected, onError })
    flow.start()
    await vi.waitFor(() => expect(flow.getState().status).toBe('pending'))
    const sessionId = flow.getState().session?.id as string
    sim.archiveAtCompletion(sessionId)
    sim.complete(sessionId)
    browser.wake('focus')
    await vi.waitFor(() => expect(flow.getState().status).toBe('failed'), { timeout: 5000 })
    expect(onConnected).not.toHaveBeenCalled()
    // What the UI shows: the server's plain words, with its code.
    expect(flow.getState().error).toMatchObject({ code: 'session_failed', message: expect.stringContaining('Please connect again') })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(flow.getState().session?.error).toMatchObject({ code: 'connection_revoked', message: expect.stringContaining('Please connect again') })
    expect(await server.listConnections('alice')).toEqual([])
    flow.cancel()
  })

  it('waitForSetupSession: rejects session_failed rather than resolving a connection', async () => {
    const { backend, sim } = appBackend()
    const session = await backend.createSetupSession({ providerId: "slack" }, { signal: new AbortController().signal })
    sim.archiveAtCompletion(session.id, 'deleted')
    sim.complete(session.id)
    await expect(waitForSetupSession({ backend, session: session.id, pollInterval: 10 })).rejects.toMatchObject({ code: 'session_failed' })
  })
})
