export { createConnectHandler, createConnectServer } from './server.js'
export type { ConnectHandler, ConnectServer } from './server.js'
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_METADATA_KEYS,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_TIMEOUT_MS,
} from './options.js'
export type { ConnectHandlerOptions, ConnectServerOptions } from './options.js'
export type { Connection, RemoveResult } from './routes/connections.js'
export type { AuthCredentialsInput, ConnectionExport, ImportConnectionInput } from './routes/credentials.js'
export type { ConnectedEvent } from './routes/record-completion.js'
export { REPLACES_METADATA_KEY } from './routes/record-completion.js'
export type { ConnectionEvent, ConnectionEventType } from './routes/events.js'
export { DEFAULT_SYNC_INTERVAL_MS } from './routes/sync.js'
export { DEFAULT_PROVIDERS_CACHE_TTL_MS } from './routes/providers.js'
export { ConnectServerError } from './http/connect-server-error.js'
export { DEFAULT_MAX_BODY_BYTES } from './http/read-body.js'
export { toNodeHandler, createNodeHandler } from './http/node-adapter.js'
export type { NodeHandlerOptions } from './http/node-adapter.js'
export { ID_PATTERN, MAX_NAME_LENGTH } from './policy/validate-input.js'
export type { ProviderTarget } from './policy/provider.js'
export { memoryRateLimit, DEFAULT_RATE_LIMIT } from './policy/rate-limit.js'
export type { MemoryRateLimitOptions, RateLimit, RateLimitDecision, RateLimitInput } from './policy/rate-limit.js'
export type { ConnectionStore, StoredConnection, UnfinishedSession } from './store/connection-store.js'
export { LIFECYCLE_METHODS } from './store/connection-store.js'
export { memoryConnectionStore } from './store/memory-store.js'
export { sqlConnectionStore, connectionStoreSchema, DEFAULT_CONNECTIONS_TABLE } from './store/sql-store.js'
export type { SqlConnectionStoreOptions, SqlQuery } from './store/sql-store.js'
export type { ConnectApi } from './metorial/api-for-connection.js'
export type { ContractConnection, ContractSession } from './metorial/objects.js'
export type { ProviderAuthMethodInfo, ProviderInfo } from './metorial/catalogue.js'
export { DEFAULT_SESSION_TYPE } from './metorial/setup-sessions.js'
export type { SetupSessionType } from './metorial/setup-sessions.js'
export type { ConnectLogger } from './log/safe-logger.js'
export { redact } from './log/redact.js'
