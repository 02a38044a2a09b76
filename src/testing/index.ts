export { createMockBackend } from './mock-backend.js'
export type { MockBackend, MockBackendOptions, MockCall, MockFailure, MockOperation } from './mock-backend.js'
