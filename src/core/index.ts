export { createHttpBackend, parseRetryAfter } from './http-backend.js'
export type { HeadersInput, HttpBackendOptions } from './http-backend.js'
export { ConnectError, isConnectError } from './errors.js'
export type { ConnectErrorCode, ConnectErrorOptions } from './errors.js'
export { SetupFlow, createSetupFlow } from './flow.js'
export type { SetupFlowCallbacks, SetupFlowOptions } from './options.js'
export { waitForSetupSession } from './wait.js'
export type { WaitForSetupSessionOptions } from './wait.js'
export { parseConnection, parseConnectionList, parseSetupSession } from './normalize.js'
export { canRetry, isActiveStatus, isFinalSessionStatus, isFinalStatus, statusForSession } from './status.js'
export { isSafeUrl, withStateParam, STATE_PARAM } from './url.js'
export { createBrowserEnvironment } from './environment.js'
export type { ChannelHandle, FlowEnvironment, PopupHandle, TimerId } from './environment.js'
export { prefersRedirect } from './detect.js'
export { createConnectClient, getDefaultConnectClient } from './client.js'
export type { ConnectClient, ConnectClientOptions, ConnectionsChange } from './client.js'
export { DEFAULT_POLL_SCHEDULE, delayFor, pollDelay } from './schedule.js'
export type { PollSchedule } from './schedule.js'
export type {
  AuthConfig,
  BackendCallOptions,
  CallbackChannelName,
  ConnectBackend,
  Connection,
  CreateSetupSessionInput,
  FinalFlowStatus,
  PollReason,
  SetupFlowEvent,
  SetupFlowState,
  SetupFlowStatus,
  SetupMode,
  SetupSession,
  SetupSessionStatus,
} from './types.js'
export { parseProviderInfo, parseProviderList } from './providers.js'
export type { ProviderAuthMethod, ProviderInfo } from './providers.js'
