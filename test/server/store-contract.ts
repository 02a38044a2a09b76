import { describe, expect, it } from 'vitest'
import { LIFECYCLE_METHODS, type ConnectionStore, type StoredConnection, type UnfinishedSession } from '../../src/server/index.js'
import type { LifecycleStore } from '../../src/server/store/connection-store.js'

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

    it('markRemoved says which call removed it', async () => {
      const store = await freshStore()
      await store.insert(connection())
      expect(await store.markRemoved('bob', 'pac_1', '2026-01-03T00:00:00.000Z')).toBe(false)
      expect(await store.markRemoved('alice', 'pac_1', '2026-01-03T00:00:00.000Z')).toBe(true)
      expect(await store.markRemoved('alice', 'pac_1', '2026-01-04T00:00:00.000Z')).toBe(false)
    })
  })

  describe(`${name} keeps the lifecycle part of the contract`, () => {
    async function lifecycleStore(): Promise<LifecycleStore> {
      const store = await freshStore()
      expect(LIFECYCLE_METHODS.filter(method => typeof store[method] !== 'function')).toEqual([])
      return store as LifecycleStore
    }

    it('marks a connection revoked once; a revoked one still lists, with revokedAt; removed or other users’ never', async () => {
      const store = await lifecycleStore()
      await store.insert(connection())
      await store.insert(connection({ id: 'pac_gone', sessionId: 'pas_gone', removedAt: '2026-01-02T00:00:00.000Z' }))
      expect(await store.markRevoked('bob', 'pac_1', '2026-01-05T00:00:00.000Z')).toBe(false)
      expect(await store.markRevoked('alice', 'pac_gone', '2026-01-05T00:00:00.000Z')).toBe(false)
      const racing = await Promise.all(Array.from({ length: 10 }, () => store.markRevoked('alice', 'pac_1', '2026-01-05T00:00:00.000Z')))
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect(await store.markRevoked('alice', 'pac_1', '2026-01-06T00:00:00.000Z')).toBe(false)
      expect(await store.list('alice')).toEqual([connection({ revokedAt: '2026-01-05T00:00:00.000Z' })])
    })

    it('replaces a connection once: the old one ends (removed, replacedBy) and no longer lists', async () => {
      const store = await lifecycleStore()
      await store.insert(connection())
      await store.insert(connection({ id: 'pac_2', sessionId: 'pas_2', createdAt: '2026-01-02T00:00:00.000Z' }))
      expect(await store.markReplaced('bob', 'pac_1', 'pac_2', '2026-01-03T00:00:00.000Z')).toBe(false)
      const racing = await Promise.all(Array.from({ length: 10 }, () => store.markReplaced('alice', 'pac_1', 'pac_2', '2026-01-03T00:00:00.000Z')))
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect((await store.list('alice')).map(item => item.id)).toEqual(['pac_2'])
      expect(await store.find('alice', 'pac_1')).toMatchObject({ removedAt: '2026-01-03T00:00:00.000Z', replacedBy: 'pac_2' })
    })

    it('renames only the owner’s live connection, and answers the row', async () => {
      const store = await lifecycleStore()
      await store.insert(connection())
      expect(await store.rename('bob', 'pac_1', 'Mine now')).toBeNull()
      expect(await store.rename('alice', 'pac_missing', 'x')).toBeNull()
      expect(await store.rename('alice', 'pac_1', 'Work Slack')).toEqual(connection({ name: 'Work Slack' }))
      await store.markRemoved('alice', 'pac_1', '2026-01-03T00:00:00.000Z')
      expect(await store.rename('alice', 'pac_1', 'Again')).toBeNull()
    })

    it('claims one sync per user per interval, however many ask at once; due users are those with active connections', async () => {
      const store = await lifecycleStore()
      await store.insert(connection())
      await store.insert(connection({ id: 'pac_b', sessionId: 'pas_b', userId: 'bob' }))
      await store.insert(connection({ id: 'pac_c', sessionId: 'pas_c', userId: 'carol', removedAt: '2026-01-01T11:00:00.000Z' }))
      expect((await store.dueUsers('2026-01-01T12:00:00.000Z', 10)).sort()).toEqual(['alice', 'bob'])
      const racing = await Promise.all(Array.from({ length: 10 }, () => store.claimSync('alice', '2026-01-01T12:00:00.000Z', '2026-01-01T11:59:00.000Z')))
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect(await store.dueUsers('2026-01-01T11:59:59.999Z', 10)).toEqual(['bob'])
      expect((await store.dueUsers('2026-01-01T12:00:00.000Z', 10)).sort()).toEqual(['alice', 'bob'])
      expect(await store.dueUsers('2026-01-01T12:00:00.000Z', 0)).toEqual([])
      expect(await store.claimSync('alice', '2026-01-01T12:00:30.000Z', '2026-01-01T11:59:30.000Z')).toBe(false)
      expect(await store.claimSync('alice', '2026-01-01T12:01:00.000Z', '2026-01-01T12:00:00.000Z')).toBe(true)
    })

    it('remembers sessions until forgotten, by user or all, and sweeps expired ones on the next remember', async () => {
      const store = await lifecycleStore()
      const session = (overrides: Partial<UnfinishedSession>): UnfinishedSession => ({
        id: 'pas_1',
        userId: 'alice',
        providerId: 'slack',
        api: 'setup-sessions',
        replacesConnectionId: null,
        expiresAt: '2026-01-01T10:30:00.000Z',
        ...overrides,
      })
      await store.rememberSession(session({}), '2026-01-01T10:00:00.000Z')
      await store.rememberSession(session({ providerId: 'github' }), '2026-01-01T10:00:00.000Z')
      await store.rememberSession(session({ id: 'pas_2', userId: 'bob', replacesConnectionId: 'pac_9', expiresAt: '2026-01-01T10:20:00.000Z', api: 'oauth-sessions' }), '2026-01-01T10:00:00.000Z')
      expect(await store.unfinishedSessions('alice')).toEqual([session({})])
      expect((await store.unfinishedSessions(null)).map(item => item.id)).toEqual(['pas_2', 'pas_1'])
      expect((await store.unfinishedSessions('bob'))[0]).toEqual(session({ id: 'pas_2', userId: 'bob', replacesConnectionId: 'pac_9', expiresAt: '2026-01-01T10:20:00.000Z', api: 'oauth-sessions' }))
      await store.rememberSession(session({ id: 'pas_3', expiresAt: '2026-01-01T11:00:00.000Z' }), '2026-01-01T10:25:00.000Z')
      expect((await store.unfinishedSessions(null)).map(item => item.id)).toEqual(['pas_1', 'pas_3'])
      await store.forgetSession('pas_1')
      await store.forgetSession('pas_missing')
      expect((await store.unfinishedSessions(null)).map(item => item.id)).toEqual(['pas_3'])
    })
  })
}
