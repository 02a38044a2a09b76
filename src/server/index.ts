export { createConnectHandler } from './handler.js'
export type { ConnectHandler } from './handler.js'
export { toNodeHandler, createNodeHandler } from './node-adapter.js'
export type { NodeHandlerOptions } from './node-adapter.js'
export { redact } from './redact.js'
export { ID_PATTERN } from './validate.js'
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_TIMEOUT_MS,
} from './options.js'
export type { ConnectHandlerOptions, ConnectLogger } from './options.js'
export type { ContractConnection, ContractSession } from './metorial-objects.js'
