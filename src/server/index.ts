export { createConnectServer } from './server.js'
export type { ConnectHandler, ConnectServer, Connection, RemoveResult } from './server.js'
export { createConnectHandler } from './handler.js'
export type { AuthCredentialsInput, ConnectionExport, ImportConnectionInput } from './routes/credentials.js'
export { ConnectServerError } from './http/connect-server-error.js'
export type { ConnectionStore, StoredConnection } from './store/connection-store.js'
export { memoryConnectionStore } from './store/memory-store.js'
export { sqlConnectionStore, connectionStoreSchema, DEFAULT_CONNECTIONS_TABLE } from './store/sql-store.js'
export type { SqlConnectionStoreOptions, SqlQuery } from './store/sql-store.js'
export { toNodeHandler, createNodeHandler } from './http/node-adapter.js'
export type { NodeHandlerOptions } from './http/node-adapter.js'
export { redact } from './log/redact.js'
export { memoryRateLimit, DEFAULT_RATE_LIMIT } from './policy/rate-limit.js'
export type { MemoryRateLimitOptions, RateLimit, RateLimitDecision, RateLimitInput } from './policy/rate-limit.js'
export { ID_PATTERN } from './policy/validate-input.js'
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
export type { ContractConnection, ContractSession } from './metorial/objects.js'
export { DEFAULT_PROVIDERS_CACHE_TTL_MS } from './routes/providers.js'
export type { ProviderAuthMethodInfo, ProviderInfo } from './metorial/catalogue.js'
