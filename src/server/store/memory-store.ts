import type { ConnectionStore, StoredConnection } from './connection-store.js'

/**
 * Keeps connections in this process's memory: for tests and local development. Everything is lost
 * on restart, and two app servers each have their own: use `sqlConnectionStore` in production.
 */
export function memoryConnectionStore(): ConnectionStore {
  const byId = new Map<string, StoredConnection>()
  const sessions = new Set<string>()
  const byUser = new Map<string, StoredConnection[]>()
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
      const found = byId.get(id)
      if (found && found.userId === userId && found.removedAt === null) found.removedAt = removedAt
    },
  }
}
