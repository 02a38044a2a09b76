export { createConnectServer } from './server.js'
export type { ConnectHandler, ConnectServer, Connection, RemoveResult } from './server.js'
export { createConnectHandler } from './handler.js'
export type { AuthCredentialsInput, ConnectionExport, ImportConnectionInput } from './credentials.js'
export { ConnectServerError } from './http-error.js'
export type { ConnectionStore, StoredConnection } from './connection-store.js'
export { memoryConnectionStore } from './memory-store.js'
export { sqlConnectionStore, connectionStoreSchema, DEFAULT_CONNECTIONS_TABLE } from './sql-store.js'
export type { SqlConnectionStoreOptions, SqlQuery } from './sql-store.js'
export { toNodeHandler, createNodeHandler } from './node-adapter.js'
export type { NodeHandlerOptions } from './node-adapter.js'
export { redact } from './redact.js'
export { memoryRateLimit, DEFAULT_RATE_LIMIT } from './rate-limit.js'
export type { MemoryRateLimitOptions, RateLimit, RateLimitDecision, RateLimitInput } from './rate-limit.js'
export { ID_PATTERN } from './validate.js'
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_METADATA_KEYS,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_SESSION_TYPE,
  DEFAULT_TIMEOUT_MS,
} from './options.js'
export type { ConnectApi, ConnectedEvent, ConnectHandlerOptions, ConnectLogger, ConnectServerOptions, ProviderTarget, SetupSessionType } from './options.js'
export type { ContractConnection, ContractSession } from './metorial-objects.js'
export { DEFAULT_PROVIDERS_CACHE_TTL_MS } from './providers-route.js'
export type { ProviderAuthMethodInfo, ProviderInfo } from './provider-catalogue.js'
