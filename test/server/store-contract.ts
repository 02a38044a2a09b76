import { describe, expect, it } from 'vitest'
import type { ConnectionStore, StoredConnection } from '../../src/server/index.js'

function connection(overrides: Partial<StoredConnection> = {}): StoredConnection {
  return {
    id: 'pac_1',
    userId: 'alice',
    providerId: 'slack',
    providerDeploymentId: null,
    sessionId: 'pas_1',
    name: 'alice@slack',
    createdAt: '2026-01-01T10:00:00.000Z',
    removedAt: null,
    ...overrides,
  }
}

/** What every `ConnectionStore` must do; run against each implementation with a fresh store per test. */
export function describeConnectionStore(name: string, freshStore: () => Promise<ConnectionStore>): void {
  describe(`${name} keeps the ConnectionStore contract`, () => {
    it('inserts once: the same id or the same session again is a no-op that says so', async () => {
      const store = await freshStore()
      expect(await store.insert(connection())).toBe(true)
      expect(await store.insert(connection({ name: 'changed' }))).toBe(false)
      expect(await store.insert(connection({ id: 'pac_2' }))).toBe(false)
      expect(await store.list('alice')).toEqual([connection()])
    })

    it('of many racing inserts of one connection, exactly one wins', async () => {
      const store = await freshStore()
      const results = await Promise.all(Array.from({ length: 25 }, () => store.insert(connection())))
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it('lists one user’s connections, oldest first, and nobody else’s', async () => {
      const store = await freshStore()
      await store.insert(connection({ id: 'pac_b', sessionId: 'pas_b', createdAt: '2026-01-02T00:00:00.000Z', providerDeploymentId: 'pde_1' }))
      await store.insert(connection({ id: 'pac_a', sessionId: 'pas_a', createdAt: '2026-01-01T00:00:00.000Z', name: null }))
      await store.insert(connection({ id: 'pac_c', sessionId: null, userId: 'bob' }))
      expect((await store.list('alice')).map(item => item.id)).toEqual(['pac_a', 'pac_b'])
      expect((await store.list('alice'))[1]).toEqual(connection({ id: 'pac_b', sessionId: 'pas_b', createdAt: '2026-01-02T00:00:00.000Z', providerDeploymentId: 'pde_1' }))
      expect((await store.list('bob')).map(item => item.id)).toEqual(['pac_c'])
      expect(await store.list('carol')).toEqual([])
    })

    it('finds only the owner’s, removed ones included; a removal is kept and blocks a re-insert', async () => {
      const store = await freshStore()
      await store.insert(connection())
      expect(await store.find('bob', 'pac_1')).toBeNull()
      expect(await store.find('alice', 'pac_missing')).toBeNull()
      await store.markRemoved('bob', 'pac_1', '2026-01-03T00:00:00.000Z')
      expect((await store.find('alice', 'pac_1'))?.removedAt).toBeNull()
      await store.markRemoved('alice', 'pac_1', '2026-01-03T00:00:00.000Z')
      await store.markRemoved('alice', 'pac_1', '2026-01-04T00:00:00.000Z')
      expect((await store.find('alice', 'pac_1'))?.removedAt).toBe('2026-01-03T00:00:00.000Z')
      expect(await store.list('alice')).toEqual([])
      expect(await store.insert(connection())).toBe(false)
    })

    it('keeps the API that made each connection; a row saved without one reads back without one', async () => {
      const store = await freshStore()
      await store.insert(connection({ id: 'soas_1', sessionId: 'soas_1', api: 'oauth-sessions' }))
      await store.insert(connection({ id: 'pac_2', sessionId: 'pas_2', api: 'setup-sessions' }))
      await store.insert(connection({ id: 'pac_3', sessionId: 'pas_3' }))
      expect((await store.find('alice', 'soas_1'))?.api).toBe('oauth-sessions')
      expect((await store.list('alice')).map(item => [item.id, item.api])).toEqual([
        ['pac_2', 'setup-sessions'],
        ['pac_3', undefined],
        ['soas_1', 'oauth-sessions'],
      ])
    })
  })
}
