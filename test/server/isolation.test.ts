// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeHandler, startSimulation } from './helpers.js'

let env: Awaited<ReturnType<typeof startSimulation>>
beforeEach(async () => {
  env = await startSimulation()
})
afterEach(() => env.close())

describe('two users share one Metorial project', () => {
  it('a user cannot read, list or remove what belongs to another: 404, like a missing one', async () => {
    const { call } = makeHandler(env.url)
    const aliceSession = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    const aliceConfig = env.sim.complete(aliceSession.id)
    const bobSession = (await call('bob', 'POST', '/setup-sessions', { providerId: 'github' })).json
    const bobConfig = env.sim.complete(bobSession.id)
    // Completion is recorded when the owner's page reads the session.
    await call('alice', 'GET', `/setup-sessions/${aliceSession.id}`)
    await call('bob', 'GET', `/setup-sessions/${bobSession.id}`)

    const missing = await call('bob', 'GET', '/setup-sessions/pas_doesnotexist')
    const foreign = await call('bob', 'GET', `/setup-sessions/${aliceSession.id}`)
    expect(foreign.status).toBe(404)
    expect(foreign.json).toEqual(missing.json)
    expect(JSON.stringify(foreign.json)).not.toContain(aliceSession.id)

    const missingDelete = await call('bob', 'DELETE', '/connections/pac_doesnotexist')
    const foreignDelete = await call('bob', 'DELETE', `/connections/${aliceConfig}`)
    expect(foreignDelete.status).toBe(404)
    expect(foreignDelete.json).toEqual(missingDelete.json)
    expect(env.sim.listAuthConfigs().find(config => config.id === aliceConfig)?.status).toBe('active')

    expect((await call('alice', 'GET', '/connections')).json.items.map((item: { id: string }) => item.id)).toEqual([aliceConfig])
    expect((await call('bob', 'GET', '/connections')).json.items.map((item: { id: string }) => item.id)).toEqual([bobConfig])
    expect((await call('carol', 'GET', '/connections')).json.items).toEqual([])

    expect((await call('alice', 'GET', `/setup-sessions/${aliceSession.id}`)).json.authConfig.id).toBe(aliceConfig)
    expect((await call('alice', 'DELETE', `/connections/${aliceConfig}`)).status).toBe(204)
  })

  it('auth configs the store does not hold (made outside this app) are nobody’s', async () => {
    const { call } = makeHandler(env.url)
    const orphan = env.sim.seedAuthConfig({ providerId: 'slack' })
    expect((await call('alice', 'GET', '/connections')).json.items).toEqual([])
    expect((await call('alice', 'DELETE', `/connections/${orphan}`)).status).toBe(404)
  })

  it('ids that only differ in case or by an owner prefix do not match', async () => {
    const { call } = makeHandler(env.url)
    const session = (await call('Alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    expect((await call('alice', 'GET', `/setup-sessions/${session.id}`)).status).toBe(404)
    expect((await call('Alic', 'GET', `/setup-sessions/${session.id}`)).status).toBe(404)
  })
})
