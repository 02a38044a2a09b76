// Type tests of the server entries, checked by `npm run typecheck`.
import type { PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import { expectTypeOf } from 'vitest'
import {
  createConnectHandler,
  createConnectServer,
  sqlConnectionStore,
  type Connection,
  type ConnectionStore,
  type ConnectServerOptions,
  type RemoveResult,
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
