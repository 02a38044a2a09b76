import type { LifecycleStore, LinkStore, StoredConnection, StoredLink, UnfinishedSession } from './connection-store.js'

/**
 * Keeps connections in this process's memory: for tests and local development. Everything is lost
 * on restart, and two app servers each have their own: use `sqlConnectionStore` in production.
 */
export function memoryConnectionStore(): LifecycleStore & LinkStore {
  const byId = new Map<string, StoredConnection>()
  const sessions = new Set<string>()
  const byUser = new Map<string, StoredConnection[]>()
  const lastSync = new Map<string, string>()
  const unfinished = new Map<string, UnfinishedSession>()
  const links = new Map<string, StoredLink>()

  function live(userId: string, id: string): StoredConnection | null {
    const found = byId.get(id)
    return found && found.userId === userId && found.removedAt === null ? found : null
  }

  return {
    async insert(connection) {
      if (byId.has(connection.id) || (connection.sessionId !== null && sessions.has(connection.sessionId))) return false
      const copy = { ...connection }
      byId.set(copy.id, copy)
      if (copy.sessionId !== null) sessions.add(copy.sessionId)
      const list = byUser.get(copy.userId) ?? []
      list.push(copy)
      byUser.set(copy.userId, list)
      return true
    },
    async list(userId) {
      return (byUser.get(userId) ?? [])
        .filter(item => item.removedAt === null)
        .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1))
        .map(item => ({ ...item }))
    },
    async find(userId, id) {
      const found = byId.get(id)
      return found && found.userId === userId ? { ...found } : null
    },
    async markRemoved(userId, id, removedAt) {
      const found = live(userId, id)
      if (!found) return false
      found.removedAt = removedAt
      return true
    },
    async markRevoked(userId, id, revokedAt) {
      const found = live(userId, id)
      if (!found || (found.revokedAt ?? null) !== null) return false
      found.revokedAt = revokedAt
      return true
    },
    async markReplaced(userId, oldId, newId, at) {
      const found = live(userId, oldId)
      if (!found) return false
      found.removedAt = at
      found.replacedBy = newId
      return true
    },
    async rename(userId, id, name) {
      const found = live(userId, id)
      if (!found) return null
      found.name = name
      return { ...found }
    },
    async claimSync(userId, at, dueBefore) {
      const last = lastSync.get(userId)
      if (last !== undefined && last > dueBefore) return false
      lastSync.set(userId, at)
      return true
    },
    async dueUsers(dueBefore, limit) {
      const users: string[] = []
      for (const [userId, list] of byUser) {
        if (users.length >= limit) break
        const last = lastSync.get(userId)
        if ((last === undefined || last <= dueBefore) && list.some(item => item.removedAt === null && (item.revokedAt ?? null) === null)) users.push(userId)
      }
      return users
    },
    async rememberSession(session, expiredBefore) {
      for (const [id, item] of unfinished) if (item.expiresAt < expiredBefore) unfinished.delete(id)
      if (!unfinished.has(session.id)) unfinished.set(session.id, { ...session })
    },
    async unfinishedSessions(userId) {
      return [...unfinished.values()]
        .filter(item => userId === null || item.userId === userId)
        .sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0))
        .map(item => ({ ...item }))
    },
    async forgetSession(id) {
      unfinished.delete(id)
    },
    async insertLink(link, expiredBefore) {
      for (const [hash, item] of links) if (item.expiresAt < expiredBefore) links.delete(hash)
      if (!links.has(link.tokenHash)) links.set(link.tokenHash, { ...link })
    },
    async findLink(tokenHash) {
      const found = links.get(tokenHash)
      return found ? { ...found } : null
    },
    async swapLinkSession(tokenHash, from, to) {
      const found = links.get(tokenHash)
      if (!found || found.sessionId !== from) return false
      found.sessionId = to
      return true
    },
    async markLinkUsed(tokenHash, at) {
      const found = links.get(tokenHash)
      if (!found || found.usedAt !== null) return false
      found.usedAt = at
      return true
    },
    async revokeLink(id, at) {
      const found = [...links.values()].find(item => item.id === id)
      if (!found || found.revokedAt !== null) return false
      found.revokedAt = at
      return true
    },
    async openLinks(userId, at) {
      return [...links.values()].filter(item => item.userId === userId && item.usedAt === null && item.revokedAt === null && item.expiresAt > at).map(item => ({ ...item }))
    },
  }
}
