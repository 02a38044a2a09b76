// @vitest-environment node
// Importing connections: after a removal, or twice at once, an import leaves no auth config at
// Metorial that the store does not hold (and so that the library could never remove).
import { describe, expect, it } from 'vitest'
import { makeServer } from './helpers.js'

const TOKENS = { access_token: 'xoxp-imported-token-123' }

function setup() {
  const app = makeServer()
  /** Active upstream configs against the user's live connections: equal when nothing is orphaned. */
  const orphans = async (user = 'alice') => {
    const held = new Set((await app.server.listConnections(user)).map(connection => connection.id))
    return app.sim.listAuthConfigs().filter(config => config.status === 'active' && !held.has(config.id as string)).map(config => config.id)
  }
  const importTokens = () => app.server.importConnection('alice', { providerId: 'slack', credentials: TOKENS, name: 'Imported' })
  return { ...app, orphans, importTokens }
}

describe('importConnection', () => {
  it('re-importing after a removal makes a live, listed, removable connection', async () => {
    const { server, orphans, importTokens } = setup()
    const first = await importTokens()
    expect(await server.removeConnection('alice', first.id)).toBe('removed')
    const again = await importTokens()
    expect(again).toMatchObject({ created: true })
    expect(again.id).not.toBe(first.id)
    expect((await server.listConnections('alice')).map(connection => connection.id)).toEqual([again.id])
    expect(await orphans()).toEqual([])
    expect(await server.removeConnection('alice', again.id)).toBe('removed')
    expect(await orphans()).toEqual([])
  })

  it('leaves no orphan in any order of imports and removals', async () => {
    const { server, orphans, importTokens } = setup()
    for (const step of ['import', 'import', 'remove', 'import', 'import', 'remove', 'remove', 'import', 'import'] as const) {
      if (step === 'import') await importTokens()
      else {
        const [live] = await server.listConnections('alice')
        if (live) await server.removeConnection('alice', live.id)
      }
      expect(await orphans(), `after ${step}`).toEqual([])
      expect((await server.listConnections('alice')).length).toBeLessThanOrEqual(1)
    }
  })

  it('two imports of the same tokens at once: one connection, the loser’s config archived', async () => {
    const { server, orphans, importTokens } = setup()
    const results = await Promise.all([importTokens(), importTokens()])
    expect(results[0].id).toBe(results[1].id)
    expect(results.filter(result => result.created)).toHaveLength(1)
    expect((await server.listConnections('alice')).map(connection => connection.id)).toEqual([results[0].id])
    expect(await orphans()).toEqual([])
  })
})
