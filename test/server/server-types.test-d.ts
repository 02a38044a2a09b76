// Type tests of the server entries, checked by `npm run typecheck`.
import type { PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import { expectTypeOf } from 'vitest'
import {
  createConnectHandler,
  createConnectServer,
  memoryRateLimit,
  sqlConnectionStore,
  toNodeHandler,
  type Connection,
  type ConnectionEvent,
  type ConnectionStore,
  type ConnectServerOptions,
  type ProviderTarget,
  type RateLimit,
  type RemoveResult,
  type StoredConnection,
} from '../../src/server/index.js'
import { startMetorialSimulation } from '../../src/simulation/index.js'

declare const pool: pg.Pool
declare const lite: PGlite

// The clients the docs name plug in as they are.
sqlConnectionStore({ query: (text, params) => pool.query(text, params) })
sqlConnectionStore({ query: (text, params) => lite.query(text, params) })

const server = createConnectServer({ apiKey: 'metorial_sk_x', getUserId: () => 'u' })
expectTypeOf(server.handler).toEqualTypeOf<(request: Request) => Promise<Response>>()
expectTypeOf(createConnectHandler).returns.toEqualTypeOf(server.handler)
expectTypeOf(server.listConnections).returns.resolves.toEqualTypeOf<Connection[]>()
expectTypeOf(server.removeConnection).returns.resolves.toEqualTypeOf<RemoveResult>()
expectTypeOf<Connection['providerAuthConfigId']>().toEqualTypeOf<string>()
expectTypeOf<ConnectServerOptions['store']>().toEqualTypeOf<ConnectionStore | undefined>()
expectTypeOf<ConnectServerOptions['api']>().toEqualTypeOf<'setup-sessions' | 'oauth-sessions' | undefined>()
expectTypeOf<Parameters<NonNullable<ConnectServerOptions['onConnected']>>[0]>().toHaveProperty('authConfigId').toEqualTypeOf<string>()

// The simulation's connect options spread straight into the server's.
declare const running: Awaited<ReturnType<typeof startMetorialSimulation>>
createConnectServer({ ...running.connectOptions, getUserId: () => 'u' })

// The allow-list sees the whole target; trustProxy and rateLimit as the design pins them.
expectTypeOf<ProviderTarget>().toEqualTypeOf<{ providerId: string; providerDeploymentId: string | null; providerAuthMethodId: string | null }>()
expectTypeOf<NonNullable<ConnectServerOptions['allowProvider']>>().toEqualTypeOf<(target: ProviderTarget, request: Request) => boolean | Promise<boolean>>()
expectTypeOf<ConnectServerOptions['trustProxy']>().toEqualTypeOf<boolean | undefined>()
expectTypeOf<ConnectServerOptions['rateLimit']>().toEqualTypeOf<false | RateLimit | undefined>()
expectTypeOf<StoredConnection['api']>().toEqualTypeOf<'setup-sessions' | 'oauth-sessions' | undefined>()
createConnectServer({ apiKey: 'k', getUserId: () => 'u', trustProxy: true, rateLimit: memoryRateLimit({ limit: 5 }), allowProvider: target => target.providerDeploymentId !== null })
createConnectServer({ apiKey: 'k', getUserId: () => 'u', rateLimit: false })
toNodeHandler(server.handler, { trustProxy: false })

// A connection's life: the names the design pins.
expectTypeOf(server.syncConnections).parameters.toEqualTypeOf<[userId?: string]>()
expectTypeOf(server.syncConnections).returns.resolves.toEqualTypeOf<Connection[]>()
expectTypeOf<Connection['status']>().toEqualTypeOf<'active' | 'revoked'>()
expectTypeOf<Connection['revokedAt']>().toEqualTypeOf<string | undefined>()
expectTypeOf<ConnectServerOptions['syncIntervalMs']>().toEqualTypeOf<number | false | undefined>()
expectTypeOf<ConnectionEvent['type']>().toEqualTypeOf<'connected' | 'reconnected' | 'renamed' | 'revoked' | 'removed'>()
expectTypeOf<ConnectionEvent['previousConnectionId']>().toEqualTypeOf<string | undefined>()
expectTypeOf<Parameters<NonNullable<ConnectServerOptions['onConnectionEvent']>>[0]>().toEqualTypeOf<ConnectionEvent>()

// A store written for the first four methods (markRemoved resolving nothing) is still a ConnectionStore.
const todays: ConnectionStore = {
  insert: async () => true,
  list: async () => [],
  find: async () => null,
  markRemoved: async () => {},
}
createConnectServer({ apiKey: 'k', getUserId: () => 'u', store: todays })
